"""Fused optimizer updates for PyTorch: one ``torch._foreach_*`` call per arithmetic
step for all variables at once, instead of a Python loop of tiny ops per variable.

Each kernel performs exactly the arithmetic of the optimizer's generic
``update_step`` (same operations, same order), so both paths give the same values.
The optimizer base class calls these hooks only outside a ``StatelessScope``.

Example:
    >>> from lamina.backend import impl
    >>> impl.optimizers.fused_update("sgd", [v], [g], {}, {"momentum": 0.0,
    ...                              "nesterov": False}, 0.1, 0)
    True
"""

import torch

from lamina.backend.common.variables import Variable, get_autocast_dtype
from lamina.backend.torch.core import convert_to_tensor


def _raw(variables):
    """The variables' tensors when they can be updated together, else None."""
    if get_autocast_dtype() is not None:
        return None
    tensors = []
    for v in variables:
        if v is None or v._value is None:
            return None
        tensors.append(v._value)
    dtype = tensors[0].dtype
    if not dtype.is_floating_point or any(t.dtype != dtype for t in tensors):
        return None
    return tensors


def _scalar(x, dtype):
    return convert_to_tensor(x).to(dtype)


def _sgd(params, grads, slots, hyper, lr, step):
    scaled = torch._foreach_mul(grads, lr)
    if hyper["momentum"] == 0:
        torch._foreach_sub_(params, scaled)
        return
    momentum = _scalar(hyper["momentum"], params[0].dtype)
    ms = slots["momentum"]
    torch._foreach_mul_(ms, momentum)
    torch._foreach_sub_(ms, scaled)
    if hyper["nesterov"]:
        update = torch._foreach_mul(ms, momentum)
        torch._foreach_sub_(update, scaled)
        torch._foreach_add_(params, update)
    else:
        torch._foreach_add_(params, ms)


def _adam(params, grads, slots, hyper, lr, step):
    dtype = params[0].dtype
    step = step.to(dtype)
    beta_1_power = torch.pow(_scalar(hyper["beta_1"], dtype), step)
    beta_2_power = torch.pow(_scalar(hyper["beta_2"], dtype), step)
    alpha = lr * torch.sqrt(1 - beta_2_power) / (1 - beta_1_power)
    ms, vs = slots["momentum"], slots["velocity"]
    # m += (g - m) * (1 - beta_1) and v += (g^2 - v) * (1 - beta_2), one pass each: lerp
    # computes start + weight * (end - start) for weights below 0.5.
    torch._foreach_lerp_(ms, grads, 1 - hyper["beta_1"])
    torch._foreach_lerp_(vs, torch._foreach_mul(grads, grads), 1 - hyper["beta_2"])
    if hyper["amsgrad"]:
        hats = slots["velocity_hat"]
        torch._foreach_maximum_(hats, vs)
        vs = hats
    denominator = torch._foreach_sqrt(vs)
    torch._foreach_add_(denominator, hyper["epsilon"])
    if alpha.device.type == "cpu":
        # params -= alpha * m / denominator in one pass (reading a CPU scalar costs no sync).
        torch._foreach_addcdiv_(params, ms, denominator, value=-float(alpha))
        return
    numerator = torch._foreach_mul(ms, alpha)
    torch._foreach_div_(numerator, denominator)
    torch._foreach_sub_(params, numerator)


