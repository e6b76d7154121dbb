#!/usr/bin/env bash
# Runs the whole suite once per backend; fails if any backend's run fails or runs no test.
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BACKENDS=${BACKENDS:-"jax torch tensorflow numpy"}
# pytest-xdist runs two workers on two cores: one intra-op thread each, or torch's OpenMP
# threads spin against each other (seen here: 50x slower steps on a loaded machine).
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
failed=()
for backend in $BACKENDS; do
    echo "=== pytest on the $backend backend ==="
    start=$(date +%s)
    LAMINA_BACKEND=$backend "$PY" -m pytest ${PYTEST_ARGS:--n 2 -p no:warnings} tests
    rc=$?
    echo "=== $backend: exit $rc in $(( $(date +%s) - start )) s ==="
    if [ "$rc" -eq 5 ]; then
        echo "the $backend run collected no test: counted as a failure"
        failed+=("$backend(no tests)")
    elif [ "$rc" -ne 0 ]; then
        failed+=("$backend")
    fi
done
echo "=== API coverage ==="
"$PY" tools/api_coverage.py || true
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED backends: ${failed[*]}"
    exit 1
fi
echo "All backends passed: $BACKENDS"
