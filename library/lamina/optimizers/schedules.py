"""Learning-rate schedules: the learning rate as a function of the step.

Example:
    >>> schedule = lamina.optimizers.schedules.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5)
    >>> opt = lamina.optimizers.SGD(learning_rate=schedule)
"""

import math

from lamina import ops
from lamina.saving.object_registry import keras_export
from lamina.saving.serialization import deserialize_keras_object, serialize_keras_object

_MODULE = "keras.optimizers.schedules"


@keras_export(_MODULE)
class LearningRateSchedule:
    """Base class: ``schedule(step)`` returns the learning rate at ``step``.

    Example:
        >>> class Halving(lamina.optimizers.schedules.LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 * 0.5 ** lamina.ops.cast(step // 100, "float32")
    """

    def __call__(self, step):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(step).")

    def get_config(self):
        raise NotImplementedError(f"{type(self).__name__} must implement get_config().")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _f(x):
    return ops.cast(x, "float32")


@keras_export(_MODULE)
class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (floored with ``staircase``).

    Example:
        >>> ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(10)  # 0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        if decay_steps <= 0:
            raise ValueError(f"ExponentialDecay: decay_steps must be > 0, received {decay_steps}.")
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase, self.name = decay_rate, staircase, name

    def __call__(self, step):
        p = _f(step) / self.decay_steps
        if self.staircase:
            p = ops.floor(p)
        return self.initial_learning_rate * ops.power(_f(self.decay_rate), p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


@keras_export(_MODULE)
class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``.

    Example:
        >>> InverseTimeDecay(0.1, decay_steps=1, decay_rate=1.0)(1)  # 0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase, self.name = decay_rate, staircase, name

    def __call__(self, step):
        p = _f(step) / self.decay_steps
        if self.staircase:
            p = ops.floor(p)
        return self.initial_learning_rate / (1.0 + self.decay_rate * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


@keras_export(_MODULE)
class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``.

    Example:
        >>> PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])(150)  # 0.5
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(values) != len(boundaries) + 1:
            raise ValueError(
                "PiecewiseConstantDecay: values must have one more entry than boundaries, "
                f"received {len(boundaries)} boundaries and {len(values)} values."
            )
        self.boundaries, self.values, self.name = list(boundaries), list(values), name

    def __call__(self, step):
        step = _f(step)
        out = _f(self.values[-1])
        for boundary, value in reversed(list(zip(self.boundaries, self.values[:-1]))):
            out = ops.where(step <= boundary, _f(value), out)
        return out

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@keras_export(_MODULE)
class PolynomialDecay(LearningRateSchedule):
    """Polynomial interpolation from the initial to the end learning rate over ``decay_steps``.

    Example:
        >>> PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0)(5)  # 0.5
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.end_learning_rate, self.power, self.cycle, self.name = end_learning_rate, power, cycle, name

    def __call__(self, step):
        step = _f(step)
        steps = _f(self.decay_steps)
        if self.cycle:
            multiplier = ops.where(step == 0, 1.0, ops.ceil(step / self.decay_steps))
            steps = steps * multiplier
        else:
            step = ops.minimum(step, steps)
        fraction = step / steps
        return (self.initial_learning_rate - self.end_learning_rate) * ops.power(
            1 - fraction, self.power) + self.end_learning_rate

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power,
                "cycle": self.cycle, "name": self.name}


@keras_export(_MODULE)
class CosineDecay(LearningRateSchedule):
    """Cosine decay to ``alpha * initial_learning_rate``, after an optional linear warmup.

    Example:
        >>> CosineDecay(1.0, decay_steps=10)(10)  # 0.0
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate, self.decay_steps, self.alpha = initial_learning_rate, decay_steps, alpha
        self.name, self.warmup_target, self.warmup_steps = name, warmup_target, warmup_steps

    def _decay(self, step, start):
        fraction = ops.minimum(step, _f(self.decay_steps)) / self.decay_steps
        cosine = 0.5 * (1.0 + ops.cos(math.pi * fraction))
        return ((1 - self.alpha) * cosine + self.alpha) * start

    def __call__(self, step):
        step = _f(step)
        if self.warmup_target is None:
            return self._decay(step, self.initial_learning_rate)
        warm = self.initial_learning_rate + (self.warmup_target - self.initial_learning_rate) * (
            step / max(self.warmup_steps, 1))
        return ops.where(step < self.warmup_steps, warm,
                         self._decay(step - self.warmup_steps, self.warmup_target))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


@keras_export(_MODULE)
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay that restarts; period ``first_decay_steps * t_mul**i``, peak ``m_mul**i``.

    Example:
        >>> CosineDecayRestarts(1.0, first_decay_steps=10)(10)  # 1.0 (a restart)
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        self.initial_learning_rate, self.first_decay_steps = initial_learning_rate, first_decay_steps
        self.t_mul, self.m_mul, self.alpha, self.name = t_mul, m_mul, alpha, name

    def __call__(self, step):
        fraction = _f(step) / self.first_decay_steps
        if self.t_mul == 1.0:
            i = ops.floor(fraction)
            fraction = fraction - i
        else:
            i = ops.floor(ops.log(1.0 - fraction * (1.0 - self.t_mul)) / math.log(self.t_mul))
            sum_r = (1.0 - ops.power(self.t_mul, i)) / (1.0 - self.t_mul)
            fraction = (fraction - sum_r) / ops.power(self.t_mul, i)
        m = ops.power(_f(self.m_mul), i)
        cosine = 0.5 * m * (1.0 + ops.cos(math.pi * fraction))
        return self.initial_learning_rate * ((1 - self.alpha) * cosine + self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self.t_mul,
                "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


def serialize(schedule):
    """The Keras-format config of a schedule.

    Example:
        >>> schedule = lamina.optimizers.schedules.ExponentialDecay(0.1, 100, 0.9)
        >>> lamina.optimizers.schedules.serialize(schedule)["class_name"]
        'ExponentialDecay'
    """
    return serialize_keras_object(schedule)


def deserialize(config, custom_objects=None):
    """Builds a schedule from its config.

    Example:
        >>> config = lamina.optimizers.schedules.serialize(schedule)
        >>> lamina.optimizers.schedules.deserialize(config)  # an equal ExponentialDecay
    """
    return deserialize_keras_object(config, custom_objects=custom_objects)
