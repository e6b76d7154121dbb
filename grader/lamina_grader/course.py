"""A course folder: nbgrader configuration, paths, and running nbgrader from the course root.

Layout (nbgrader's, plus ours)::

    COURSE/
      nbgrader_config.py      written by `lamina-grader init`
      gradebook.db            nbgrader's sqlite gradebook (+ our table lamina_artifact_grade)
      source/LAB/             the lab's source notebook, checks.py, checks_hidden.py, grading.toml...
      release/LAB/            student version (no solutions, no hidden checks)
      submitted/STUDENT/LAB/  collected work (notebook + declared artifact files only)
      autograded/STUDENT/LAB/ nbgrader's executed copy; artifacts are graded from here
      grading/LAB/STUDENT/    our per-learner record: result.json, exec.json, kernel/checks.jsonl
      feedback/STUDENT/LAB/   feedback HTML
      export/LAB/             grades.csv and STUDENT/results.json

Example:
    >>> c = Course("/tmp/course")
    >>> c.path("source", "01-first-model")
    '/tmp/course/source/01-first-model'
"""

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from lamina_grader.labconfig import load_lab_config

__all__ = ["Course", "CourseError", "init_course"]

CONFIG_TEMPLATE = '''"""nbgrader configuration written by `lamina-grader init` (edit freely; init does not overwrite it)."""
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput,
                                    SaveAutoGrades)

from lamina_grader.nbexec import DropGradeCellStderr, RobustExecute

c = get_config()  # noqa: F821
# Always the folder of this file, whatever the caller's working directory
# (nbgrader run elsewhere silently creates an empty gradebook).
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "reference.json"]
c.Exchange.root = os.path.join(c.CourseDirectory.root, "exchange")

# A deleted or edited test cell is restored from the source version.
c.OverwriteCells.add_missing_cells = True
# Per-cell and whole-notebook time limits (a lab's grading.toml can change both).
c.Execute.timeout = {cell_timeout}
c.Execute.interrupt_on_timeout = True
c.RobustExecute.total_timeout = {total_timeout}
# Framework warnings on stderr never cost points: stderr is dropped from test cells,
# and known framework noise from every cell.
c.IgnorePattern.pattern = {ignore_pattern!r}
c.Autograde.autograde_preprocessors = [RobustExecute, DropGradeCellStderr, IgnorePattern,
                                       ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
                                       AssignLatePenalties, CheckCellMetadata]
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
'''

FRAMEWORK_NOISE = (r"(?s).*(WARNING|Warning|warn|I0000|W0000|E0000|oneDNN|cuda|CUDA|TF_CPP|absl|"
                   r"tensorflow|jax|torch|XLA|xla|UserWarning|DeprecationWarning|FutureWarning).*")


