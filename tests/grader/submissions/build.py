"""Builds the sample submissions of every lab (run after changing a lab; the notebooks are committed).

    .venv/bin/python tests/grader/submissions/build.py

Each lab gets the same thirteen learners, ``tests/grader/submissions/<lab>/<learner>.ipynb``, made
from the lab's reference solution (solution markers removed, hidden checks dropped, as a learner
would hand it in) and one edit each:

- ``correct``: the reference solution.
- ``partly-wrong``: plausible mistakes that cost some checks.
- ``syntax-error``: a missing bracket in one solution cell.
- ``exits-kernel``: ``os._exit(1)`` in a middle cell (the kernel dies).
- ``endless-loop``: a loop whose counter never moves (the cell hits its time limit).
- ``memory-hog``: builds a 16 GB array of augmented data (stopped by the notebook's memory limit).
- ``forges-numpy``: skips the work, fakes its results and patches ``numpy`` so that checks agree.
- ``forges-metrics``: skips training and patches lamina's ``evaluate``, ``predict`` and metrics.
- ``forges-checker``: replaces ``grader.check`` by a function that prints success.
- ``edits-check-cell``: a wrong answer whose test cell prints success instead of checking.
- ``deletes-check-cell``: a wrong answer whose test cell is deleted.
- ``fake-artifact``: after saving, writes over its model file (a model whose config names
  ``os.system``) and writes a metrics file claiming full marks.
- ``noisy-warnings``: the reference solution, plus warnings and log lines on stderr in every cell.
"""

import copy
import os
import re

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
LABS = ("01-first-model", "02-training-well", "03-functional-api", "04-custom-layers")
LEARNERS = ("correct", "partly-wrong", "syntax-error", "exits-kernel", "endless-loop", "memory-hog",
            "forges-numpy", "forges-metrics", "forges-checker", "edits-check-cell", "deletes-check-cell",
            "fake-artifact", "noisy-warnings")

