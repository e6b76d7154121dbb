"""Collecting submissions into ``submitted/STUDENT/LAB/``.

Only the lab's notebook and the files the lab declares (its artifacts, their
``.history.json``, custom-code modules) are kept: a submitted ``numpy.py`` or
``lamina_grader/`` folder next to the notebook would otherwise shadow real
modules in the grading kernel.

Example:
    >>> student_id("alice.b")
    'alice.b'
"""

import datetime
import os
import re
import shutil

__all__ = ["collect", "student_id"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def student_id(name):
    """``name`` if it is a safe learner id, else None."""
    return name if _ID.match(name or "") and ".." not in name else None


def _copy_submission(course, lab, nb_name, student, notebook, extra_dir, allowed):
    dest = course.path("submitted", student, lab)
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    shutil.copyfile(notebook, os.path.join(dest, nb_name + ".ipynb"))
    kept = []
    if extra_dir:
        for f in allowed:
            p = os.path.join(extra_dir, f)
            if os.path.isfile(p) and not os.path.islink(p):
                shutil.copyfile(p, os.path.join(dest, f))
                kept.append(f)
    stamp = datetime.datetime.fromtimestamp(os.path.getmtime(notebook), datetime.timezone.utc)
    with open(os.path.join(dest, "timestamp.txt"), "w", encoding="utf-8") as fh:
        fh.write(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    return kept


def _sanitize(folder, nb_name, allowed):
    removed = []
    keep = set(allowed) | {nb_name + ".ipynb", "timestamp.txt"}
    for name in os.listdir(folder):
        p = os.path.join(folder, name)
        if name not in keep or os.path.islink(p):
            (shutil.rmtree if os.path.isdir(p) and not os.path.islink(p) else os.remove)(p)
            removed.append(name)
    return removed


def collect(course, lab, from_folder=None, progress=print):
    """Collects submissions of ``lab``.

    Args:
        course: the :class:`~lamina_grader.course.Course`.
        lab: the lab id.
        from_folder: a folder of ``<student>.ipynb`` files or ``<student>/<lab>.ipynb``
            folders (with the artifact files next to the notebook); None uses
            nbgrader's exchange (``nbgrader collect``).

    Returns:
        The sorted list of collected learner ids.
    """
    from lamina_grader.course import CourseError

    nb_name = course.notebook_name(lab)
    allowed = course.lab_config(lab).artifact_files
    collected = []
    if from_folder is None:
        proc = course.nbgrader("collect", lab, "--update")
        if proc.returncode != 0:
            raise CourseError(f"collect {lab}: nbgrader collect failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
        for student in course.students(lab):
            removed = _sanitize(course.path("submitted", student, lab), nb_name, allowed)
            if removed:
                progress(f"{student}: ignored files the lab does not ask for: {', '.join(sorted(removed))}")
            collected.append(student)
        return sorted(collected)
    from_folder = os.path.abspath(from_folder)
    if not os.path.isdir(from_folder):
        raise CourseError(f"collect {lab}: --from should be a folder of submissions, {from_folder} is not a folder")
    for entry in sorted(os.listdir(from_folder)):
        path = os.path.join(from_folder, entry)
        if os.path.islink(path):
            progress(f"skipped {entry}: a link")
            continue
        if os.path.isfile(path) and entry.endswith(".ipynb"):
            student, notebook, extra = entry[:-len(".ipynb")], path, None
        elif os.path.isdir(path):
            student = entry
            candidates = [os.path.join(path, n + ".ipynb") for n in (lab, nb_name)]
            found = [c for c in candidates if os.path.isfile(c) and not os.path.islink(c)]
            if not found:
                progress(f"skipped {entry}/: no {lab}.ipynb inside")
                continue
            notebook, extra = found[0], path
        else:
            continue
        if student_id(student) is None:
            progress(f"skipped {entry}: {student!r} is not a usable learner id (letters, digits, '_', '-', '.')")
            continue
        kept = _copy_submission(course, lab, nb_name, student, notebook, extra, allowed)
        progress(f"collected {student}" + (f" (+ {', '.join(kept)})" if kept else ""))
        collected.append(student)
    return collected