def _run_group(cmd, cwd, env, timeout):
    """Runs ``cmd`` in its own process group; on timeout the whole group (kernel included) is killed."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        err += f"\n[lamina-grader] killed after the time limit of {timeout:g} s"
        proc.returncode = -signal.SIGKILL
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


class CourseError(RuntimeError):
    """A course command could not do its job; the message says why and what to do."""


def _course_id(root):
    return re.sub(r"[^A-Za-z0-9_-]", "-", os.path.basename(os.path.abspath(root))) or "course"


def init_course(root, labs_dir=None, cell_timeout=120, total_timeout=900):
    """Creates (or updates) a course folder and copies lab sources into ``source/``.

    Args:
        root: the course folder (created if needed).
        labs_dir: a folder of ``NN-slug/`` lab folders to copy into ``source/``.
        cell_timeout, total_timeout: defaults of the per-cell and notebook time limits.

    Returns:
        The :class:`Course`.

    Example:
        >>> init_course("/tmp/my-course", labs_dir="labs")  # doctest: +SKIP
    """
    root = os.path.abspath(root)
    for sub in ("source", "release", "submitted", "autograded", "feedback", "grading", "export"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    cfg = os.path.join(root, "nbgrader_config.py")
    if not os.path.exists(cfg):
        with open(cfg, "w", encoding="utf-8") as fh:
            fh.write(CONFIG_TEMPLATE.format(course_id=_course_id(root), cell_timeout=int(cell_timeout),
                                            total_timeout=float(total_timeout), ignore_pattern=FRAMEWORK_NOISE))
    course = Course(root)
    if labs_dir:
        labs_dir = os.path.abspath(labs_dir)
        if not os.path.isdir(labs_dir):
            raise CourseError(f"init: --labs should be a folder of lab folders, {labs_dir} is not a folder")
        for name in sorted(os.listdir(labs_dir)):
            src = os.path.join(labs_dir, name)
            if os.path.isdir(src) and os.path.exists(os.path.join(src, name + ".ipynb")):
                course.add_lab(src)
    course.ensure_tables()
    return course


class Course:
    """A course folder. Every nbgrader command runs with the course root as working directory."""

    def __init__(self, root):
        self.root = os.path.abspath(root)

    @classmethod
    def find(cls, start=None):
        """The course that holds ``start`` (default: the working directory), searching upwards."""
        here = os.path.abspath(start or os.getcwd())
        while True:
            if os.path.exists(os.path.join(here, "nbgrader_config.py")):
                return cls(here)
            parent = os.path.dirname(here)
            if parent == here:
                raise CourseError("no course found: run `lamina-grader init COURSE_DIR` first, then run the "
                                  "commands inside COURSE_DIR or pass --course COURSE_DIR")
            here = parent

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    @property
    def db_path(self):
        return self.path("gradebook.db")

    def check_ready(self):
        if not os.path.exists(self.path("nbgrader_config.py")):
            raise CourseError(f"{self.root} is not a course folder (no nbgrader_config.py): "
                              "run `lamina-grader init` first")

    # ----- labs -----
    def labs(self):
        src = self.path("source")
        return sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))) if os.path.isdir(src) else []

    def lab_dir(self, lab):
        d = self.path("source", lab)
        if not os.path.isdir(d):
            raise CourseError(f"no lab {lab!r} in {self.path('source')} (labs: {', '.join(self.labs()) or 'none'}); "
                              "copy it with `lamina-grader init COURSE --labs labs/`")
        return d

    def lab_config(self, lab):
        return load_lab_config(self.lab_dir(lab))

    def notebook_name(self, lab):
        d = self.lab_dir(lab)
        names = sorted(f[:-6] for f in os.listdir(d) if f.endswith(".ipynb"))
        if len(names) != 1:
            raise CourseError(f"lab {lab}: expected one notebook in {d}, found {names}")
        return names[0]

    def reference(self, lab):
        path = os.path.join(self.lab_dir(lab), "reference.json")
        if not os.path.exists(path):
            return {}
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)

    def add_lab(self, src):
        name = os.path.basename(os.path.normpath(src))
        dst = self.path("source", name)
        if os.path.isdir(dst):
            shutil.rmtree(dst)
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc",
                                                                  "*.keras", "*.history.json"))
        return dst

    def students(self, lab):
        sub = self.path("submitted")
        if not os.path.isdir(sub):
            return []
        return sorted(s for s in os.listdir(sub) if os.path.isdir(os.path.join(sub, s, lab)))

    # ----- nbgrader -----
    def nbgrader(self, *args, env=None, prefix=(), timeout=None, retries=3):
        """Runs ``nbgrader ARGS`` with the course root as working directory.

        Retries when sqlite reports a locked database (parallel graders).

        Returns:
            The CompletedProcess.
        """
        self.check_ready()
        cmd = list(prefix) + [sys.executable, "-m", "nbgrader", *args,
                              f"--CourseDirectory.root={self.root}"]
        full_env = dict(os.environ if env is None else env)
        for attempt in range(retries + 1):
            proc = _run_group(cmd, self.root, full_env, timeout)
            text = proc.stdout + proc.stderr
            if proc.returncode == 0 or "database is locked" not in text or attempt == retries:
                return proc
            time.sleep(0.5 + attempt)
        return proc

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook("sqlite:///" + self.db_path, course_id=_course_id(self.root))

    # ----- our artifact table, next to nbgrader's -----
    def ensure_tables(self):
        with sqlite3.connect(self.db_path, timeout=30) as db:
            db.execute("""CREATE TABLE IF NOT EXISTS lamina_artifact_grade (
                assignment TEXT NOT NULL, student TEXT NOT NULL, artifact TEXT NOT NULL,
                score REAL NOT NULL, max_score REAL NOT NULL, status TEXT NOT NULL,
                metric TEXT, value REAL, comment TEXT, graded_at TEXT NOT NULL,
                PRIMARY KEY (assignment, student, artifact))""")

    def record_artifacts(self, lab, student, grades):
        """Stores artifact grades (idempotent: one row per lab, learner and artifact)."""
        self.ensure_tables()
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        rows = [(lab, student, g["name"], g["points"], g["max_points"], g["status"], g["metric"], g["value"],
                 g["line"], now) for g in grades]
        for attempt in range(10):
            try:
                with sqlite3.connect(self.db_path, timeout=30) as db:
                    db.execute("DELETE FROM lamina_artifact_grade WHERE assignment=? AND student=?", (lab, student))
                    db.executemany("INSERT INTO lamina_artifact_grade VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
                return
            except sqlite3.OperationalError:
                if attempt == 9:
                    raise
                time.sleep(0.5)

    def artifact_rows(self, lab):
        self.ensure_tables()
        with sqlite3.connect(self.db_path, timeout=30) as db:
            cur = db.execute("SELECT student, artifact, score, max_score, status, metric, value, comment "
                             "FROM lamina_artifact_grade WHERE assignment=? ORDER BY student, artifact", (lab,))
            return cur.fetchall()

    def result(self, lab, student):
        path = self.path("grading", lab, student, "result.json")
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)

    def graded_students(self, lab):
        d = self.path("grading", lab)
        return sorted(s for s in os.listdir(d) if os.path.exists(os.path.join(d, s, "result.json"))) \
            if os.path.isdir(d) else []
