"""Checks: small functions that look at a learner's namespace and pass or fail.

A lab's ``checks.py`` (public, released) and ``checks_hidden.py`` (never
released) register checks per question with the :func:`check` decorator. A
check passes by returning (``None`` or a short message) and fails by raising
:class:`CheckFailed`; any other exception is reported as an error in the
learner's code, with its type and message and no traceback into the grader.

Example:
    >>> from lamina_grader.checks import check, CheckFailed
    >>> @check("q1", points=1, hint="Rows are samples.")
    ... def has_rows(ns):
    ...     if ns.get("n_rows") != 3:
    ...         raise CheckFailed("n_rows should be 3")
    >>> [r.status for r in run_question("q1", [has_rows], {"n_rows": 3})]
    ['passed']
"""

import dataclasses
import importlib.util
import os
import sys

__all__ = ["check", "CheckFailed", "Check", "CheckResult", "load_checks", "run_question",
           "format_report", "question_points"]

# Registries being filled while a checks file is imported (innermost last).
_COLLECTORS = []


class CheckFailed(Exception):
    """Raised by a check to fail with a message for the learner.

    Args:
        message: what is wrong, in the learner's terms.
        hint: optional nudge that overrides the check's default hint.

    Example:
        >>> try:
        ...     raise CheckFailed("x_train is not defined", hint="Run the loading cell.")
        ... except CheckFailed as e:
        ...     print(e.message, "|", e.hint)
        x_train is not defined | Run the loading cell.
    """

    def __init__(self, message, hint=None):
        super().__init__(message)
        self.message = str(message)
        self.hint = hint


@dataclasses.dataclass
class Check:
    """One registered check: a function of the notebook namespace.

    Example:
        >>> c = Check("q1", lambda ns: None, points=2, hint=None, name="always")
        >>> c.points
        2.0
    """

    question: str
    func: object
    points: float = 1.0
    hint: str = None
    name: str = None

    def __post_init__(self):
        if not isinstance(self.question, str) or not self.question:
            raise ValueError(f"check: question should be a non-empty string like 'q1', "
                             f"received {self.question!r}")
        try:
            self.points = float(self.points)
        except (TypeError, ValueError):
            raise ValueError(f"check {self.name!r}: points should be a number, "
                             f"received {self.points!r}") from None
        if self.points < 0:
            raise ValueError(f"check {self.name!r}: points should be >= 0, received {self.points}")
        if self.name is None:
            self.name = getattr(self.func, "__name__", "check")

    @property
    def title(self):
        """The check's name in words (``x_train_has_64_features`` -> ``x train has 64 features``)."""
        return self.name.replace("_", " ").strip()


@dataclasses.dataclass
class CheckResult:
    """The outcome of one check: ``status`` is ``passed``, ``failed`` or ``error``.

    Example:
        >>> CheckResult("q1", "c", 1.0, "passed").score
        1.0
    """

    question: str
    name: str
    points: float
    status: str
    message: str = ""
    hint: str = None
    hidden: bool = False

    @property
    def passed(self):
        return self.status == "passed"

    @property
    def score(self):
        return self.points if self.passed else 0.0

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in fields})


def check(question, points=1, hint=None, name=None):
    """Registers the decorated function as a check of ``question``.

    Args:
        question: the question id, as in the notebook's test cell (``"q1"``).
        points: points this check is worth (partial credit adds them up).
        hint: shown to the learner when the check fails.
        name: display name; defaults to the function's name.

    Returns:
        A decorator that returns the function unchanged (it can still be called).

    Example:
        >>> @check("q2", points=2, hint="Use model.fit.")
        ... def trained(ns):
        ...     return "looks trained"
        >>> trained.lamina_check.points
        2.0
    """

    def decorate(func):
        if not callable(func):
            raise TypeError(f"check({question!r}) decorates a function of the namespace, "
                            f"received {type(func).__name__}")
        item = Check(question, func, points=points, hint=hint, name=name or func.__name__)
        func.lamina_check = item
        if _COLLECTORS:
            _COLLECTORS[-1].append(item)
        return func

    return decorate


