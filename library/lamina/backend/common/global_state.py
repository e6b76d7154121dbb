"""Thread-local global state: active scopes, name counters, the seed.

Example:
    >>> set_global_attribute("answer", 42); get_global_attribute("answer")
    42
"""

import threading

_STATE = threading.local()


def _store():
    store = getattr(_STATE, "attrs", None)
    if store is None:
        store = _STATE.attrs = {}
    return store


def get_global_attribute(name, default=None, set_to_default=False):
    """Returns a thread-local global attribute (optionally storing the default)."""
    store = _store()
    if name not in store and set_to_default:
        store[name] = default
    return store.get(name, default)


def set_global_attribute(name, value):
    """Sets a thread-local global attribute."""
    _store()[name] = value


def clear_session():
    """Resets all global state: name counters, scopes, the global seed generator.

    Example:
        >>> lamina.utils.clear_session()
    """
    _STATE.attrs = {}


_UIDS = {}


def get_uid(prefix=""):
    """Returns 1, 2, 3... on successive calls with the same prefix.

    Example:
        >>> get_uid("dense") >= 1
        True
    """
    uids = get_global_attribute("uids", {}, set_to_default=True)
    uids[prefix] = uids.get(prefix, 0) + 1
    return uids[prefix]
