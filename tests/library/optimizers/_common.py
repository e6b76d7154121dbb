"""Shared helpers: the same variables and gradient sequence for lamina and Keras."""

import numpy as np

import lamina

SHAPES = {"kernel": (4, 3), "bias": (3,)}
STEPS = 5


def initial_values(seed=0):
    rng = np.random.default_rng(seed)
    return {k: rng.normal(size=s).astype("float32") for k, s in SHAPES.items()}


def gradient_sequence(seed=1, steps=STEPS, nan_at=None):
    rng = np.random.default_rng(seed)
    out = []
    for step in range(steps):
        grads = [rng.normal(size=s).astype("float32") for s in SHAPES.values()]
        if step == nan_at:
            grads[0][0, 0] = np.nan
        out.append(grads)
    return out


def make_variables(lib, seed=0):
    values = initial_values(seed)
    return [lib.Variable(values[k], name=k) for k in SHAPES]


def to_numpy(lib, x):
    x = x.value if hasattr(x, "value") and not isinstance(x, np.ndarray) else x
    return np.asarray(lib.ops.convert_to_numpy(x))


def run(lib, optimizer, grad_seq=None, finalize=False, seed=0):
    """Applies the gradient sequence; returns (variable values, optimizer values)."""
    variables = make_variables(lib, seed)
    for grads in grad_seq or gradient_sequence():
        optimizer.apply([lib.ops.convert_to_tensor(g) for g in grads], variables)
    if finalize:
        optimizer.finalize_variable_values(variables)
    return ([to_numpy(lib, v) for v in variables],
            [to_numpy(lib, v).astype("float64") for v in optimizer.variables])


def build(lib, cls_name, kwargs):
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, tuple):
        kwargs["learning_rate"] = getattr(lib.optimizers.schedules, lr[0])(**lr[1])
    return getattr(lib.optimizers, cls_name)(**kwargs)


def assert_close(ours, theirs, rtol=1e-5, atol=1e-5):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def backend():
    return lamina.backend.backend()


def run_stateless(lib, optimizer, grad_seq=None, seed=0):
    """Like ``run`` but through ``stateless_apply`` (values threaded by hand)."""
    variables = make_variables(lib, seed)
    optimizer.build(variables)
    params = [v.value for v in variables]
    state = [v.value for v in optimizer.variables]
    for grads in grad_seq or gradient_sequence():
        grads = [lib.ops.convert_to_tensor(g) for g in grads]
        params, state = optimizer.stateless_apply(state, grads, params)
    return ([to_numpy(lib, v) for v in params],
            [to_numpy(lib, v).astype("float64") for v in state])
