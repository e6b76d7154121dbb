"""Per-learner HTML feedback that teaches without leaking.

Written from ``grading/LAB/STUDENT/result.json``, not from nbgrader's feedback
(which shows hidden tests verbatim). It shows points per question and per
check, the message and hint of each public check, only the outcome and hint
of hidden checks (never their code, message or threshold), the artifact
lines ("your 0.874 against reference 0.892 ± 0.006 (full marks from
0.880)"), what stopped the notebook, and plots as embedded PNG: the
learner's learning curve against the reference band, and the confusion
matrix of their model on held-out data. The learner's own cell outputs are
not included (they could print hidden material during grading).

Example:
    >>> "<script" in render({"lab": "x", "student": "s", "score": 0, "max_score": 0, "questions": {},
    ...                      "artifacts": [], "notes": ["<script>"]}, title="x")
    False
"""

import base64
import html
import io
import os

__all__ = ["render", "write_feedback", "learning_curve_png", "confusion_png"]


def _png(fig):
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def learning_curve_png(history, curves=None):
    """Base64 PNG: the learner's History against the reference mean ± 2 std (or None)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    groups = [k for k in ("loss", "accuracy") if k in history or "val_" + k in history]
    if not groups:
        groups = sorted(k for k in history if not k.startswith("val_"))[:2]
    if not groups:
        return None
    fig, axes = plt.subplots(1, len(groups), figsize=(5 * len(groups), 3.2), squeeze=False)
    for ax, key in zip(axes[0], groups):
        for name, style in ((key, "-"), ("val_" + key, "--")):
            ref = (curves or {}).get(name)
            if ref:
                import numpy as np

                mean, std = np.asarray(ref["mean"]), np.asarray(ref["std"])
                ep = np.arange(1, len(mean) + 1)
                ax.fill_between(ep, mean - 2 * std, mean + 2 * std, color="0.85",
                                label=f"reference {name} (mean ± 2 std)")
                ax.plot(ep, mean, style, color="0.5", lw=1)
            if name in history and history[name]:
                ax.plot(range(1, len(history[name]) + 1), history[name], style, marker="o", ms=3,
                        label=f"your {name}")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_title(key)
        ax.legend(fontsize=7)
    return _png(fig)


def confusion_png(matrix):
    """Base64 PNG of a confusion matrix (rows: true class, columns: predicted)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    m = np.asarray(matrix)
    fig, ax = plt.subplots(figsize=(3.6, 3.2))
    ax.imshow(m, cmap="Blues")
    for (i, j), v in np.ndenumerate(m):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                    color="white" if v > m.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_xticks(range(len(m)))
    ax.set_yticks(range(len(m)))
    ax.set_title("held-out confusion matrix", fontsize=9)
    return _png(fig)


_CSS = """body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid #ddd}
.score{font-size:1.2rem;font-weight:600}.ok{color:#1a7f37}.bad{color:#c62828}.note{background:#fff4e5;
padding:.5rem .8rem;border-left:4px solid #f0a020;margin:.4rem 0}.hint{color:#555;font-style:italic}
table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left}
img{max-width:100%}"""


def _e(x):
    return html.escape(str(x), quote=True)


def _check_rows(checks):
    rows = []
    n_hidden = 0
    for c in checks:
        if c.get("hidden"):
            n_hidden += 1
            title = f"hidden check {n_hidden}"
        else:
            title = c["name"].replace("_", " ")
        ok = c["status"] == "passed"
        mark = '<span class="ok">✓</span>' if ok else '<span class="bad">✗</span>'
        pts = c["points"] if ok else 0
        detail = []
        if not c.get("hidden") and c.get("message"):
            detail.append(_e(c["message"]))
        if c.get("hidden") and c["status"] == "error":
            detail.append("your code raised an error while this check ran")
        if c["status"] == "not_run":
            detail.append("did not run")
        if not ok and c.get("hint"):
            detail.append(f'<span class="hint">hint: {_e(c["hint"])}</span>')
        rows.append(f"<tr><td>{mark}</td><td>{_e(title)}</td><td>{pts:g}/{c['points']:g}</td>"
                    f"<td>{'<br>'.join(detail)}</td></tr>")
    return "\n".join(rows)


def render(result, title=None, goals=(), reference=None):
    """The feedback page of one learner as an HTML string (self-contained)."""
    lab = result["lab"]
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(title or lab)} — feedback</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{_e(title or lab)}: feedback for {_e(result['student'])}</h1>",
             f"<p class='score'>{result['score']:g} / {result['max_score']:g} points</p>"]
    if goals:
        parts.append("<p>Learning goals: " + "; ".join(_e(g) for g in goals) + "</p>")
    for note in result.get("notes", []):
        parts.append(f"<div class='note'>{_e(note)}</div>")
    if result.get("questions"):
        parts.append("<h2>Notebook questions</h2>")
        for gid, q in result["questions"].items():
            parts.append(f"<h3>{_e(gid)}: {q['score']:g}/{q['max']:g}</h3>")
            if q.get("checks"):
                parts.append("<table>" + _check_rows(q["checks"]) + "</table>")
    if result.get("artifacts"):
        parts.append("<h2>Your saved model, measured on held-out data</h2>")
        for a in result["artifacts"]:
            parts.append(f"<h3>{_e(a['name'])}: {a['points']:g}/{a['max_points']:g}</h3><p>{_e(a['line'])}</p>")
            if a.get("origin"):
                parts.append(f"<p class='hint'>graded file: {_e(a['origin'])}</p>")
            hist = (result.get("histories") or {}).get(a["name"])
            if hist:
                ref = ((reference or {}).get(a["name"]) or {}).get("backends", {})
                band_backend = (a.get("band") or {}).get("backend")
                curves = (ref.get(band_backend) or next(iter(ref.values()), {})).get("curves") if ref else None
                png = learning_curve_png(hist, curves)
                if png:
                    parts.append(f"<p><img alt='learning curve' src='data:image/png;base64,{png}'></p>")
            if a.get("confusion"):
                parts.append(f"<p><img alt='confusion matrix' src='data:image/png;base64,"
                             f"{confusion_png(a['confusion'])}'></p>")
    parts.append(f"<p class='hint'>graded {_e(result.get('graded_at', ''))} on the "
                 f"{_e(result.get('backend', ''))} backend</p></body></html>")
    return "\n".join(parts)


def write_feedback(course, lab, students=None):
    """Writes ``feedback/STUDENT/LAB/<notebook>.html`` for graded learners; returns the paths."""
    from lamina_grader.course import CourseError

    cfg = course.lab_config(lab)
    reference = course.reference(lab).get("artifacts", {})
    students = list(students or course.graded_students(lab))
    if not students:
        raise CourseError(f"feedback {lab}: nobody graded yet (run `lamina-grader autograde {lab}`)")
    paths = []
    for student in students:
        result = course.result(lab, student)
        if result is None:
            raise CourseError(f"feedback {lab}: {student} has not been graded")
        out_dir = course.path("feedback", student, lab)
        os.makedirs(out_dir, exist_ok=True)
        path = os.path.join(out_dir, result["notebook"] + ".html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(render(result, cfg.title, cfg.goals, reference))
        paths.append(path)
    return paths
