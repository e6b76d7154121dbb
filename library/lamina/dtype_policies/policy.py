"""DTypePolicy and the global policy."""

from lamina.backend.common import dtypes, global_state
from lamina.backend.config import floatx

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


class DTypePolicy:
    """Says which dtype a layer computes in and which dtype its variables use.

    Args:
        name: a dtype name (``"float32"``, ``"float16"``...) or a mixed policy
            (``"mixed_float16"``, ``"mixed_bfloat16"``: compute in 16 bits, keep
            variables in float32). None means ``floatx()``.

    Example:
        >>> policy = DTypePolicy("mixed_bfloat16")
        >>> policy.compute_dtype, policy.variable_dtype
        ('bfloat16', 'float32')
    """

    def __init__(self, name=None):
        if name is None:
            name = floatx()
        if not isinstance(name, str):
            raise TypeError(f"DTypePolicy expected a string name, received {name!r}.")
        if name in _MIXED:
            self._compute, self._variable = _MIXED[name], "float32"
        else:
            try:
                self._compute = self._variable = dtypes.standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"Cannot convert {name!r} to a DTypePolicy: expected a dtype name or one of "
                    f"{tuple(_MIXED)}."
                ) from None
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute

    @property
    def variable_dtype(self):
        return self._variable

    @property
    def quantization_mode(self):
        return None

    def convert_input(self, x, autocast, dtype):
        """Casts float inputs to ``dtype`` when ``autocast`` is on."""
        from lamina import ops

        dtype = dtypes.standardize_dtype(dtype)
        if not ops.is_tensor(x) and not hasattr(x, "__array__"):
            return x
        if autocast and dtypes.is_float_dtype(x.dtype) and dtypes.standardize_dtype(x.dtype) != dtype:
            return ops.cast(x, dtype)
        return x

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


FloatDTypePolicy = DTypePolicy


def get(identifier):
    """Returns a DTypePolicy from a policy, a name, a config dict or None (global policy).

    Example:
        >>> get("float16").compute_dtype
        'float16'
    """
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(dtypes.standardize_dtype(identifier))
    except (TypeError, ValueError):
        raise ValueError(
            f"Cannot interpret {identifier!r} as a dtype policy: expected a name, a DTypePolicy "
            "or a config dict."
        ) from None


def serialize(policy):
    """Returns the Keras-format config dict of a policy.

    Example:
        >>> lamina.dtype_policies.serialize(lamina.DTypePolicy("mixed_float16"))["config"]
        {'name': 'mixed_float16'}
    """
    return {"module": "keras", "class_name": "DTypePolicy",
            "config": policy.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """Builds a policy from :func:`serialize`'s output (or a plain ``{"name": ...}``).

    Example:
        >>> lamina.dtype_policies.deserialize({"name": "mixed_float16"}).name
        'mixed_float16'
    """
    if "config" in config:
        config = config["config"]
    return DTypePolicy(**config)


def set_dtype_policy(policy):
    """Sets the global dtype policy (``"mixed_float16"``...).

    Example:
        >>> lamina.config.set_dtype_policy("mixed_bfloat16")
        >>> lamina.config.set_dtype_policy("float32")
    """
    policy = get(policy) if policy is not None else None
    global_state.set_global_attribute("dtype_policy", policy)


set_global_policy = set_dtype_policy


def dtype_policy():
    """Returns the global dtype policy (default: ``floatx()``).

    Example:
        >>> lamina.mixed_precision.global_policy().name
        'float32'
    """
    policy = global_state.get_global_attribute("dtype_policy")
    return policy if policy is not None else DTypePolicy(floatx())


global_policy = dtype_policy
