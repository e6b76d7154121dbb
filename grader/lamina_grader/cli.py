"""The ``lamina-grader`` command line (instructor side). See ``grader/README.md``.

Example:
    >>> main(["--version"])  # doctest: +SKIP
    0.1.0
"""

import argparse
import os
import sys

from lamina_grader.course import Course, CourseError, init_course


def _course(args):
    return Course(args.course) if args.course else Course.find()


def cmd_init(args):
    course = init_course(args.course_dir, labs_dir=args.labs)
    print(f"course ready in {course.root}; labs: {', '.join(course.labs()) or 'none'}")
    return 0


def cmd_release(args):
    from lamina_grader.release import release

    messages, _ = release(_course(args), args.lab, validate=not args.no_validate, backend=args.backend,
                          sandbox_backend=args.sandbox_backend)
    print("\n".join(messages))
    return 0


def cmd_collect(args):
    from lamina_grader.collect import collect

    students = collect(_course(args), args.lab, from_folder=getattr(args, "from"))
    print(f"{len(students)} submissions of {args.lab}")
    return 0


def cmd_autograde(args):
    from lamina_grader.autograde import autograde

    course = _course(args)
    results = autograde(course, args.lab, students=args.student or None, jobs=args.jobs, backend=args.backend,
                        sandbox_backend=args.sandbox_backend, progress=lambda line: print(line, flush=True))
    failed = [s for s, r in results.items() if r is None]
    print(f"graded {len(results) - len(failed)} of {len(results)} submissions of {args.lab}; "
          f"records in {course.path('grading', args.lab)}")
    return 1 if failed else 0


def cmd_feedback(args):
    from lamina_grader.feedback import write_feedback

    paths = write_feedback(_course(args), args.lab, students=args.student or None)
    for p in paths:
        print(p)
    return 0


def cmd_export(args):
    from lamina_grader.export import export

    csv_path, table = export(_course(args), args.lab)
    print(table)
    print(f"gradebook CSV: {csv_path}")
    return 0


def cmd_reference(args):
    from lamina_grader.reference import compute_reference

    labs_root = args.labs or "labs"
    lab_dir = args.lab if os.path.isdir(args.lab) else os.path.join(labs_root, args.lab)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    path, summary = compute_reference(lab_dir, backends=backends, runs=args.runs,
                                      progress=lambda line: print(line, flush=True))
    print(summary)
    print(f"written {path}")
    return 0


def _pick_learners(folder, learners, dest):
    """Copies the named learners' submissions (``NAME.ipynb`` or ``NAME/``) of ``folder`` into ``dest``."""
    import shutil

    os.makedirs(dest, exist_ok=True)
    for name in learners:
        src = os.path.join(folder, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, name))
        elif os.path.isfile(src + ".ipynb"):
            shutil.copy(src + ".ipynb", dest)
        else:
            raise CourseError(f"demo: no submission of {name!r} in {folder} (expected {name}.ipynb or {name}/)")
    return dest


def cmd_demo(args):
    """The whole workflow on one lab and a folder of sample submissions, in a fresh course folder."""
    import tempfile

    from lamina_grader.autograde import autograde
    from lamina_grader.collect import collect
    from lamina_grader.export import export
    from lamina_grader.feedback import write_feedback
    from lamina_grader.release import release

    root = args.course or tempfile.mkdtemp(prefix="lamina-course-")
    course = init_course(root, labs_dir=args.labs)
    say = lambda line: print(line, flush=True)  # noqa: E731
    say(f"course: {course.root}")
    messages, _ = release(course, args.lab, validate=not args.no_validate, backend=args.backend,
                          sandbox_backend=args.sandbox_backend)
    say("\n".join(messages))
    folder = args.submissions
    if args.learners:
        folder = _pick_learners(args.submissions, args.learners.split(","), os.path.join(course.root, ".demo-class"))
    collect(course, args.lab, from_folder=folder, progress=say)
    autograde(course, args.lab, jobs=args.jobs, backend=args.backend, sandbox_backend=args.sandbox_backend,
              progress=say)
    paths = write_feedback(course, args.lab)
    csv_path, table = export(course, args.lab)
    say(table)
    say(f"gradebook CSV: {csv_path}")
    say(f"feedback HTML: {os.path.dirname(os.path.dirname(os.path.dirname(paths[0])))}/<student>/{args.lab}/")
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="lamina-grader", description="Grade lamina labs (on top of nbgrader).")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command")

    def add(name, func, help_, lab=True):
        sp = sub.add_parser(name, help=help_, description=help_)
        if lab:
            sp.add_argument("lab", help="lab id, e.g. 01-first-model")
            sp.add_argument("--course", help="course folder (default: the one holding the working directory)")
        sp.set_defaults(func=func)
        return sp

    sp = add("init", cmd_init, "set up a course folder (nbgrader config, gradebook) and copy lab sources",
             lab=False)
    sp.add_argument("course_dir")
    sp.add_argument("--labs", help="folder of lab folders to copy into source/ (e.g. labs/)")
    sp = add("release", cmd_release, "validate the reference solution, then make the student version")
    sp.add_argument("--no-validate", action="store_true", help="skip running the reference solution")
    sp.add_argument("--backend", help="LAMINA_BACKEND for the validation run")
    sp.add_argument("--sandbox-backend", help="backend that loads the saved models (default: --backend)")
    sp = add("collect", cmd_collect, "collect submissions (nbgrader exchange, or a folder)")
    sp.add_argument("--from", help="folder of <student>.ipynb or <student>/<lab>.ipynb")
    sp = add("autograde", cmd_autograde, "grade notebooks and artifacts, in parallel")
    sp.add_argument("--student", action="append", help="grade only this learner (repeatable)")
    sp.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="learners graded at once")
    sp.add_argument("--backend", help="LAMINA_BACKEND for the notebook (default: the environment's, else jax)")
    sp.add_argument("--sandbox-backend", help="backend that loads saved models (default: --backend; numpy is "
                    "fastest and imports no framework)")
    sp = add("feedback", cmd_feedback, "write per-learner HTML feedback")
    sp.add_argument("--student", action="append", help="only this learner (repeatable)")
    add("export", cmd_export, "gradebook CSV and per-learner results.json")
    sp = add("reference", cmd_reference, "run the reference solution N times per backend; write reference.json",
             lab=False)
    sp.add_argument("lab", help="lab id (under --labs) or lab folder")
    sp.add_argument("--labs", help="folder of lab folders (default: labs)")
    sp.add_argument("--backends", default="jax,torch,tensorflow")
    sp.add_argument("--runs", type=int, default=3)
    sp = add("demo", cmd_demo, "init + release + collect + autograde + feedback + export on sample submissions",
             lab=False)
    sp.add_argument("lab", help="lab id under --labs")
    sp.add_argument("--labs", default="labs", help="folder of lab folders (default: labs)")
    sp.add_argument("--submissions", required=True, help="folder of sample submissions")
    sp.add_argument("--learners", help="comma-separated learners of --submissions to grade (default: all)")
    sp.add_argument("--course", help="course folder to create (default: a new temporary folder)")
    sp.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    sp.add_argument("--backend")
    sp.add_argument("--sandbox-backend")
    sp.add_argument("--no-validate", action="store_true")
    return p


def main(argv=None):
    """Entry point of ``lamina-grader``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from lamina_grader import __version__

        print(__version__)
        return 0
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except (CourseError, ValueError, FileNotFoundError, KeyError) as exc:
        print(f"lamina-grader {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
