"""lamina_grader: autograding of lamina labs on top of nbgrader.

Learner side (in a lab notebook)::

    import lamina_grader as grader
    x_train, y_train = grader.load_lab_data("digits")
    ...
    grader.save_model(model, "digits_model")
    grader.check("q1")

Instructor side: the ``lamina-grader`` command (see ``grader/README.md``).

Example:
    >>> import lamina_grader
    >>> callable(lamina_grader.check)
    True
"""

import json
import os
import re
import sys
import tempfile

from lamina_grader import integrity
from lamina_grader.checks import CheckFailed, CheckResult, format_report, load_checks, run_question

__version__ = "0.1.0"
__all__ = ["check", "save_model", "load_lab_data", "CheckFailed"]

# Set by the grader in the kernel's environment: a JSON-lines file that
# receives every check result, and the grading switch.
RESULTS_ENV = "LAMINA_GRADER_RESULTS"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
integrity.snapshot()  # before any learner code runs: the setup cell imports lamina_grader
# Points per question earned in this process: {question: {"public": x, "hidden": y}}.
_EARNED = {}


class QuestionScore(float):
    """Points earned on a question; its repr is the bare number (nbgrader partial credit).

    Example:
        >>> QuestionScore(1.5)
        1.5
    """

    def __repr__(self):
        return f"{float(self):g}"


def _grading():
    return bool(os.environ.get(RESULTS_ENV))


def _record(results):
    path = os.environ.get(RESULTS_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r.to_dict()) + "\n")


def check(question, hidden=False):
    """Runs the checks of one question against the notebook's variables.

    Finds ``checks.py`` (or ``checks_hidden.py`` with ``hidden=True``) in the
    current folder, runs the checks registered for ``question`` against the
    caller's globals and prints a report: ✓ or ✗ per check, its message, a
    hint and the points.

    Args:
        question: the question id, e.g. ``"q1"``.
        hidden: run the hidden checks (only present when the grader runs).

    Returns:
        None for a learner; while grading, the points earned on the question
        so far (nbgrader reads it as partial credit).

    Raises:
        AssertionError: when a check failed (not while grading, where the
            failure is recorded and the next checks still run).

    Example:
        >>> import lamina_grader as grader
        >>> grader.check("q1")  # doctest: +SKIP
        q1: 1/1 points
          ✓ x train has 64 features (1/1)
    """
    ns = sys._getframe(1).f_globals
    filename = "checks_hidden.py" if hidden else "checks.py"
    path = os.path.join(os.getcwd(), filename)
    if not os.path.isfile(path):
        if hidden:
            print(f"{question}: hidden checks run only when your work is graded.")
            return None
        raise FileNotFoundError(f"lamina_grader.check({question!r}): no checks.py in {os.getcwd()}; "
                                "open the notebook from the lab's folder so that its checks.py is next to it")
    checks = load_checks(path)
    patched = integrity.replaced()
    if patched:
        results = _refused(question, checks, patched, hidden)
    else:
        results = run_question(question, checks, ns, hidden=hidden)
    print(format_report(question, results, hidden=hidden))
    earned = _EARNED.setdefault(question, {})
    earned["hidden" if hidden else "public"] = sum(r.score for r in results)
    if _grading():
        _record(results)
        return QuestionScore(sum(earned.values()))
    failed = [r for r in results if not r.passed]
    if failed:
        raise AssertionError(f"{question}: {len(failed)} of {len(results)} checks did not pass (see above)")
    return None


def _refused(question, checks, patched, hidden):
    """Every check of ``question`` failed without running: the notebook replaced what checks rely on."""
    shown = ", ".join(patched[:4]) + (f" and {len(patched) - 4} more" if len(patched) > 4 else "")
    message = f"not checked: the notebook replaced {shown}, so no check can trust its results"
    hint = "Do not reassign library functions; restart the kernel and run all cells again."
    mine = [c for c in checks if c.question == question]
    if not mine:
        return run_question(question, checks, {}, hidden=hidden)  # the usual KeyError for an unknown question
    return [CheckResult(c.question, c.name, c.points, "failed", message, hint, hidden) for c in mine]


def _artifact_name(name):
    if not isinstance(name, str) or not _NAME_RE.match(name) or name.endswith(".keras"):
        raise ValueError("save_model: name should be a short file stem like 'digits_model' (letters, digits, "
                         f"'_', '-', '.'; no folder, no '.keras'), received {name!r}")
    return name


def _atomic_write(path, write):
    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=folder)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _history_dict(history):
    data = getattr(history, "history", history)
    if not isinstance(data, dict):
        raise TypeError("save_model: history should be the History returned by model.fit (or its "
                        f".history dict), received {type(history).__name__}")
    out = {}
    for key, values in data.items():
        try:
            out[str(key)] = [float(v) for v in values]
        except (TypeError, ValueError):
            raise TypeError(f"save_model: history[{key!r}] should be a list of numbers") from None
    return out


def save_model(model, name, history=None):
    """Saves ``model`` as ``<name>.keras`` next to the notebook, for the grader.

    The write is atomic (a temporary file, then a rename), so an interrupted
    save never leaves a half-written model. The History of the last ``fit``
    (``model.history``, or the ``history`` you pass) is saved too, as
    ``<name>.history.json``, for the learning-curve plot in your feedback.

    Args:
        model: a lamina (or Keras) model.
        name: file stem asked for by the lab, e.g. ``"digits_model"``.
        history: optional History (or its ``.history`` dict).

    Returns:
        The path of the saved file.

    Example:
        >>> grader.save_model(model, "digits_model")  # doctest: +SKIP
        saved digits_model.keras (Sequential, 4,810 parameters, 38.2 KB)
    """
    name = _artifact_name(name)
    if not hasattr(model, "save") or not hasattr(model, "count_params"):
        raise TypeError(f"save_model: expected a model (with .save), received {type(model).__name__}")
    path = os.path.join(os.getcwd(), name + ".keras")
    _atomic_write(path, lambda tmp: model.save(tmp))
    if history is None:
        history = getattr(model, "history", None)
    hist_note = ""
    if history is not None:
        data = _history_dict(history)
        if data:
            hist_path = os.path.join(os.getcwd(), name + ".history.json")

            def write(tmp):
                with open(tmp, "w", encoding="utf-8") as fh:
                    json.dump(data, fh)

            _atomic_write(hist_path, write)
            epochs = max(len(v) for v in data.values())
            hist_note = f"; history of {epochs} epochs in {name}.history.json"
    try:
        n_params = f"{int(model.count_params()):,} parameters, "
    except Exception:
        n_params = ""
    size_kb = os.path.getsize(path) / 1024
    print(f"saved {name}.keras ({type(model).__name__}, {n_params}{size_kb:.1f} KB){hist_note}")
    return path


def load_lab_data(dataset):
    """The learner's training split of a lab dataset.

    Args:
        dataset: the dataset's key, e.g. ``"digits"``.

    Returns:
        What the lab's provider gives, e.g. ``(x_train, y_train)`` NumPy arrays.

    Example:
        >>> x_train, y_train = grader.load_lab_data("digits")  # doctest: +SKIP
    """
    from lamina_grader import datasets

    return datasets.load_lab_data(dataset)
