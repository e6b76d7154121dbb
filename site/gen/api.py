"""The API reference: which public names lamina has, and one Markdown page per public module.

Every public name (a Keras 3 name that lamina provides, see ``public_names``)
is documented on exactly one page: the page of the most specific namespace
that holds it (``lamina.ops.numpy.abs`` rather than ``lamina.ops.abs``). The
other namespaces that export it list it with a link to that page, so
mkdocstrings renders each object once and autorefs never sees a duplicate.

Example:
    >>> pages = api_pages()
    >>> "api/layers.md" in pages
    True
"""

import importlib
import inspect
import json
import os
import pathlib
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "keras_api_names.json"

# Most specific first: a name lives on the first namespace of this list that exports it.
NAMESPACES = [
    "ops.numpy", "ops.nn", "ops.linalg", "ops.image", "ops",
    "layers", "models", "losses", "metrics", "optimizers.schedules", "optimizers",
    "callbacks", "activations", "initializers", "regularizers", "constraints",
    "random", "saving", "dtype_policies", "mixed_precision", "tree", "backend",
    "config", "utils", "distribution", "export", "(top level)",
]
TOP = "(top level)"


def reference_names():
    """The Keras 3 public names by namespace: the shared reference file, else the installed Keras.

    Example:
        >>> "layers" in reference_names()
        True
    """
    path = pathlib.Path(os.environ.get("LAMINA_API_REFERENCE", REFERENCE))
    if path.exists():
        return json.loads(path.read_text())["namespaces"]
    return _names_from_keras()


def _names_from_keras():
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    keras = importlib.import_module("keras")
    names = {TOP: sorted(n for n in dir(keras) if not n.startswith("_")
                         and not isinstance(getattr(keras, n), types.ModuleType))}
    names[TOP] += ["__version__"] if hasattr(keras, "__version__") else []
    for namespace in NAMESPACES:
        if namespace == TOP:
            continue
        try:
            module = importlib.import_module(f"keras.{namespace}")
        except ImportError:
            continue
        names[namespace] = sorted(n for n in dir(module) if not n.startswith("_")
                                  and not isinstance(getattr(module, n), types.ModuleType))
    for cls, key in (("Model", "Model (public methods and properties)"),
                     ("Layer", "Layer (public methods and properties)")):
        names[key] = sorted(n for n in dir(getattr(keras, cls)) if not n.startswith("_"))
    return names


def display_order():
    """The namespaces in reading order: ``lamina`` first, then by dotted name.

    Example:
        >>> display_order()[:3]
        ['(top level)', 'activations', 'backend']
    """
    return [TOP] + sorted(ns for ns in NAMESPACES if ns != TOP)


def module_of(namespace):
    """The lamina module for a namespace name (``"ops.nn"`` -> ``lamina.ops.nn``), or None.

    Example:
        >>> module_of("layers").__name__
        'lamina.layers'
    """
    name = "lamina" if namespace == TOP else f"lamina.{namespace}"
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def dotted(namespace):
    """``"ops.nn"`` -> ``"lamina.ops.nn"``; the top level -> ``"lamina"``."""
    return "lamina" if namespace == TOP else f"lamina.{namespace}"


def public_names(reference=None):
    """``{namespace: [(name, object), ...]}`` for every Keras name that lamina provides.

    Example:
        >>> dict(public_names()["layers"])["Dense"].__name__
        'Dense'
    """
    reference = reference or reference_names()
    out = {}
    for namespace in NAMESPACES:
        module = module_of(namespace)
        if module is None or namespace not in reference:
            continue
        out[namespace] = [(n, getattr(module, n)) for n in reference[namespace] if hasattr(module, n)]
    return out


def _documentable(obj):
    return inspect.isclass(obj) or inspect.isroutine(obj) or callable(obj)


def placement(names=None):
    """Where each public object is documented: ``{id(obj): (namespace, name)}``.

    Example:
        >>> import lamina
        >>> placement()[id(lamina.layers.Dense)]
        ('layers', 'Dense')
    """
    names = names or public_names()
    home = {}
    for namespace in NAMESPACES:
        for name, obj in names.get(namespace, []):
            key = id(obj) if _documentable(obj) else (namespace, name)
            home.setdefault(key, (namespace, name))
    return home