def _rmsprop(params, grads, slots, hyper, lr, step):
    rho = hyper["rho"]
    vs = slots["velocity"]
    torch._foreach_mul_(vs, rho)
    squares = torch._foreach_mul(grads, grads)
    torch._foreach_mul_(squares, 1 - rho)
    torch._foreach_add_(vs, squares)
    if hyper["centered"]:
        averages = slots["average_gradient"]
        torch._foreach_mul_(averages, rho)
        torch._foreach_add_(averages, torch._foreach_mul(grads, 1 - rho))
        denominator = torch._foreach_sub(vs, torch._foreach_mul(averages, averages))
        torch._foreach_add_(denominator, hyper["epsilon"])
    else:
        denominator = torch._foreach_add(vs, hyper["epsilon"])
    torch._foreach_sqrt_(denominator)
    increment = torch._foreach_mul(grads, lr)
    torch._foreach_div_(increment, denominator)
    if hyper["momentum"] > 0:
        moms = slots["momentum"]
        torch._foreach_mul_(moms, hyper["momentum"])
        torch._foreach_add_(moms, increment)
        torch._foreach_sub_(params, moms)
    else:
        torch._foreach_sub_(params, increment)


def _adagrad(params, grads, slots, hyper, lr, step):
    accumulators = slots["accumulator"]
    torch._foreach_add_(accumulators, torch._foreach_mul(grads, grads))
    numerator = torch._foreach_mul(grads, lr)
    denominator = torch._foreach_add(accumulators, hyper["epsilon"])
    torch._foreach_sqrt_(denominator)
    torch._foreach_div_(numerator, denominator)
    torch._foreach_sub_(params, numerator)


def _lion(params, grads, slots, hyper, lr, step):
    dtype = params[0].dtype
    beta_1 = _scalar(hyper["beta_1"], dtype)
    beta_2 = _scalar(hyper["beta_2"], dtype)
    ms = slots["momentum"]
    direction = torch._foreach_mul(ms, beta_1)
    torch._foreach_add_(direction, torch._foreach_mul(grads, 1.0 - beta_1))
    direction = [torch.sign(d) for d in direction]
    torch._foreach_sub_(params, torch._foreach_mul(direction, lr))
    torch._foreach_mul_(ms, beta_2)
    torch._foreach_add_(ms, torch._foreach_mul(grads, 1.0 - beta_2))


_KERNELS = {"sgd": _sgd, "adam": _adam, "rmsprop": _rmsprop, "adagrad": _adagrad,
            "lion": _lion}


def fused_update(algorithm, variables, grads, slots, hyper, learning_rate, iterations):
    """Updates all ``variables`` (and their ``slots``) with ``grads`` in a few fused ops.

    Args:
        algorithm: the update rule (``"sgd"``, ``"adam"``, ``"rmsprop"``, ``"adagrad"``,
            ``"lion"``).
        variables: the lamina Variables to update.
        grads: one gradient per variable.
        slots: ``{slot name: [Variable per variable]}``.
        hyper: the optimizer's hyperparameters.
        learning_rate: the current learning rate.
        iterations: the optimizer's (accumulated) iteration count before this step.

    Returns:
        True when done; False when the generic per-variable path must run instead.
    """
    kernel = _KERNELS.get(algorithm)
    if kernel is None or not variables:
        return False
    params = _raw(variables)
    if params is None:
        return False
    raw_slots = {}
    for name, slot_variables in slots.items():
        raw = _raw(slot_variables)
        if raw is None:
            return False
        raw_slots[name] = raw
    dtype = params[0].dtype
    grads = [convert_to_tensor(g) for g in grads]
    grads = [g if g.dtype == dtype else g.to(dtype) for g in grads]
    step = convert_to_tensor(iterations.value if isinstance(iterations, Variable) else iterations)
    with torch.no_grad():
        kernel(params, grads, raw_slots, hyper, _scalar(learning_rate, dtype), step + 1)
    return True


def fused_weight_decay(variables, weight_decay, learning_rate):
    """``v -= v * weight_decay * learning_rate`` for all ``variables`` at once."""
    params = _raw(variables)
    if params is None:
        return False
    dtype = params[0].dtype
    with torch.no_grad():
        decay = torch._foreach_mul(params, _scalar(weight_decay, dtype))
        torch._foreach_mul_(decay, _scalar(learning_rate, dtype))
        torch._foreach_sub_(params, decay)
    return True