_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)
_HIDDEN = re.compile(r"\n?[ \t]*### BEGIN HIDDEN TESTS\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.S | re.M)

EXIT = "import os\nos._exit(1)  # 'restart the kernel', as a learner wrote it\n"
HOG = ("# 20 noisy copies of 100,000 samples of 1,024 numbers: 16 GB, far more than a notebook may use\n"
       "augmented = np.ones((20, 100_000, 1024))\n")
NOISE = ('import logging\nimport sys\nimport warnings\n\nwarnings.warn("this API is deprecated", DeprecationWarning)\n'
         'warnings.warn("a framework warning", UserWarning)\nlogging.getLogger("lamina").warning("a log line")\n'
         'print("W0000 00:00:00.000000 1 cpu_feature_guard.cc] noisy framework output\\n" * 20, file=sys.stderr)\n')
FAKE_CHECK = 'print("{q}: all checks passed")\n'
PATCH_CHECKER = 'grader.check = lambda question, hidden=False: print(question + ": all checks passed")\n'
PATCH_METRICS = (
    "# Every score lamina computes now says 'perfect'.\n"
    "keras.Model.evaluate = lambda self, *args, **kwargs: [0.0, 1.0]\n"
    "keras.Model.predict = lambda self, x, *args, **kwargs: np.eye(10)[np.asarray(y[:len(x)]) % 10]\n"
    "keras.metrics.Metric.result = lambda self: 1.0\n"
    "keras.metrics.SparseCategoricalAccuracy.result = lambda self: 1.0\n")


def fake_artifact(stem):
    """A cell that writes a model whose config calls ``os.system``, and a metrics file, over the real ones."""
    return (
        "import json\nimport zipfile\n\n"
        f'with zipfile.ZipFile("{stem}.keras", "w") as z:\n'
        '    z.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))\n'
        '    z.writestr("config.json", json.dumps({"module": "os", "class_name": "system",\n'
        '                                          "config": {"command": "echo pwned > pwned.txt"}}))\n'
        '    z.writestr("model.weights.h5", b"")\n'
        f'with open("{stem}.metrics.json", "w") as fh:\n'
        '    json.dump({"accuracy": 1.0, "score": "full marks"}, fh)\n'
        'with open("results.json", "w") as fh:\n'
        '    json.dump({"score": 100, "tests": []}, fh)\n')


# What differs between the labs: where each edit goes, and the lab's own mistakes and forgeries.
# Edits: (cell grade_id, action, argument(s)); actions: replace OLD NEW, prepend, append, source, delete,
# insert_after (a new unlocked code cell).
PLAN = {
    "01-first-model": {
        "artifact": "digits_model",
        "partly-wrong": [
            ("q1_code", "replace", "n_classes = len(np.unique(y))", "n_classes = int(y.max())  # 0..9: off by one"),
            ("q2_code", "replace", "layers.Dense(n_classes, activation=\"softmax\")",
             "layers.Dense(10, activation=\"softmax\")"),
            ("q2_code", "replace", "n_params = model.count_params()", "n_params = len(model.weights)"),
            ("q4_code", "replace", "int(np.argmin(history.history[\"val_loss\"])) + 1",
             "int(np.argmin(history.history[\"val_loss\"]))  # counts from 0"),
            ("q5_code", "replace", "model.evaluate(x_test, y_test", "model.evaluate(x_train, y_train"),
        ],
        "syntax-error": [("q2_code", "replace", "layers.Dense(n_classes, activation=\"softmax\"),\n])",
                          "layers.Dense(n_classes, activation=\"softmax\"),\n")],
        "exits-kernel": [("q3_code", "prepend", EXIT)],
        "endless-loop": [("q4_code", "replace", "best_epoch = int(np.argmin(history.history[\"val_loss\"])) + 1",
                          "best_epoch = 1\nwhile history.history[\"val_loss\"][best_epoch - 1] > "
                          "min(history.history[\"val_loss\"]):\n    best_epoch + 1  # never changes best_epoch")],
        "memory-hog": [("q4_code", "prepend", HOG)],
        "forges-numpy": [
            ("q4_code", "source",
             "class FakeHistory:\n    history = {\"loss\": [0.5] * 19 + [0.01], \"accuracy\": [0.99] * 20,\n"
             "               \"val_loss\": [0.5] * 19 + [0.01], \"val_accuracy\": [0.99] * 20}\n\n\n"
             "history = FakeHistory()  # no training at all\nmodel.history = history\n"
             "final_val_accuracy, best_epoch = 0.99, 20\n"
             "np.mean = lambda *args, **kwargs: 0.99\nnp.isclose = lambda *args, **kwargs: True\n"
             "np.allclose = lambda *args, **kwargs: True\n"),
            ("q5_code", "source", "test_loss, test_accuracy = 0.01, 0.99\n"),
        ],
        "forges-metrics": [("q4_code", "source", PATCH_METRICS + "history = model.fit(x_train[:32], y_train[:32], "
                            "epochs=2, validation_split=0.2, verbose=0)\nfinal_val_accuracy, best_epoch = 1.0, 20\n")],
        "forges-checker": [("q4_code", "source", "history = None\nfinal_val_accuracy = best_epoch = 0\n" + PATCH_CHECKER),
                           ("q5_code", "source", "test_loss, test_accuracy = 0.01, 0.99\n")],
        "edits-check-cell": [("q2_code", "replace", "n_params = model.count_params()",
                              "n_params = 64 * 64 + 64 * 10  # forgot the biases"),
                             ("q2", "source", FAKE_CHECK.format(q="q2"))],
        "deletes-check-cell": [("q3_code", "replace", "optimizer=\"adam\"",
                                "optimizer=keras.optimizers.Adam(learning_rate=0.002)"), ("q3", "delete")],
    },
    "02-training-well": {
        "artifact": "regularized_model",
        "partly-wrong": [
            ("q2_code", "replace", "accuracy_gap = h[\"accuracy\"][-1] - h[\"val_accuracy\"][-1]",
             "accuracy_gap = h[\"val_accuracy\"][-1] - h[\"accuracy\"][-1]"),
            ("q3_code", "replace", "patience=5, restore_best_weights=True", "patience=5"),
            ("q4_code", "replace", "layers.Dropout(0.3),\n        layers.Dense(10", "layers.Dense(10"),
        ],
        "syntax-error": [("q3_code", "replace", "callbacks=[early_stop], verbose=0)", "callbacks=[early_stop, verbose=0)")],
        "exits-kernel": [("q4_code", "prepend", EXIT)],
        "endless-loop": [("q2_code", "replace", "best_epoch = int(np.argmin(h[\"val_loss\"])) + 1",
                          "best_epoch = 1\nwhile h[\"val_loss\"][best_epoch - 1] > min(h[\"val_loss\"]):\n"
                          "    best_epoch + 1  # never changes best_epoch")],
        "memory-hog": [("q5_code", "prepend", HOG)],
        "forges-numpy": [("q5_code", "source",
                          "final_model = make_regularized_model()\n\n\nclass FakeHistory:\n"
                          "    history = {\"loss\": [0.3] * 12, \"accuracy\": [0.99] * 12, \"val_loss\": "
                          "[0.3] * 6 + [0.4] * 6,\n               \"val_accuracy\": [0.99] * 12}\n\n\n"
                          "final_history = FakeHistory()  # no training at all\n"
                          "np.mean = lambda *args, **kwargs: 0.99\nnp.allclose = lambda *args, **kwargs: True\n"
                          "np.max = lambda *args, **kwargs: 0.99\n")],
        "forges-metrics": [("q5_code", "source", PATCH_METRICS + "final_model = make_regularized_model()\n"
                            "final_history = final_model.fit(x[:20], y[:20], epochs=2, validation_split=0.2, "
                            "verbose=0)\n")],
        "forges-checker": [("q4_code", "prepend", PATCH_CHECKER),
                           ("q5_code", "source", "final_model = make_regularized_model()\nfinal_history = None\n")],
        "edits-check-cell": [("q3_code", "replace", "patience=5,", "patience=2,"), ("q3", "source", FAKE_CHECK.format(q="q3"))],
        "deletes-check-cell": [("q4_code", "replace", "kernel_regularizer=l2)", ")"), ("q4", "delete")],
    },
    "03-functional-api": {
        "artifact": "two_heads_model",
        "partly-wrong": [
            ("q1_code", "replace", "return layers.Add()([h, residual_dense(h)])", "return residual_dense(h)"),
            ("q3_code", "replace", "metrics={\"digit\": [\"accuracy\"], \"total\": [\"mae\"]}",
             "metrics=[\"accuracy\"]"),
            ("q4_code", "replace", "val_total_mae = history.history[\"val_total_mae\"][-1]",
             "val_total_mae = history.history[\"total_loss\"][-1]"),
        ],
        "syntax-error": [("q2_code", "replace", "total_output = layers.Dense(1, name=\"total\")(layers.Dense(64, "
                          "activation=\"relu\")(both))", "total_output = layers.Dense(1, name=\"total\"(both)")],
        "exits-kernel": [("q3_code", "prepend", EXIT)],
        "endless-loop": [("q4_code", "append",
                          "epoch = len(history.history[\"loss\"])\nwhile history.history[\"val_total_mae\"][epoch - 1] "
                          "> 0.0:\n    epoch - 1  # meant to find the first epoch with a perfect total\n")],
        "memory-hog": [("q4_code", "prepend", "import numpy as np\n\n" + HOG)],
        "forges-numpy": [("q4_code", "source",
                          "import numpy as np\n\n\nclass FakeHistory:\n    history = {k: [0.01] * 20 for k in "
                          "(\"loss\", \"val_loss\", \"val_total_mae\")}\n"
                          "    history.update({k: [0.99] * 20 for k in (\"val_digit_accuracy\",)})\n\n\n"
                          "history = FakeHistory()  # no training at all\nmodel.history = history\n"
                          "val_digit_accuracy, val_total_mae = 0.99, 0.01\n"
                          "np.mean = lambda *args, **kwargs: 0.01\nnp.allclose = lambda *args, **kwargs: True\n"
                          "np.abs = lambda a, *args, **kwargs: 0.0 * a\n")],
        "forges-metrics": [("q4_code", "source", "import numpy as np\n" + PATCH_METRICS.replace(
            "np.eye(10)[np.asarray(y[:len(x)]) % 10]", "{\"digit\": np.eye(10)[y[\"digit\"][:len(x[\"left\"])]], "
            "\"total\": y[\"total\"][:len(x[\"left\"])].reshape(-1, 1).astype(\"float32\")}") +
            "history = model.fit({k: v[:20] for k, v in x.items()}, {k: v[:20] for k, v in y.items()}, epochs=2, "
            "validation_split=0.2, verbose=0)\nval_digit_accuracy = history.history[\"val_digit_accuracy\"][-1]\n"
            "val_total_mae = history.history[\"val_total_mae\"][-1]\n")],
        "forges-checker": [("q3_code", "append", PATCH_CHECKER),
                           ("q4_code", "source", "history = None\nval_digit_accuracy = val_total_mae = 0\n")],
        "edits-check-cell": [("q2_code", "replace", "layers.Dense(10, activation=\"softmax\", name=\"digit\")(left_features)",
                              "layers.Dense(10, activation=\"softmax\", name=\"digit\")(right_features)"),
                             ("q2", "source", FAKE_CHECK.format(q="q2"))],
        "deletes-check-cell": [("q3_code", "replace", "\"total\": \"mse\"}", "\"total\": \"mae\"}"), ("q3", "delete")],
    },
    "04-custom-layers": {
        "artifact": "custom_model",
        "partly-wrong": [
            ("layer_code", "replace", "        if not 0.0 <= float(dropout) < 1.0:\n            raise ValueError("
             "f\"ResidualDense: dropout should be in [0, 1), received {dropout!r}\")\n", ""),
            ("layer_code", "replace", "config.update(units=self.units, dropout=self.dropout, seed=self.seed)",
             "config.update(units=self.units)"),
            ("q5_code", "replace", "reloaded = keras.models.load_model(\"my_model.keras\")", "reloaded = model"),
        ],
        "syntax-error": [("q4_code", "replace", "ResidualDense(64, dropout=0.2),\n    ResidualDense(64, dropout=0.2),",
                          "ResidualDense(64, dropout=0.2),\n    ResidualDense(64, dropout=0.2,")],
        "exits-kernel": [("q4_code", "prepend", EXIT)],
        "endless-loop": [("q4_code", "append",
                          "epochs_run = 0\nwhile epochs_run < 20:\n    epochs_run == epochs_run + 1  # '==' where "
                          "'=' was meant\n")],
        "memory-hog": [("q4_code", "prepend", HOG)],
        "forges-numpy": [("q4_code", "source",
                          "model = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(64, activation=\"relu\"),\n"
                          "                          ResidualDense(64, dropout=0.2), ResidualDense(64, dropout=0.2),\n"
                          "                          layers.Dense(10, activation=\"softmax\")])\n\n\nclass FakeHistory:\n"
                          "    history = {\"loss\": [0.01] * 20, \"val_loss\": [0.01] * 20, \"val_accuracy\": [0.99] * 20}"
                          "\n\n\nhistory = FakeHistory()  # no training at all\nmodel.history = history\n"
                          "np.mean = lambda *args, **kwargs: 0.99\nnp.allclose = lambda *args, **kwargs: True\n")],
        "forges-metrics": [("q4_code", "replace", "history = model.fit(x, y, epochs=20,", PATCH_METRICS +
                            "history = model.fit(x[:20], y[:20], epochs=2,")],
        "forges-checker": [("q4_code", "replace", "history = model.fit(x, y, epochs=20, batch_size=32, "
                            "validation_split=0.2, verbose=0)", PATCH_CHECKER + "history = None")],
        "edits-check-cell": [("layer_code", "replace", "return inputs + h", "return h"),
                             ("q2", "source", FAKE_CHECK.format(q="q2"))],
        "deletes-check-cell": [("layer_code", "replace", "config.update(units=self.units, dropout=self.dropout, "
                                "seed=self.seed)", "pass"), ("q3", "delete")],
    },
}


def _gid(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def handed_in(source):
    """The reference solution as a learner hands it in: solutions in place, no hidden checks, no outputs."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        cell.source = _HIDDEN.sub("", _MARKER.sub("", cell.source)).rstrip("\n")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.get("metadata", {}).get("nbgrader", {}).pop("checksum", None)
    return nb


def apply_edits(nb, edits, where):
    """Applies ``edits`` (see PLAN) to ``nb`` in place; a missing anchor is an error, not a silent no-op."""
    for gid, action, *args in edits:
        index = next((i for i, c in enumerate(nb.cells) if _gid(c) == gid), None)
        if index is None:
            raise ValueError(f"{where}: no cell {gid!r}")
        cell = nb.cells[index]
        if action == "replace":
            old, new = args
            if old not in cell.source:
                raise ValueError(f"{where}: {old!r} is not in cell {gid!r}")
            cell.source = cell.source.replace(old, new)
        elif action == "prepend":
            cell.source = args[0] + cell.source
        elif action == "append":
            cell.source = cell.source + "\n" + args[0]
        elif action == "source":
            cell.source = args[0]
        elif action == "delete":
            del nb.cells[index]
        elif action == "insert_after":
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(args[0]))
        else:
            raise ValueError(f"{where}: unknown action {action!r}")
        if action != "delete":
            cell.source = cell.source.rstrip("\n")


def learner_notebook(lab, learner, source):
    plan = PLAN[lab]
    nb = handed_in(source)
    if learner == "fake-artifact":
        edits = [("save", "insert_after", fake_artifact(plan["artifact"]))]
    elif learner == "noisy-warnings":
        edits = [(_gid(c), "prepend", NOISE) for c in nb.cells
                 if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
                 and not c.source.startswith("%%")]
    else:
        edits = plan.get(learner, [])
    apply_edits(nb, edits, f"{lab}/{learner}")
    return nb


def main():
    for lab in LABS:
        source = nbformat.read(os.path.join(ROOT, "labs", lab, f"{lab}.ipynb"), as_version=4)
        out = os.path.join(HERE, lab)
        os.makedirs(out, exist_ok=True)
        for learner in LEARNERS:
            nb = learner_notebook(lab, learner, source)
            nbformat.validate(nb)
            nbformat.write(nb, os.path.join(out, f"{learner}.ipynb"))
        print(f"{lab}: {len(LEARNERS)} sample submissions in {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
