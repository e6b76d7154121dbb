"""The main job of ``make demo``: the course's first model on each training backend,
then the autograder on lab 1's sample submissions.

Each backend runs in its own process (the backend is fixed per process) and
trains ``Sequential([Dense(64, relu), Dense(10, softmax)])`` with Adam on
scikit-learn's digits, then prints its test accuracy. Then ``lamina-grader demo``
sets up a course in a temporary folder, releases lab 1, collects six sample
submissions (correct, partly wrong, a syntax error, a dead kernel, a forged
result, a forged model file), grades them (notebook checks and the saved model,
in a sandbox), prints the gradebook and writes the feedback.
Skip the grading part with ``--no-grading``.
"""

import json
import os
import subprocess
import sys
import time

BACKENDS = ("jax", "torch", "tensorflow")

JOB = r"""
import json, time
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
import lamina as keras
from lamina import layers

x, y = load_digits(return_X_y=True)
x = (x / 16.0).astype("float32")
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)
keras.utils.set_random_seed(0)
model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
start = time.time()
history = model.fit(x_train, y_train, epochs=5, validation_split=0.2, verbose=2)
seconds = time.time() - start
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("RESULT " + json.dumps({"accuracy": accuracy, "loss": loss, "seconds": seconds}))
"""


def run(backend):
    env = dict(os.environ, LAMINA_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    print(f"\n=== {backend} ===", flush=True)
    proc = subprocess.run([sys.executable, "-c", JOB], env=env, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if not line.startswith("RESULT "):
            print(line)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(proc.stdout.split("RESULT ", 1)[1])


# A small class from the sample submissions of lab 1 (tests/grader/submissions/01-first-model/).
DEMO_CLASS = ("correct", "partly-wrong", "syntax-error", "exits-kernel", "forges-numpy", "fake-artifact")


def grade_samples():
    print(f"\n=== lamina-grader demo: lab 1 and {len(DEMO_CLASS)} sample submissions ===", flush=True)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    grader = os.path.join(os.path.dirname(sys.executable), "lamina-grader")
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
               TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([grader, "demo", "01-first-model", "--labs", "labs", "--submissions",
                           "tests/grader/submissions/01-first-model", "--learners", ",".join(DEMO_CLASS),
                           "--jobs", "2"], cwd=root, env=env).returncode


def main():
    results = {}
    for backend in BACKENDS:
        results[backend] = run(backend)
    print("\nTest accuracy of the first model on the digits data (5 epochs):")
    failed = False
    for backend, result in results.items():
        if result is None:
            print(f"  {backend:<11} FAILED")
            failed = True
        else:
            print(f"  {backend:<11} {result['accuracy']:.4f}   (fit: {result['seconds']:.1f} s)")
    if "--no-grading" not in sys.argv[1:] and grade_samples() != 0:
        print("The grading demo FAILED.")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    start = time.time()
    code = main()
    print(f"\nDone in {time.time() - start:.0f} s.")
    sys.exit(code)