def load_checks(path):
    """Imports a checks file and returns its checks, in definition order.

    Args:
        path: path of ``checks.py`` or ``checks_hidden.py``.

    Returns:
        list of :class:`Check`.

    Example:
        >>> import tempfile, pathlib
        >>> d = tempfile.mkdtemp()
        >>> p = pathlib.Path(d, "checks.py")
        >>> _ = p.write_text("from lamina_grader.checks import check\\n"
        ...                  "@check('q1')\\ndef ok(ns):\\n    pass\\n")
        >>> [c.name for c in load_checks(p)]
        ['ok']
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"checks file not found: {path}")
    mod_name = "_lamina_checks_" + str(abs(hash(os.path.abspath(path))))
    spec = importlib.util.spec_from_file_location(mod_name, path)
    module = importlib.util.module_from_spec(spec)
    collected = []
    _COLLECTORS.append(collected)
    try:
        spec.loader.exec_module(module)
    finally:
        _COLLECTORS.pop()
    sys.modules.pop(mod_name, None)
    return collected


def _short_error(exc):
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    if len(first) > 300:
        first = first[:297] + "..."
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def run_check(item, ns, hidden=False):
    """Runs one check against namespace ``ns`` and returns its :class:`CheckResult`.

    Example:
        >>> c = Check("q1", lambda ns: ns["x"] + 1, name="adds")
        >>> run_check(c, {"x": "a"}).status
        'error'
    """
    try:
        value = item.func(ns)
    except CheckFailed as exc:
        return CheckResult(item.question, item.name, item.points, "failed", exc.message,
                           exc.hint if exc.hint is not None else item.hint, hidden)
    except Exception as exc:  # the learner's objects raised: report, never a traceback
        return CheckResult(item.question, item.name, item.points, "error",
                           "your code raised " + _short_error(exc), item.hint, hidden)
    message = value if isinstance(value, str) else ""
    return CheckResult(item.question, item.name, item.points, "passed", message, None, hidden)


def run_question(question, checks, ns, hidden=False):
    """Runs the checks of ``question`` among ``checks`` against namespace ``ns``.

    Raises:
        KeyError: when no check belongs to ``question``.

    Example:
        >>> run_question("q9", [], {})
        Traceback (most recent call last):
        ...
        KeyError: "no check registered for question 'q9' (questions with checks: none)"
    """
    mine = [c for c in checks if c.question == question]
    if not mine:
        known = sorted({c.question for c in checks})
        raise KeyError(f"no check registered for question {question!r} "
                       f"(questions with checks: {', '.join(known) or 'none'})")
    return [run_check(c, ns, hidden) for c in mine]


def question_points(checks):
    """Total points per question of a list of checks.

    Example:
        >>> question_points([Check("q1", len, 1), Check("q1", len, 2), Check("q2", len)])
        {'q1': 3.0, 'q2': 1.0}
    """
    totals = {}
    for c in checks:
        totals[c.question] = totals.get(c.question, 0.0) + c.points
    return totals


def _fmt_points(x):
    return f"{x:g}"


def format_report(question, results, hidden=False):
    """The teaching report printed in the notebook: one line per check.

    Hidden checks show their outcome and hint, never their message (it may
    carry a threshold).

    Example:
        >>> r = [CheckResult("q1", "has_rows", 1, "passed")]
        >>> print(format_report("q1", r))
        q1: 1/1 points
          ✓ has rows (1/1)
    """
    got = sum(r.score for r in results)
    total = sum(r.points for r in results)
    kind = " hidden checks" if hidden else ""
    lines = [f"{question}{kind}: {_fmt_points(got)}/{_fmt_points(total)} points"]
    for i, r in enumerate(results, 1):
        mark = "✓" if r.passed else "✗"
        title = f"hidden check {i}" if r.hidden else r.name.replace("_", " ")
        lines.append(f"  {mark} {title} ({_fmt_points(r.score)}/{_fmt_points(r.points)})")
        if r.message and not r.hidden:
            lines.append(f"      {r.message}")
        if r.hidden and r.status == "error":
            lines.append("      your code raised an error while this check ran")
        if not r.passed and r.hint:
            lines.append(f"      hint: {r.hint}")
    return "\n".join(lines)
