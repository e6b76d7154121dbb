"""Autograding a lab: nbgrader per learner in parallel processes, then artifact grading.

For each learner, one worker process (``python -m lamina_grader.autograde ROOT LAB STUDENT``):

1. reads the submitted notebook; one that is not a valid notebook scores zero
   with the reason, and the rest of the class is graded;
2. compares its test cells with the source: a deleted or edited test cell is
   reported (nbgrader restores it: ``OverwriteCells.add_missing_cells``);
3. runs ``nbgrader autograde`` (course root as working directory) with
   :class:`~lamina_grader.nbexec.RobustExecute`, under a memory limit and, when
   possible, without network and with a read-only file system outside the
   learner's folder (:mod:`lamina_grader.kernel_jail`); the kernel records
   every check result;
4. cross-checks nbgrader's score of each test cell against the check results
   it recorded (a notebook that replaced the checker gets the points of the
   checks that really ran) and writes the final score to the gradebook;
5. grades each artifact in the sandbox against the reference band and records
   it in the ``lamina_artifact_grade`` table of the gradebook;
6. writes ``grading/LAB/STUDENT/result.json``, which feedback and export read.

Grading again is idempotent: each step overwrites its own output.
"""

import argparse
import concurrent.futures
import json
import math
import os
import shutil
import subprocess
import sys
import time

import nbformat

from lamina_grader.checks import CheckResult, load_checks
from lamina_grader.course import Course, CourseError
from lamina_grader.release import grade_cells
from lamina_grader.sandbox import limits_prefix, net_prefix

__all__ = ["autograde", "grade_one", "tampering", "question_scores"]


def tampering(source_nb, submitted_nb):
    """Test cells of the source that the submission deleted or edited.

    Example:
        >>> import nbformat
        >>> cell = nbformat.v4.new_code_cell("grader.check('q1')")
        >>> cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q1", "points": 1}
        >>> src = nbformat.v4.new_notebook(cells=[cell])
        >>> tampering(src, nbformat.v4.new_notebook())
        ['test cell q1 was deleted (restored for grading)']
    """
    mine = {}
    for cell in submitted_nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid:
            mine[gid] = cell
    notes = []
    hidden = "### BEGIN HIDDEN TESTS"
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") and not meta.get("solution")):
            continue
        gid = meta["grade_id"]
        if gid not in mine:
            notes.append(f"test cell {gid} was deleted (restored for grading)")
            continue
        public = cell.source.split(hidden)[0].strip()
        if mine[gid].source.split(hidden)[0].strip() != public:
            notes.append(f"test cell {gid} was edited (restored for grading)")
    return notes


def _expected_checks(lab_dir):
    out = []
    for name, hidden in (("checks.py", False), ("checks_hidden.py", True)):
        p = os.path.join(lab_dir, name)
        if os.path.exists(p):
            out += [(c, hidden) for c in load_checks(p)]
    return out


def question_scores(expected, recorded):
    """Per question: the checks as the grader saw them, and their points.

    Args:
        expected: ``[(Check, hidden)]`` from the lab's checks files.
        recorded: CheckResults written by the kernel (the last one of each check wins).

    Returns:
        ``{question: {"score", "max", "checks": [result dicts], "missing": n}}``.
    """
    last = {}
    for r in recorded:
        last[(r.question, r.name, bool(r.hidden))] = r
    out = {}
    for c, hidden in expected:
        q = out.setdefault(c.question, {"score": 0.0, "max": 0.0, "checks": [], "missing": 0})
        q["max"] += c.points
        r = last.get((c.question, c.name, hidden))
        if r is None:
            r = CheckResult(c.question, c.name, c.points, "not_run", "this check did not run", c.hint, hidden)
            q["missing"] += 1
        else:
            r.points = c.points  # the file's points, not what the kernel wrote
        q["score"] += r.score
        q["checks"].append(r.to_dict())
    return out


def _read_jsonl(path):
    out = []
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    out.append(CheckResult.from_dict(json.loads(line)))
                except (ValueError, TypeError):
                    continue
    return out


def _read_history(path, max_epochs=10000):
    if not os.path.isfile(path) or os.path.islink(path) or os.path.getsize(path) > 5_000_000:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return {str(k)[:64]: [float(v) for v in vals][:max_epochs] for k, vals in data.items()
                if isinstance(vals, list)} or None
    except (ValueError, TypeError, AttributeError):
        return None


