"""Releasing a lab: the student version, and proof that the reference solution passes.

nbgrader's ``generate_assignment`` strips solutions and hidden test regions
but copies every other file (``checks_hidden.py`` included) and never runs the
notebook. :func:`release` removes the grader-only files from the release,
checks that nothing hidden is left, and :func:`validate_lab` runs the source
notebook (the reference solution) with the hidden checks and grades its
artifacts: a lab whose own solution fails is not released.

Example:
    >>> nb = student_notebook("labs/01-first-model/01-first-model.ipynb")  # doctest: +SKIP
    >>> any("BEGIN SOLUTION" in c.source for c in nb.cells)  # doctest: +SKIP
    False
"""

import dataclasses
import json
import os
import shutil
import tempfile

import nbformat

from lamina_grader.checks import CheckResult, load_checks, question_points

__all__ = ["student_notebook", "release", "validate_lab", "run_notebook", "grade_cells", "ValidationReport",
           "RELEASE_EXCLUDE"]

# Files of a lab that learners never receive.
RELEASE_EXCLUDE = ("checks_hidden.py", "grading.toml", "reference.json", "reference")
_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def student_notebook(source_path):
    """The student version of one source notebook.

    Solutions replaced by stubs, hidden test regions removed, outputs
    cleared, test and instruction cells locked, checksums computed (as
    nbgrader's ``generate_assignment`` does, without a gradebook).

    Args:
        source_path: the nbgrader source notebook.

    Returns:
        ``nbformat.NotebookNode``.
    """
    from nbgrader.preprocessors import (ClearHiddenTests, ClearMarkScheme, ClearOutput, ClearSolutions,
                                        ComputeChecksums, LockCells)

    nb = nbformat.read(os.fspath(source_path), as_version=4)
    resources = {}
    for pp in (LockCells(), ClearSolutions(), ClearOutput(), ComputeChecksums(), ClearHiddenTests(),
               ClearMarkScheme(), ComputeChecksums()):
        nb, resources = pp.preprocess(nb, resources)
    leftovers = [m for c in nb.cells for m in _MARKERS if m in c.source]
    if leftovers:
        raise ValueError(f"{source_path}: the student version still holds {sorted(set(leftovers))}: "
                         "check that every BEGIN marker has its END marker")
    return nb


def grade_cells(nb):
    """``{grade_id: points}`` of the autograded test cells of a notebook."""
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            out[meta["grade_id"]] = float(meta.get("points", 0))
    return out


def _strip_release(folder, extra=()):
    removed = []
    for name in tuple(RELEASE_EXCLUDE) + tuple(extra):
        p = os.path.join(folder, name)
        if os.path.isdir(p):
            shutil.rmtree(p)
            removed.append(name)
        elif os.path.exists(p):
            os.remove(p)
            removed.append(name)
    problems = []
    for dirpath, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(dirpath, f)
            if f.endswith((".ipynb", ".py", ".md", ".txt")):
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
                found = [m for m in _MARKERS if m in text]
                if found:
                    problems.append(f"{os.path.relpath(path, folder)} still holds {found}")
    return removed, problems


@dataclasses.dataclass
class ValidationReport:
    """What running the reference solution showed."""

    lab: str
    problems: list = dataclasses.field(default_factory=list)
    checks: list = dataclasses.field(default_factory=list)
    artifacts: list = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        n_ok = sum(1 for c in self.checks if c.passed)
        lines = [f"{self.lab}: reference solution ran in {self.seconds:.1f} s; {n_ok}/{len(self.checks)} checks "
                 "passed"]
        for a in self.artifacts:
            lines.append(f"  artifact {a['name']}: {a['points']:g}/{a['max_points']:g} — {a['line']}")
        lines += [f"  PROBLEM: {p}" for p in self.problems]
        return "\n".join(lines)


def run_notebook(nb_path, workdir, env_extra=None, cell_timeout=120, total_timeout=900, prelude=None):
    """Executes a notebook in ``workdir`` with our robust executor; returns ``(nb, exec_report, checks)``.

    Args:
        nb_path: the notebook to run (not modified).
        workdir: the kernel's working directory.
        env_extra: environment variables for the kernel.
        prelude: code run in a first, extra cell (e.g. seeding).
    """
    from lamina_grader import RESULTS_ENV
    from lamina_grader.nbexec import EXEC_REPORT_ENV, RobustExecute

    nb = nbformat.read(os.fspath(nb_path), as_version=4)
    if prelude:
        nb.cells.insert(0, nbformat.v4.new_code_cell(prelude))
    results = os.path.join(workdir, ".lamina-checks.jsonl")
    report = os.path.join(workdir, ".lamina-exec.json")
    for p in (results, report):
        if os.path.exists(p):
            os.remove(p)
    saved = dict(os.environ)
    os.environ.update({RESULTS_ENV: results, EXEC_REPORT_ENV: report, "TF_CPP_MIN_LOG_LEVEL": "3"})
    os.environ.update(env_extra or {})
    try:
        ex = RobustExecute(timeout=int(cell_timeout), total_timeout=float(total_timeout), kernel_name="python3")
        ex.preprocess(nb, {"metadata": {"path": workdir}})
    finally:
        os.environ.clear()
        os.environ.update(saved)
    exec_report = {}
    if os.path.exists(report):
        with open(report, encoding="utf-8") as fh:
            exec_report = json.load(fh)
    checks = []
    if os.path.exists(results):
        with open(results, encoding="utf-8") as fh:
            checks = [CheckResult.from_dict(json.loads(line)) for line in fh if line.strip()]
    return nb, exec_report, checks


