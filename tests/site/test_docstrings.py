"""Every public name of lamina has its own docstring, with a summary line and (classes, functions) an example.

The public names are the Keras 3 names that lamina provides (the shared
reference list, else the installed Keras 3), in ``lamina`` and each public
namespace, plus the public methods and properties of ``Model`` and ``Layer``.
"""

import inspect
import pathlib
import sys

import pytest

import lamina

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "site" / "gen"))
import api  # noqa: E402

pytestmark = pytest.mark.backends("numpy")
CLASS_MEMBERS = {"Model (public methods and properties)": lamina.Model,
                 "Layer (public methods and properties)": lamina.Layer}


def own_docstring(obj, owner=None, name=None):
    """The docstring written for ``obj`` itself (never one inherited from a base class), or None.

    For a member ``name`` of class ``owner``: the docstring of the function or
    property where the class hierarchy defines it.
    """
    if owner is not None:
        for klass in owner.__mro__:
            if name in klass.__dict__:
                raw = klass.__dict__[name]
                break
        else:
            return None
        if isinstance(raw, property):
            raw = raw.fget
        elif isinstance(raw, (staticmethod, classmethod)):
            raw = raw.__func__
        return getattr(raw, "__doc__", None) if callable(raw) else "(a plain attribute)"
    if inspect.isclass(obj):
        return obj.__dict__.get("__doc__")
    if callable(obj):
        return getattr(obj, "__doc__", None)
    return "(a value)"


def has_example(doc):
    return ">>>" in doc or "Example:" in doc or "Examples:" in doc


def collect():
    """``[(qualified public name, docstring or None, needs an example)]``."""
    reference = api.reference_names()
    rows = []
    for namespace, entries in api.public_names(reference).items():
        for name, obj in entries:
            needs_example = inspect.isclass(obj) or inspect.isroutine(obj)
            rows.append((f"{api.dotted(namespace)}.{name}", own_docstring(obj), needs_example))
    for key, cls in CLASS_MEMBERS.items():
        for name in reference.get(key, []):
            if hasattr(cls, name):
                is_method = callable(inspect.getattr_static(cls, name))
                rows.append((f"lamina.{cls.__name__}.{name}", own_docstring(None, cls, name), is_method))
    return rows


def test_the_enumeration_covers_the_public_api():
    rows = collect()
    names = {row[0] for row in rows}
    assert len(rows) > 1000
    for expected in ("lamina.layers.Dense", "lamina.ops.numpy.matmul", "lamina.Model.fit",
                     "lamina.Layer.add_weight", "lamina.losses.MeanSquaredError", "lamina.Sequential"):
        assert expected in names


def test_own_docstring_ignores_inherited_ones():
    class Base:
        """Base docstring.

        Example:
            >>> Base()
        """

        def method(self):
            """Does things."""

    class Child(Base):
        def method(self):
            return 1

    assert own_docstring(Child) is None
    assert own_docstring(None, Child, "method") is None
    assert own_docstring(None, type("Grandchild", (Child,), {}), "method") is None
    assert "Base docstring" in own_docstring(Base)


def test_every_public_name_has_its_own_docstring_with_a_summary_line():
    missing, no_summary = [], []
    for name, doc, _ in collect():
        if not doc or not doc.strip():
            missing.append(name)
        elif not inspect.cleandoc(doc).splitlines()[0].strip():
            no_summary.append(name)
    assert not missing, f"{len(missing)} public names have no docstring of their own: {missing}"
    assert not no_summary, f"docstrings without a summary line: {no_summary}"


def test_public_classes_functions_and_methods_have_an_example():
    lacking = [name for name, doc, needs in collect() if needs and doc and not has_example(doc)]
    assert not lacking, f"{len(lacking)} public classes/functions/methods have no example: {lacking}"