def _memory_notes(graded_path, limit_mb):
    """A note for each cell of the graded notebook that stopped on a MemoryError."""
    try:
        nb = nbformat.read(graded_path, as_version=4)
    except (OSError, ValueError):
        return []
    notes = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("ename") == "MemoryError" for o in cell.get("outputs", [])):
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
            notes.append(f"{gid} ran out of memory (MemoryError; a notebook may use {limit_mb} MB): the rest of "
                         "that cell did not run")
    return notes


def _zero_grades(course, lab, student):
    with course.gradebook() as gb:
        gb.update_or_create_student(student)
        sub = gb.update_or_create_submission(lab, student)
        for nb in sub.notebooks:
            for g in nb.grades:
                g.auto_score = 0.0
                g.needs_manual_grade = False
        gb.db.commit()


def _gradebook_scores(course, lab, student, nb_name, cells):
    scores = {}
    with course.gradebook() as gb:
        for gid in cells:
            try:
                g = gb.find_grade(gid, nb_name, lab, student)
                scores[gid] = g.auto_score
            except Exception:
                scores[gid] = None
    return scores


def _set_scores(course, lab, student, nb_name, fixed):
    with course.gradebook() as gb:
        for gid, score in fixed.items():
            g = gb.find_grade(gid, nb_name, lab, student)
            g.auto_score = float(score)
            g.needs_manual_grade = False
        gb.db.commit()


def _run_nbgrader(course, lab, student, cfg, out_dir, backend, source_nb):
    from lamina_grader import RESULTS_ENV, kernel_jail
    from lamina_grader.nbexec import CELL_TIMEOUTS_ENV, EXEC_REPORT_ENV, cell_timeouts

    kernel_dir = os.path.join(out_dir, "kernel")
    if os.path.isdir(kernel_dir):
        shutil.rmtree(kernel_dir)
    os.makedirs(kernel_dir)
    env = dict(os.environ)
    env.update({RESULTS_ENV: os.path.join(kernel_dir, "checks.jsonl"),
                EXEC_REPORT_ENV: os.path.join(out_dir, "exec.json"),
                CELL_TIMEOUTS_ENV: json.dumps(cell_timeouts(source_nb)), "LAMINA_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg",
                "PYTHONWARNINGS": "ignore", "TMPDIR": kernel_dir, "MPLCONFIGDIR": os.path.join(kernel_dir, "mpl"),
                "IPYTHONDIR": os.path.join(kernel_dir, "ipython")})
    args = ["autograde", lab, "--student", student, "--force",
            f"--Execute.timeout={int(cfg.cell_timeout_s)}",
            f"--RobustExecute.total_timeout={float(cfg.notebook_timeout_s)}"]
    net = net_prefix(with_loopback=True)
    jailed = kernel_jail.available([kernel_dir], course.root, prefix=net)
    if jailed:
        jupyter_dir = course.path(".lamina", "jupyter")
        kernel_jail.write_kernelspec(jupyter_dir)
        env["JUPYTER_PATH"] = os.pathsep.join(p for p in (jupyter_dir, env.get("JUPYTER_PATH")) if p)
        env[kernel_jail.RW_ENV] = os.pathsep.join([course.path("autograded", student, lab), kernel_dir])
        env[kernel_jail.PROTECT_ENV] = course.root
        args.append(f"--Execute.kernel_name={kernel_jail.KERNEL_NAME}")
    prefix = limits_prefix(cfg.notebook_memory_mb, fsize_mb=1024) + net
    proc = course.nbgrader(*args, env=env, prefix=prefix, timeout=cfg.notebook_timeout_s + 300)
    isolation = ("read-only file system except its folder" if jailed else "file system not protected") + \
        (", no network" if net else ", network not isolated")
    return proc, isolation