def _check_points(lab_dir, nb):
    problems = []
    public = load_checks(os.path.join(lab_dir, "checks.py"))
    hidden_path = os.path.join(lab_dir, "checks_hidden.py")
    hidden = load_checks(hidden_path) if os.path.exists(hidden_path) else []
    totals = question_points(public + hidden)
    public_q = set(question_points(public))
    for gid, points in grade_cells(nb).items():
        if gid not in public_q:
            problems.append(f"test cell {gid} has no public check in checks.py")
        if abs(totals.get(gid, 0.0) - points) > 1e-9:
            problems.append(f"test cell {gid} is worth {points:g} points but its checks add up to "
                            f"{totals.get(gid, 0.0):g}")
    for q in sorted(set(totals) - set(grade_cells(nb))):
        problems.append(f"checks registered for {q!r} but the notebook has no test cell {q!r}")
    return problems


def validate_lab(lab_dir, backend=None, sandbox_backend=None, timeout_scale=1.0):
    """Runs the lab's reference solution with all checks, and grades its artifacts.

    Args:
        lab_dir: the lab's source folder.
        backend: ``LAMINA_BACKEND`` of the run (default: the environment's).

    Returns:
        :class:`ValidationReport`; ``ok`` is False when a check fails, a test
        cell errors, points do not add up, or an artifact is not at full marks.
    """
    import time

    from lamina_grader.artifacts import grade_artifact
    from lamina_grader.labconfig import load_lab_config

    lab = os.path.basename(os.path.normpath(lab_dir))
    cfg = load_lab_config(lab_dir)
    nb_path = os.path.join(lab_dir, lab + ".ipynb")
    report = ValidationReport(lab)
    src_nb = nbformat.read(nb_path, as_version=4)
    report.problems += _check_points(lab_dir, src_nb)
    start = time.time()
    with tempfile.TemporaryDirectory(prefix=f"lamina-validate-{lab}-") as work:
        for name in os.listdir(lab_dir):
            if name.endswith(".ipynb") or name in ("reference.json",):
                continue
            src = os.path.join(lab_dir, name)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(work, name))
        env = {"LAMINA_BACKEND": backend} if backend else {}
        nb, exec_report, checks = run_notebook(nb_path, work, env, cfg.cell_timeout_s * timeout_scale,
                                               cfg.notebook_timeout_s * timeout_scale)
        report.checks = checks
        if exec_report.get("died") or exec_report.get("stopped"):
            report.problems.append(f"the notebook did not run to the end: {exec_report}")
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                where = meta.get("grade_id") or cell.source.strip().splitlines()[0][:60]
                report.problems.append(f"cell {where!r} raised {errors[0].get('ename')}: "
                                       f"{str(errors[0].get('evalue'))[:200]}")
        for c in checks:
            if not c.passed:
                kind = "hidden check" if c.hidden else "check"
                report.problems.append(f"{kind} {c.question}/{c.name} did not pass: {c.status} {c.message}")
        ran = {c.question for c in checks}
        for gid in grade_cells(src_nb):
            if gid not in ran:
                report.problems.append(f"the checks of {gid} never ran")
        reference = {}
        ref_path = os.path.join(lab_dir, "reference.json")
        if os.path.exists(ref_path):
            with open(ref_path, encoding="utf-8") as fh:
                reference = json.load(fh).get("artifacts", {})
        for spec in cfg.artifacts:
            g = grade_artifact(spec, work, reference.get(spec.name), backend=sandbox_backend or backend,
                               reference_dir=lab_dir)
            report.artifacts.append(g.to_dict())
            if g.status == "no_reference":
                continue
            if g.points < spec.points:
                report.problems.append(f"artifact {spec.name} scores {g.points:g}/{spec.points:g}: {g.line}")
    report.seconds = time.time() - start
    return report


def release(course, lab, validate=True, backend=None, sandbox_backend=None):
    """Generates the student version of ``lab`` in ``release/LAB`` (nbgrader), minus grader-only files.

    Returns:
        ``(messages, ValidationReport or None)``.

    Raises:
        CourseError: when nbgrader fails, something hidden would be released,
            or the reference solution does not pass.
    """
    from lamina_grader.course import CourseError

    lab_dir = course.lab_dir(lab)
    messages = []
    report = None
    if validate:
        report = validate_lab(lab_dir, backend=backend, sandbox_backend=sandbox_backend)
        messages.append(report.summary())
        if not report.ok:
            raise CourseError(f"release {lab}: the reference solution does not pass its own grading:\n"
                              + report.summary())
    proc = course.nbgrader("generate_assignment", lab, "--force")
    if proc.returncode != 0:
        raise CourseError(f"release {lab}: nbgrader generate_assignment failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    out = course.path("release", lab)
    substitutes = {f for spec in course.lab_config(lab).artifacts for f in spec.substitute.values()}
    removed, problems = _strip_release(out, sorted(substitutes))
    if problems:
        shutil.rmtree(out)
        raise CourseError(f"release {lab}: hidden material would be released, release removed: {problems}")
    messages.append(f"released {lab} to {out} (removed grader-only files: {', '.join(removed) or 'none'})")
    return messages, report