def identifier(namespace, name, obj):
    """The dotted path that mkdocstrings documents ``obj`` under, and the id of its anchor.

    Classes and functions go by the module that defines them (griffe finds those
    without importing anything); values by their public path.

    Example:
        >>> import lamina
        >>> identifier("layers", "Dense", lamina.layers.Dense)
        'lamina.layers.core.dense.Dense'
    """
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if _documentable(obj) and module and qualname and "<" not in qualname:
        target = sys.modules.get(module)
        for part in qualname.split("."):
            target = getattr(target, part, None)
        if target is obj:
            return f"{module}.{qualname}"
    return f"{dotted(namespace)}.{name}"


def mixin_members(obj):
    """The public members a class takes from its own mixins (lamina classes named ``...Mixin``).

    A class assembled from mixins (``Layer``) is documented with those members, as if it
    defined them itself; members of ordinary base classes stay on their own pages.

    Example:
        >>> import lamina
        >>> "add_weight" in mixin_members(lamina.layers.Layer)
        True
    """
    if not inspect.isclass(obj):
        return []
    names = []
    for klass in obj.__mro__[1:]:
        if not (klass.__name__.endswith("Mixin") and klass.__module__.startswith("lamina.")):
            break
        names += [n for n in klass.__dict__ if not n.startswith("_") and n not in names
                  and n not in obj.__dict__]
    return names


def page_path(namespace):
    """The site path of a namespace's page: ``api/ops.nn.md``, ``api/lamina.md`` for the top level."""
    return "api/lamina.md" if namespace == TOP else f"api/{namespace}.md"


def _title(namespace):
    return "lamina" if namespace == TOP else f"lamina.{namespace}"


def api_pages(only=None):
    """``{site path: Markdown}`` for the API index and every namespace page.

    Args:
        only: namespace names to build (a fast partial build); ``None`` builds all.
            Links to a name documented on a page that is left out become plain text.

    Example:
        >>> sorted(api_pages(only=["activations"]))
        ['api/activations.md', 'api/index.md']
    """
    names = public_names()
    home = placement(names)
    built = [ns for ns in NAMESPACES if ns in names and (only is None or ns in only)]
    pages = {}
    for namespace in built:
        pages[page_path(namespace)] = _namespace_page(namespace, names[namespace], home, built)
    pages["api/index.md"] = _index_page(names, home, built)
    return pages


def _key(namespace, name, obj):
    return id(obj) if _documentable(obj) else (namespace, name)


def _namespace_page(namespace, entries, home, built):
    lines = [f"# `{_title(namespace)}`", "", f"::: {dotted(namespace)}", "    options:",
             "      members: false", "      show_root_heading: false", "      show_root_toc_entry: false", ""]
    own, elsewhere, same_page_aliases = [], [], []
    objects = dict(entries)
    for name, obj in entries:
        where = home[_key(namespace, name, obj)]
        if where == (namespace, name):
            own.append(name)
        elif where[0] == namespace:
            same_page_aliases.append((name, where))
        else:
            elsewhere.append((name, where))
    for name in own:
        lines.append(f"::: {identifier(namespace, name, objects[name])}")
        mixed_in = mixin_members(objects[name])
        if mixed_in:
            lines += ["    options:", f"      inherited_members: [{', '.join(mixed_in)}]"]
        lines.append("")
    if same_page_aliases or elsewhere:
        lines += ["## Also in this namespace", "",
                  "These names are documented once, on the page of the namespace shown.", "",
                  "| Name | Documented as |", "| --- | --- |"]
        for name, (ns, canonical) in same_page_aliases + elsewhere:
            target = identifier(ns, canonical, objects[name])
            lines.append(f"| `{name}` | {_link(ns, canonical, target, namespace, built)} |")
        lines.append("")
    return "\n".join(lines)


def _link(namespace, name, anchor, from_namespace, built):
    text = f"`{dotted(namespace)}.{name}`"
    if namespace not in built:
        return text
    target = "" if namespace == from_namespace else pathlib.PurePosixPath(page_path(namespace)).name
    return f"[{text}]({target}#{anchor})"


def _index_page(names, home, built):
    lines = ["# API reference", "",
             "Lamina's public API has the Keras 3 names: write `import lamina as keras`. "
             "Each public name is documented once, on the page of its most specific namespace; "
             "the other namespaces that export it link there.", "",
             "| Namespace | Names | Documented here |", "| --- | ---: | ---: |"]
    for namespace in NAMESPACES:
        if namespace not in names:
            continue
        entries = names[namespace]
        own = sum(home[_key(namespace, n, o)] == (namespace, n) for n, o in entries)
        title = f"`{_title(namespace)}`"
        if namespace in built:
            title = f"[{title}]({pathlib.PurePosixPath(page_path(namespace)).name})"
        lines.append(f"| {title} | {len(entries)} | {own} |")
    lines.append("")
    return "\n".join(lines)