def grade_one(course, lab, student, backend=None, sandbox_backend=None):
    """Grades one learner's submission of ``lab`` (see the module docstring); returns the result dict.

    Args:
        backend: ``LAMINA_BACKEND`` of the notebook's kernel.
        sandbox_backend: backend that loads the artifacts (default: ``backend``;
            ``numpy`` is the fastest and imports no framework).
    """
    from lamina_grader.artifacts import grade_artifact

    backend = backend or os.environ.get("LAMINA_BACKEND", "jax")
    sandbox_backend = sandbox_backend or backend
    start = time.time()
    cfg = course.lab_config(lab)
    lab_dir = course.lab_dir(lab)
    nb_name = course.notebook_name(lab)
    source_nb = nbformat.read(os.path.join(lab_dir, nb_name + ".ipynb"), as_version=4)
    cells = grade_cells(source_nb)
    out_dir = course.path("grading", lab, student)
    os.makedirs(out_dir, exist_ok=True)
    for f in ("exec.json", "result.json", "nbgrader.log"):
        if os.path.exists(os.path.join(out_dir, f)):
            os.remove(os.path.join(out_dir, f))
    result = {"lab": lab, "student": student, "notebook": nb_name, "backend": backend,
              "sandbox_backend": sandbox_backend, "status": "graded",
              "notes": [], "questions": {}, "artifacts": [], "exec": {}, "histories": {}}
    submitted = course.path("submitted", student, lab, nb_name + ".ipynb")
    nb_ok = False
    if not os.path.exists(submitted):
        result["status"] = "no_notebook"
        result["notes"].append(f"no {nb_name}.ipynb was handed in: the notebook questions score zero")
    else:
        try:
            sub_nb = nbformat.read(submitted, as_version=4)
            nbformat.validate(sub_nb)
            nb_ok = True
        except Exception as exc:
            text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
            result["status"] = "invalid_notebook"
            result["notes"].append(f"{nb_name}.ipynb is not a valid notebook ({type(exc).__name__}: {text}): "
                                   "the notebook questions score zero")
    expected = _expected_checks(lab_dir)
    if nb_ok:
        result["notes"] += tampering(source_nb, sub_nb)
        proc, result["kernel_isolation"] = _run_nbgrader(course, lab, student, cfg, out_dir, backend, source_nb)
        with open(os.path.join(out_dir, "nbgrader.log"), "w", encoding="utf-8") as fh:
            fh.write(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            result["status"] = "nbgrader_failed"
            why = "it ran past the time limit" if "killed after the time limit" in proc.stderr else "nbgrader failed"
            result["notes"].append(f"the notebook could not be graded ({why}; the instructor has the log in "
                                   f"grading/{lab}/{student}/nbgrader.log)")
            _zero_grades(course, lab, student)
        exec_path = os.path.join(out_dir, "exec.json")
        if os.path.exists(exec_path):
            with open(exec_path, encoding="utf-8") as fh:
                result["exec"] = json.load(fh)
        died, stopped = result["exec"].get("died"), result["exec"].get("stopped")
        if died:
            result["notes"].append(f"{died['reason']} while running {died['cell']}: everything before it was "
                                   "graded, the cells after it did not run")
        if stopped:
            result["notes"].append(f"{stopped['reason']} before {stopped['cell']}: the cells after it did not run")
        for t in result["exec"].get("timeouts", []):
            result["notes"].append(f"{t['cell']} was stopped after its time limit of {t['limit_s']} s")
        result["notes"] += _memory_notes(course.path("autograded", student, lab, nb_name + ".ipynb"),
                                         cfg.notebook_memory_mb)
    else:
        _zero_grades(course, lab, student)
    recorded = _read_jsonl(os.path.join(out_dir, "kernel", "checks.jsonl")) if nb_ok else []
    per_q = question_scores(expected, recorded)
    nbgrader_ran = nb_ok and result["status"] == "graded"
    # When nbgrader itself failed (hard time limit), the checks that ran still count.
    nbg = _gradebook_scores(course, lab, student, nb_name, cells) if nbgrader_ran else {}
    fixed = {}
    for gid, max_points in cells.items():
        q = per_q.get(gid, {"score": 0.0, "max": max_points, "checks": [], "missing": 0})
        theirs = nbg.get(gid)
        score = q["score"] if theirs is None else min(q["score"], theirs)
        if nb_ok and theirs is not None and theirs > q["score"] + 1e-9:
            result["notes"].append(f"{gid}: the notebook reported {theirs:g} points but the checks the grader saw "
                                   f"give {q['score']:g} (was the checker replaced?); scored {q['score']:g}")
        if (nbgrader_ran and theirs is not None and abs(theirs - score) > 1e-9) or (nb_ok and not nbgrader_ran):
            fixed[gid] = score
        result["questions"][gid] = {"score": round(score, 4), "max": max_points, "checks": q["checks"]}
    if fixed:
        _set_scores(course, lab, student, nb_name, fixed)
    graded_dir = course.path("autograded", student, lab)
    reference = course.reference(lab).get("artifacts", {})
    for spec in cfg.artifacts:
        folder = graded_dir if nb_ok and os.path.exists(os.path.join(graded_dir, spec.file)) \
            else course.path("submitted", student, lab)
        g = grade_artifact(spec, folder, reference.get(spec.name), backend=sandbox_backend,
                           reference_dir=lab_dir).to_dict()
        path = os.path.join(folder, spec.file)
        if os.path.isfile(path):
            g["origin"] = ("saved by your notebook while it was graded" if os.path.getmtime(path) >= start
                           else "the file you handed in")
        result["artifacts"].append(g)
        stem = spec.file[:-len(".keras")]
        hist = _read_history(os.path.join(folder, stem + ".history.json"))
        if hist:
            result["histories"][spec.name] = hist
    course.record_artifacts(lab, student, result["artifacts"])
    nb_score = sum(q["score"] for q in result["questions"].values())
    nb_max = sum(cells.values())
    art_score = sum(a["points"] for a in result["artifacts"])
    art_max = sum(a["max_points"] for a in result["artifacts"])
    result.update(score=round(nb_score + art_score, 4), max_score=nb_max + art_max,
                  notebook_score=round(nb_score, 4), notebook_max=nb_max, artifact_score=round(art_score, 4),
                  artifact_max=art_max, seconds=round(time.time() - start, 2),
                  graded_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    tmp = os.path.join(out_dir, "result.json.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1, default=lambda o: None if isinstance(o, float) and math.isnan(o) else str(o))
    os.replace(tmp, os.path.join(out_dir, "result.json"))
    return result


def _summary(result):
    parts = [f"{gid} {q['score']:g}/{q['max']:g}" for gid, q in result["questions"].items()]
    parts += [f"{a['name']} {a['points']:g}/{a['max_points']:g}" for a in result["artifacts"]]
    line = f"{result['score']:g}/{result['max_score']:g} ({', '.join(parts)}) in {result['seconds']:.1f} s"
    if result["status"] != "graded":
        line += f" [{result['status']}]"
    return line


def _worker_cmd(course, lab, student, backend, sandbox_backend):
    return [sys.executable, "-m", "lamina_grader.autograde", course.root, lab, student, "--backend", backend,
            "--sandbox-backend", sandbox_backend or backend]


def autograde(course, lab, students=None, jobs=1, backend=None, sandbox_backend=None, progress=print):
    """Grades ``students`` (default: every submission of ``lab``), ``jobs`` learners at a time.

    Each learner is graded in a separate process; a worker that crashes or
    hangs loses only its learner, who is reported and zeroed.

    Returns:
        ``{student: result dict}``.
    """
    course.check_ready()
    cfg = course.lab_config(lab)
    backend = backend or os.environ.get("LAMINA_BACKEND", "jax")
    with course.gradebook() as gb:
        try:
            gb.find_assignment(lab)
        except Exception:
            raise CourseError(f"autograde {lab}: the lab is not in the gradebook: run `lamina-grader release {lab}` "
                              "first") from None
    course.ensure_tables()
    students = list(students or course.students(lab))
    if not students:
        raise CourseError(f"autograde {lab}: no submission in {course.path('submitted')} "
                          f"(run `lamina-grader collect {lab}` first)")
    limit = cfg.notebook_timeout_s + 300 + sum(a.time_limit_s + 60 for a in cfg.artifacts) * 2
    results = {}
    done = [0]

    def one(student):
        t0 = time.time()
        proc = subprocess.run(_worker_cmd(course, lab, student, backend, sandbox_backend), cwd=course.root, capture_output=True,
                              text=True, timeout=limit)
        res = course.result(lab, student)
        if proc.returncode != 0 or res is None:
            tail = (proc.stdout + proc.stderr)[-2000:]
            raise CourseError(f"grading {student} failed after {time.time() - t0:.0f} s:\n{tail}")
        return res

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
        futures = {pool.submit(one, s): s for s in students}
        for fut in concurrent.futures.as_completed(futures):
            student = futures[fut]
            done[0] += 1
            try:
                results[student] = fut.result()
                line = _summary(results[student])
            except (CourseError, subprocess.TimeoutExpired) as exc:
                line = f"NOT GRADED: {exc}"
                results[student] = None
            progress(f"[{done[0]}/{len(students)}] {student}: {line}")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lamina_grader.autograde",
                                     description="Grade one learner (worker of `lamina-grader autograde`).")
    parser.add_argument("root")
    parser.add_argument("lab")
    parser.add_argument("student")
    parser.add_argument("--backend", default=None)
    parser.add_argument("--sandbox-backend", default=None)
    args = parser.parse_args(argv)
    result = grade_one(Course(args.root), args.lab, args.student, backend=args.backend,
                       sandbox_backend=args.sandbox_backend)
    print(_summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
