"""Nested structures (lists, tuples, dicts, namedtuples) of leaves, as in ``keras.tree``.

``None`` counts as a leaf, and dicts are traversed in sorted key order.

Example:
    >>> lamina.tree.flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> lamina.tree.map_structure(lambda x: x * 10, (1, [2]))
    (10, [20])
"""

import collections.abc

import optree

_NS = "lamina"


class _MapToNone:
    def __repr__(self):
        return "MAP_TO_NONE"


MAP_TO_NONE = _MapToNone()
"""Returned by a ``traverse`` function to replace a node by None."""


def is_nested(structure):
    """True when ``structure`` is a list, tuple, dict or namedtuple.

    Example:
        >>> is_nested([1]), is_nested(1)
        (True, False)
    """
    return not optree.tree_is_leaf(structure, none_is_leaf=True, namespace=_NS)


def flatten(structure):
    """Returns the leaves of ``structure`` in a flat list.

    Example:
        >>> flatten([1, (2, {"k": 3})])
        [1, 2, 3]
    """
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NS)


def flatten_with_path(structure):
    """Returns ``(path, leaf)`` pairs; a path is a tuple of indices and keys.

    Example:
        >>> flatten_with_path({"a": [5]})
        [(('a', 0), 5)]
    """
    paths, leaves, _ = optree.tree_flatten_with_path(structure, none_is_leaf=True, namespace=_NS)
    return list(zip(paths, leaves))


def unflatten_as(structure, flat_sequence):
    """Alias of :func:`pack_sequence_as`."""
    return pack_sequence_as(structure, flat_sequence)


def pack_sequence_as(structure, flat_sequence):
    """Builds ``structure``'s shape again from the leaves in ``flat_sequence``.

    Example:
        >>> pack_sequence_as((0, [0]), [7, 8])
        (7, [8])
    """
    treespec = optree.tree_structure(structure, none_is_leaf=True, namespace=_NS)
    flat_sequence = list(flat_sequence)
    if treespec.num_leaves != len(flat_sequence):
        raise ValueError(
            f"pack_sequence_as: the structure has {treespec.num_leaves} leaves but "
            f"{len(flat_sequence)} values were given."
        )
    return optree.tree_unflatten(treespec, flat_sequence)


def map_structure(func, *structures):
    """Applies ``func`` to the leaves of same-shaped structures.

    Example:
        >>> map_structure(lambda a, b: a + b, [1, 2], [10, 20])
        [11, 22]
    """
    if not structures:
        raise ValueError("map_structure needs at least one structure.")
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    return optree.tree_map(func, *structures, none_is_leaf=True, namespace=_NS)


def map_structure_up_to(shallow_structure, func, *structures):
    """Like :func:`map_structure`, but stops at the leaves of ``shallow_structure``.

    Example:
        >>> map_structure_up_to([0, 0], len, [[1, 2], [3]])
        [2, 1]
    """
    spec = optree.tree_structure(shallow_structure, none_is_leaf=True, namespace=_NS)
    flat = [spec.flatten_up_to(s) for s in structures]
    return optree.tree_unflatten(spec, [func(*leaves) for leaves in zip(*flat)])


def assert_same_structure(a, b, check_types=None):
    """Raises ValueError when ``a`` and ``b`` do not nest the same way.

    Example:
        >>> assert_same_structure([1, [2]], [3, [4]])
    """
    sa = optree.tree_structure(a, none_is_leaf=True, namespace=_NS)
    sb = optree.tree_structure(b, none_is_leaf=True, namespace=_NS)
    if sa.num_leaves != sb.num_leaves or _kinds(sa) != _kinds(sb):
        raise ValueError(
            f"The two structures don't have the same nested structure: {a!r} and {b!r}."
        )


def _kinds(spec):
    # Lists and tuples are interchangeable for structure comparison.
    return str(spec).replace("[", "(").replace("]", ")").replace(",)", ")")


def assert_same_paths(a, b):
    """Raises ValueError when ``a`` and ``b`` do not have the same leaf paths.

    Example:
        >>> assert_same_paths({"x": 1}, {"x": 2})
    """
    pa = {p for p, _ in flatten_with_path(a)}
    pb = {p for p, _ in flatten_with_path(b)}
    if pa != pb:
        raise ValueError(f"The structures have different paths: {sorted(pa ^ pb, key=str)}.")


def lists_to_tuples(structure):
    """Returns ``structure`` with every list turned into a tuple.

    Example:
        >>> lists_to_tuples([1, [2]])
        (1, (2,))
    """
    if isinstance(structure, list):
        return tuple(lists_to_tuples(s) for s in structure)
    if isinstance(structure, tuple) and not hasattr(structure, "_fields"):
        return tuple(lists_to_tuples(s) for s in structure)
    if isinstance(structure, dict):
        return type(structure)((k, lists_to_tuples(v)) for k, v in structure.items())
    return structure


def _is_shape(x):
    return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, int) for d in x)


def map_shape_structure(func, structure):
    """Applies ``func`` to each shape (a tuple of ints and None) in ``structure``.

    Example:
        >>> map_shape_structure(len, {"a": (1, 2), "b": [(3,)]})
        {'a': 2, 'b': [1]}
    """
    if _is_shape(structure):
        return func(tuple(structure))
    if isinstance(structure, dict):
        return type(structure)((k, map_shape_structure(func, v)) for k, v in structure.items())
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_shape_structure(func, s) for s in structure)
    return func(structure)


def traverse(func, structure, top_down=True):
    """Visits every node; ``func`` may return a replacement (or MAP_TO_NONE).

    Example:
        >>> traverse(lambda x: x * 2 if isinstance(x, int) else None, [1, 2])
        [2, 4]
    """

    def visit(node):
        if top_down:
            out = func(node)
            if out is MAP_TO_NONE:
                return None
            if out is not None:
                return out
        if is_nested(node):
            if isinstance(node, collections.abc.Mapping):
                new = type(node)((k, visit(v)) for k, v in node.items())
            elif hasattr(node, "_fields"):
                new = type(node)(*[visit(v) for v in node])
            else:
                new = type(node)(visit(v) for v in node)
        else:
            new = node
        if not top_down:
            out = func(new)
            if out is MAP_TO_NONE:
                return None
            if out is not None:
                return out
        return new

    return visit(structure)
