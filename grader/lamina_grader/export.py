"""Exports: the gradebook as CSV, and a Gradescope-style ``results.json`` per learner.

Notebook question scores come from nbgrader's gradebook (so manual grading
done in nbgrader's formgrader counts); artifact scores from our
``lamina_artifact_grade`` table; details from ``grading/LAB/STUDENT/result.json``.

Example:
    >>> gradescope_results({"score": 1, "questions": {"q1": {"checks": [{"question": "q1", "name": "ok",
    ...     "points": 1, "status": "passed", "message": "", "hint": None, "hidden": False}]}},
    ...     "artifacts": [], "notes": []})["tests"][0]["name"]
    'q1: ok'
"""

import csv
import io
import json
import os

__all__ = ["export", "gradescope_results"]


def gradescope_results(result):
    """A learner's result as Gradescope's ``results.json`` (hidden checks: after publication, no message)."""
    tests = []
    for gid, q in result["questions"].items():
        n_hidden = 0
        for c in q["checks"]:
            ok = c["status"] == "passed"
            if c.get("hidden"):
                n_hidden += 1
                name = f"{gid}: hidden check {n_hidden}"
                output = "passed" if ok else ("did not pass" + (f" — hint: {c['hint']}" if c.get("hint") else ""))
                visibility = "after_published"
            else:
                name = f"{gid}: {c['name'].replace('_', ' ')}"
                output = c.get("message") or ("passed" if ok else c["status"])
                if not ok and c.get("hint"):
                    output += f" — hint: {c['hint']}"
                visibility = "visible"
            tests.append({"name": name, "score": c["points"] if ok else 0.0, "max_score": c["points"],
                          "output": output, "visibility": visibility})
    for a in result["artifacts"]:
        tests.append({"name": f"model {a['name']}", "score": a["points"], "max_score": a["max_points"],
                      "output": a["line"], "visibility": "visible"})
    out = {"score": result["score"], "tests": tests}
    if result.get("notes"):
        out["output"] = "\n".join(result["notes"])
    return out


def _nbgrader_scores(course, lab, nb_name, student, cells):
    scores = {}
    try:
        with course.gradebook() as gb:
            for gid in cells:
                try:
                    scores[gid] = gb.find_grade(gid, nb_name, lab, student).score
                except Exception:
                    scores[gid] = None
    except Exception:
        pass
    return scores


def export(course, lab):
    """Writes ``export/LAB/grades.csv`` and ``export/LAB/STUDENT/results.json``.

    Returns:
        ``(csv path, the table as text)``.
    """
    from lamina_grader.course import CourseError

    students = course.graded_students(lab)
    if not students:
        raise CourseError(f"export {lab}: nobody graded yet (run `lamina-grader autograde {lab}`)")
    out_dir = course.path("export", lab)
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    art_rows = {(s, a): (score, status) for s, a, score, _, status, *_ in course.artifact_rows(lab)}
    for student in students:
        result = course.result(lab, student)
        cells = list(result["questions"])
        nbg = _nbgrader_scores(course, lab, result["notebook"], student, cells)
        row = {"student": student, "status": result["status"]}
        total = 0.0
        for gid in cells:
            s = nbg.get(gid)
            s = result["questions"][gid]["score"] if s is None else float(s)
            row[gid] = round(s, 4)
            total += s
        for a in result["artifacts"]:
            score, status = art_rows.get((student, a["name"]), (a["points"], a["status"]))
            row[a["name"]] = round(float(score), 4)
            row[a["name"] + "_value"] = "" if a["value"] is None else round(a["value"], 4)
            total += float(score)
        row["score"] = round(total, 4)
        row["max_score"] = result["max_score"]
        row["notes"] = " | ".join(result.get("notes", []))
        rows.append(row)
        result = dict(result, score=row["score"])
        sdir = os.path.join(out_dir, student)
        os.makedirs(sdir, exist_ok=True)
        with open(os.path.join(sdir, "results.json"), "w", encoding="utf-8") as fh:
            json.dump(gradescope_results(result), fh, indent=1)
    fields = ["student", "status"]
    for r in rows:
        fields += [k for k in r if k not in fields and k not in ("score", "max_score", "notes")]
    fields += ["score", "max_score", "notes"]
    csv_path = os.path.join(out_dir, "grades.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    buf = io.StringIO()
    shown = [f for f in fields if f != "notes" and not f.endswith("_value")]
    widths = {f: max(len(f), *(len(str(r.get(f, ""))) for r in rows)) for f in shown}
    buf.write("  ".join(f.ljust(widths[f]) for f in shown) + "\n")
    for r in rows:
        buf.write("  ".join(str(r.get(f, "")).ljust(widths[f]) for f in shown) + "\n")
    return csv_path, buf.getvalue().rstrip()
