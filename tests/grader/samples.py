"""Grades sample submissions of a lab through the real pipeline (init, release, collect, autograde, export).

Used by ``test_sample_submissions.py``, and by hand to see what each sample gets:

    .venv/bin/python -m tests.grader.samples 02-training-well --backend jax [learner ...]
"""

import argparse
import concurrent.futures
import csv
import os
import pathlib
import re
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SUBMISSIONS = ROOT / "tests" / "grader" / "submissions"
CELL_TIMEOUT_S = 40  # the endless loops stop after this; an honest cell of the labs takes 3-8 s on a quiet core


def grade_class(lab, learners, backend, workdir, jobs=2, cell_timeout_s=CELL_TIMEOUT_S, progress=None):
    """Grades ``learners`` of ``lab`` on ``backend`` in a fresh course under ``workdir``.

    Returns:
        ``(results, rows)``: the grader's result dicts and the exported gradebook rows, by learner.
    """
    from lamina_grader import cli
    from lamina_grader.autograde import autograde
    from lamina_grader.collect import collect
    from lamina_grader.course import Course
    from lamina_grader.export import export
    from lamina_grader.feedback import write_feedback
    from lamina_grader.release import release

    workdir = pathlib.Path(workdir)
    labs = workdir / "labs"
    shutil.copytree(ROOT / "labs" / lab, labs / lab)
    toml = labs / lab / "grading.toml"
    # The instructor's knob for the per-cell time limit, lowered so that an endless loop costs seconds.
    toml.write_text(re.sub(r"^\[lab\]\n", f"[lab]\ncell_timeout_s = {cell_timeout_s}\n", toml.read_text(), count=1,
                           flags=re.M))
    handed = workdir / "handed-in"
    handed.mkdir()
    for learner in learners:
        shutil.copy(SUBMISSIONS / lab / f"{learner}.ipynb", handed / f"{learner}.ipynb")
    assert cli.main(["init", str(workdir / "course"), "--labs", str(labs)]) == 0
    course = Course(str(workdir / "course"))
    release(course, lab, validate=False)
    collect(course, lab, from_folder=str(handed), progress=lambda line: None)
    # The reference solution's model is scored on the pass's backend (the grader's default); the other
    # learners' on numpy, which imports no framework in the sandbox (what they test is the notebook side).
    # Both groups are graded at once, one process each.
    progress = progress or (lambda line: None)
    groups = [(group, sandbox) for group, sandbox in (([n for n in learners if n == "correct"], backend),
                                                       ([n for n in learners if n != "correct"], "numpy")) if group]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(groups)) as pool:
        futures = [pool.submit(autograde, course, lab, students=group, jobs=max(1, jobs // len(groups)),
                               backend=backend, sandbox_backend=sandbox, progress=progress)
                   for group, sandbox in groups]
        for future in futures:
            results.update(future.result())
    write_feedback(course, lab)
    csv_path, _ = export(course, lab)
    with open(csv_path, encoding="utf-8") as fh:
        rows = {row["student"]: row for row in csv.DictReader(fh)}
    return results, rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lab")
    parser.add_argument("learners", nargs="*")
    parser.add_argument("--backend", default=os.environ.get("LAMINA_BACKEND", "jax"))
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    import tempfile

    learners = args.learners or sorted(p.stem for p in (SUBMISSIONS / args.lab).glob("*.ipynb"))
    workdir = args.workdir or tempfile.mkdtemp(prefix="lamina-samples-")
    results, rows = grade_class(args.lab, learners, args.backend, workdir, jobs=args.jobs, progress=print)
    for learner in learners:
        res = results.get(learner)
        if res is None:
            print(f"{learner}: NOT GRADED")
            continue
        parts = {gid: q["score"] for gid, q in res["questions"].items()}
        parts.update({a["name"]: round(a["points"], 3) for a in res["artifacts"]})
        print(f"{learner}: {parts} total {res['score']} status {res['status']}")
        for note in res["notes"]:
            print(f"    note: {note}")
        for a in res["artifacts"]:
            print(f"    {a['name']}: {a.get('status')} {a.get('value')} {a.get('reason', '')[:200]}")
    print(f"course: {workdir}/course")
    return 0


if __name__ == "__main__":
    sys.exit(main())
