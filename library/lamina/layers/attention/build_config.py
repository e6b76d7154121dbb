"""Build configs of layers built from several input shapes (query, value, key).

Keras 3 saves them as ``{"shapes_dict": {"query_shape": ..., "value_shape": ...}}``;
this mixin writes and reads that form so that saved files interoperate.
"""

from lamina import tree
from lamina.backend.common.scopes import name_scope


class ShapesDictBuildMixin:
    """For layers whose ``build(query_shape, value_shape, key_shape=None)`` takes
    several shapes: ``get_build_config``/``build_from_config`` in Keras's layout.

    Example:
        >>> layer.get_build_config()
        {'shapes_dict': {'query_shape': (None, 4, 8), 'value_shape': (None, 6, 8)}}
    """

    def _record_shapes(self, query_shape, value_shape, key_shape=None):
        shapes = {"query_shape": tuple(query_shape), "value_shape": tuple(value_shape)}
        if key_shape is not None:
            shapes["key_shape"] = tuple(key_shape)
        self._shapes_dict = shapes

    def get_build_config(self):
        shapes = self.__dict__.get("_shapes_dict")
        return None if shapes is None else {"shapes_dict": dict(shapes)}

    def build_from_config(self, config):
        if not config or self.built:
            return
        if "shapes_dict" in config:
            shapes = {k: tree.lists_to_tuples(v) for k, v in config["shapes_dict"].items()}
        elif "input_shape" in config:
            given = tree.lists_to_tuples(config["input_shape"])
            names = ("query_shape", "value_shape", "key_shape")
            shapes = dict(zip(names, given if isinstance(given[0], tuple) else (given, given)))
        else:
            return
        with name_scope(self.name, caller=self):
            self.build(**shapes)
        self.built = True
