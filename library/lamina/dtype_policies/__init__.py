"""Dtype policies: the dtype layers compute in and the dtype their weights are stored in.

Example:
    >>> lamina.dtype_policies.DTypePolicy("mixed_float16").compute_dtype
    'float16'
"""

from lamina.dtype_policies.policy import (  # noqa: F401
    DTypePolicy,
    FloatDTypePolicy,
    deserialize,
    dtype_policy,
    get,
    global_policy,
    serialize,
    set_dtype_policy,
    set_global_policy,
)

Policy = DTypePolicy
