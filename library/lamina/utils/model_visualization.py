"""``plot_model`` and ``model_to_dot``: draw a model's layer graph.

Keras draws through pydot and graphviz. Lamina draws the graph itself with matplotlib (no
graphviz needed): one box per layer (name and class, shapes, dtypes, activation, trainable),
arrows along the data flow, ``rankdir`` ``"TB"`` or ``"LR"``, nested models drawn inside a
dashed frame with ``expand_nested=True``. The file type follows the extension (png, svg, pdf,
jpg). ``model_to_dot`` returns a ``pydot.Dot`` graph when pydot is installed.

Example:
    >>> lamina.utils.plot_model(model, "model.png", show_shapes=True)
"""

import os

from lamina import tree
from lamina.saving.object_registry import keras_export

_TITLE_SIZE, _TEXT_SIZE = 11, 9
_CHAR_W = 0.62  # average glyph width, in font sizes
_H_GAP, _V_GAP = 0.5, 0.55  # inches between boxes across and along the flow


def _models():
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential

    return Functional, Sequential


def _check_built(model):
    if not getattr(model, "built", False):
        raise ValueError(f"The model {getattr(model, 'name', model)!r} has not yet been built. Build it "
                         "first by calling `build()` or by calling it on a batch of data.")


def _shape_text(structure):
    if structure is None:
        return "?"
    if isinstance(structure, dict):
        return ", ".join(f"{k}: {v}" for k, v in structure.items())
    return str(structure)


def _activation_name(layer):
    fn = layer.activation
    return getattr(fn, "name", None) or getattr(fn, "__name__", None) or str(fn)


def _title_height():
    return 0.15 + _TITLE_SIZE * 1.5 / 72


class _Box:
    """One layer's box: its text rows and, after layout, its place."""

    def __init__(self, layer, clusters, show):
        self.layer = layer
        self.clusters = clusters
        cls = type(layer).__name__
        self.title = f"{layer.name} ({cls})" if show["show_layer_names"] else cls
        self.rows = []
        if show["show_layer_activations"] and getattr(layer, "activation", None) is not None:
            self.rows.append(f"Activation: {_activation_name(layer)}")
        cells = []
        if show["show_shapes"]:
            in_shape = out_shape = None
            try:
                in_shape = tree.map_structure(lambda t: t.shape, layer.input)
                out_shape = tree.map_structure(lambda t: t.shape, layer.output)
            except (ValueError, AttributeError, IndexError, TypeError):
                pass
            if cls != "InputLayer":
                cells.append(f"Input shape: {_shape_text(in_shape)}")
            cells.append(f"Output shape: {_shape_text(out_shape)}")
        if show["show_dtype"]:
            try:
                dtype = tree.map_structure(lambda t: t.dtype, layer.output)
            except (ValueError, AttributeError, IndexError, TypeError):
                dtype = None
            cells.append(f"Output dtype: {dtype or '?'}")
        self.cells = cells
        self.trainable = None
        if show["show_trainable"] and getattr(layer, "weights", None):
            self.trainable = bool(layer.trainable)
        lines = [self.title] + self.rows + [" | ".join(cells)] if cells else [self.title] + self.rows
        if self.trainable is not None:
            lines.append("Non-trainable" if not self.trainable else "Trainable")
        self.lines = lines
        self.width = max(len(s) * (_TITLE_SIZE if i == 0 else _TEXT_SIZE) * _CHAR_W / 72
                         for i, s in enumerate(lines)) + 0.3
        self.height = _title_height() + ((len(lines) - 1) * _TEXT_SIZE * 1.6 / 72 + 0.12 if len(lines) > 1
                                         else 0.0)
        self.x = self.y = 0.0


class _Graph:
    """Boxes and edges of a model, nested models flattened in when expanded."""

    def __init__(self, model, expand_nested, show):
        self.boxes, self.edges, self.cluster_names = [], [], {}
        self.expand_nested = expand_nested
        self.show = show
        self._by_layer = {}
        Functional, Sequential = _models()
        if isinstance(model, (Functional, Sequential)):
            self._add_model(model, ())
        else:
            self._box(model, ())

    def _box(self, layer, clusters):
        box = _Box(layer, clusters, self.show)
        self.boxes.append(box)
        self._by_layer[id(layer)] = box
        return box

    def _expandable(self, layer):
        Functional, Sequential = _models()
        return self.expand_nested and isinstance(layer, (Functional, Sequential)) and layer.built

    def _add_layer(self, layer, clusters):
        if self._expandable(layer):
            key = clusters + (id(layer),)
            self.cluster_names[key] = layer.name
            self._add_model(layer, key)
        else:
            self._box(layer, clusters)

    def _add_model(self, model, clusters):
        _, Sequential = _models()
        if isinstance(model, Sequential):
            _check_built(model)
            layers = model.layers
            for layer in layers:
                self._add_layer(layer, clusters)
            for a, b in zip(layers[:-1], layers[1:]):
                self._edge(self._exit(a, 0), self._entry(b, 0))
            return
        for op in model._operations:
            self._add_layer(op, clusters)
        for node in model._nodes:
            for input_index, tensor in enumerate(node.input_tensors):
                history = tensor._keras_history
                if history is None or id(history.operation) not in self._known(model):
                    continue
                self._edge(self._exit(history.operation, history.tensor_index),
                           self._entry(node.operation, input_index))

    @staticmethod
    def _known(model):
        return {id(op) for op in model._operations}

    def _entry(self, layer, input_index):
        Functional, Sequential = _models()
        while self._expandable(layer):
            if isinstance(layer, Sequential):
                layer = layer.layers[0]
            else:
                inputs = layer.inputs
                layer = inputs[min(input_index, len(inputs) - 1)]._keras_history.operation
        return self._by_layer.get(id(layer))

    def _exit(self, layer, output_index):
        while self._expandable(layer):
            outputs = layer.outputs
            history = outputs[min(output_index, len(outputs) - 1)]._keras_history
            layer, output_index = history.operation, history.tensor_index
        return self._by_layer.get(id(layer))

    def _edge(self, src, dst):
        if src is not None and dst is not None and src is not dst and (src, dst) not in self.edges:
            self.edges.append((src, dst))

    def layout(self, rankdir):
        """Longest-path ranks along the flow, barycentre order across it."""
        parents = {id(b): [] for b in self.boxes}
        for src, dst in self.edges:
            parents[id(dst)].append(src)
        rank = {}

        def rank_of(box, seen=()):
            if id(box) not in rank:
                if id(box) in seen:
                    return 0
                rank[id(box)] = 1 + max((rank_of(p, seen + (id(box),)) for p in parents[id(box)]),
                                        default=-1)
            return rank[id(box)]

        for box in self.boxes:
            rank_of(box)
        levels = {}
        for box in self.boxes:
            levels.setdefault(rank[id(box)], []).append(box)
        vertical = rankdir == "TB"
        position, along = {}, 0.0
        for level in sorted(levels):
            row = levels[level]
            row.sort(key=lambda b: (sum(position[id(p)] for p in parents[id(b)]) / len(parents[id(b)])
                                    if parents[id(b)] else self.boxes.index(b)))
            sizes = [b.width if vertical else b.height for b in row]
            total = sum(sizes) + _H_GAP * (len(row) - 1)
            cursor = -total / 2
            thickness = max(b.height if vertical else b.width for b in row)
            for box, size in zip(row, sizes):
                centre = cursor + size / 2
                position[id(box)] = centre
                if vertical:
                    box.x, box.y = centre, -(along + thickness / 2)
                else:
                    box.x, box.y = along + thickness / 2, -centre
                cursor += size + _H_GAP
            along += thickness + _V_GAP
        return self


def _draw(graph, rankdir, dpi, to_file):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

    graph.layout(rankdir)
    pad = 0.35
    frames = []
    for key, name in graph.cluster_names.items():
        members = [b for b in graph.boxes if b.clusters[:len(key)] == key]
        if members:
            depth = len(key)
            margin = 0.12 + 0.1 * (4 - min(depth, 4))
            frames.append((name, min(b.x - b.width / 2 for b in members) - margin,
                           max(b.x + b.width / 2 for b in members) + margin,
                           min(b.y - b.height / 2 for b in members) - margin,
                           max(b.y + b.height / 2 for b in members) + margin + 0.2))
    xs = [b.x - b.width / 2 for b in graph.boxes] + [f[1] for f in frames]
    xe = [b.x + b.width / 2 for b in graph.boxes] + [f[2] for f in frames]
    ys = [b.y - b.height / 2 for b in graph.boxes] + [f[3] for f in frames]
    ye = [b.y + b.height / 2 for b in graph.boxes] + [f[4] for f in frames]
    x0, x1, y0, y1 = min(xs) - pad, max(xe) + pad, min(ys) - pad, max(ye) + pad
    fig = Figure(figsize=(x1 - x0, y1 - y0), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.axis("off")
    for name, fx0, fx1, fy0, fy1 in frames:
        ax.add_patch(Rectangle((fx0, fy0), fx1 - fx0, fy1 - fy0, fill=False, linestyle="--",
                               edgecolor="0.45", linewidth=1))
        ax.text(fx0 + 0.08, fy1 - 0.06, name, ha="left", va="top", fontsize=_TEXT_SIZE, color="0.3")
    for box in graph.boxes:
        left, bottom = box.x - box.width / 2, box.y - box.height / 2
        ax.add_patch(FancyBboxPatch((left, bottom), box.width, box.height,
                                    boxstyle="round,pad=0,rounding_size=0.06", facecolor="white",
                                    edgecolor="black", linewidth=1.2))
        title_h = _title_height()
        ax.add_patch(FancyBboxPatch((left, box.y + box.height / 2 - title_h), box.width, title_h,
                                    boxstyle="round,pad=0,rounding_size=0.06", facecolor="black",
                                    edgecolor="black", linewidth=1.2))
        ax.text(box.x, box.y + box.height / 2 - title_h / 2, box.lines[0], ha="center", va="center",
                fontsize=_TITLE_SIZE, color="white", fontweight="bold")
        y = box.y + box.height / 2 - title_h - 0.05
        for line in box.lines[1:]:
            y -= _TEXT_SIZE * 1.6 / 72
            badge = line in ("Trainable", "Non-trainable") and box.trainable is not None
            ax.text(box.x, y + _TEXT_SIZE * 0.8 / 72, line, ha="center", va="center", fontsize=_TEXT_SIZE,
                    color="white" if badge else "black",
                    bbox=dict(facecolor="forestgreen" if box.trainable else "firebrick", edgecolor="none",
                              pad=1.5) if badge else None)
    outgoing, incoming = {}, {}
    for src, dst in graph.edges:
        outgoing.setdefault(id(src), []).append(dst)
        incoming.setdefault(id(dst), []).append(src)

    def spread(box, others, other):  # edges leave and enter side by side, ordered across the flow
        ordered = sorted(others, key=lambda b: b.x if rankdir == "TB" else -b.y)
        k = len(ordered)
        return (ordered.index(other) - (k - 1) / 2) * min(0.3, (box.width if rankdir == "TB" else box.height)
                                                          / (k + 1))

    for src, dst in graph.edges:
        out_shift, in_shift = spread(src, outgoing[id(src)], dst), spread(dst, incoming[id(dst)], src)
        if rankdir == "TB":
            start = (src.x + out_shift, src.y - src.height / 2)
            end = (dst.x + in_shift, dst.y + dst.height / 2)
        else:
            start = (src.x + src.width / 2, src.y - out_shift)
            end = (dst.x - dst.width / 2, dst.y - in_shift)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, linewidth=1.4,
                                     color="0.15", shrinkA=0, shrinkB=1))
    extension = os.path.splitext(str(to_file))[1][1:].lower() or "png"
    fig.savefig(str(to_file), format=extension, dpi=dpi)
    return fig


def _show_flags(show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable):
    return {"show_shapes": show_shapes, "show_dtype": show_dtype, "show_layer_names": show_layer_names,
            "show_layer_activations": show_layer_activations, "show_trainable": show_trainable}


def _check_kwargs(rankdir, kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    if rankdir not in ("TB", "LR"):
        raise ValueError(f"`rankdir` must be 'TB' or 'LR', received {rankdir!r}.")


@keras_export("keras.utils")
def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=False,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
               show_trainable=False, splines="ortho", **kwargs):
    """Draws the model's layer graph to ``to_file`` (png, svg, pdf, jpg by extension).

    Drawn with matplotlib, so graphviz is not needed; ``splines`` is accepted for Keras
    compatibility (arrows are straight).

    Args:
        model: a built model (a subclassed model is one box).
        to_file: the output file; its extension picks the format (png when none).
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's output dtype.
        show_layer_names: show layer names next to class names.
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right).
        expand_nested: draw nested models' layers inside a dashed frame.
        dpi: the image resolution.
        show_layer_activations: show the activation of layers that have one.
        show_trainable: mark layers with weights as trainable or not.
        splines: accepted for Keras compatibility.
        **kwargs: none accepted (``layer_range`` is refused as in Keras).

    Returns:
        An ``IPython.display.Image`` (``SVG`` for svg files) when IPython is importable and the
        file is not a pdf, as Keras returns in notebooks; otherwise ``None``.

    Example:
        >>> lamina.utils.plot_model(model, "model.svg", show_shapes=True, rankdir="LR")
    """
    _check_built(model)
    _check_kwargs(rankdir, kwargs)
    graph = _Graph(model, expand_nested, _show_flags(show_shapes, show_dtype, show_layer_names,
                                                      show_layer_activations, show_trainable))
    _draw(graph, rankdir, dpi, to_file)
    extension = os.path.splitext(str(to_file))[1][1:].lower() or "png"
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == "svg":
        return display.SVG(filename=str(to_file))
    return display.Image(filename=str(to_file))


def _pydot():
    try:
        import pydot
    except ImportError:
        return None
    return pydot


def _html_label(box):
    import html

    span = max(1, len(box.cells) + (1 if box.trainable is not None else 0))
    rows = [f'<tr><td colspan="{span}" bgcolor="black"><font point-size="16" color="white">'
            f"<b>{html.escape(box.title)}</b></font></td></tr>"]
    for row in box.rows:
        rows.append(f'<tr><td bgcolor="white" colspan="{span}"><font point-size="14">{html.escape(row)}'
                    "</font></td></tr>")
    cells = [f'<td bgcolor="white"><font point-size="14">{html.escape(c)}</font></td>' for c in box.cells]
    if box.trainable is not None:
        colour, text = ("forestgreen", "Trainable") if box.trainable else ("firebrick", "Non-trainable")
        cells.append(f'<td bgcolor="{colour}"><font point-size="14" color="white"><b>{text}</b></font></td>')
    if cells:
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">' + "".join(rows) + "</table>>"


@keras_export("keras.utils")
def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False,
                 show_trainable=False, splines="ortho", **kwargs):
    """The model's layer graph as a ``pydot.Dot`` (needs pydot; graphviz only to render it).

    Args:
        model: a built model.
        show_shapes: show input and output shapes.
        show_dtype: show output dtypes.
        show_layer_names: show layer names.
        rankdir: ``"TB"`` or ``"LR"``.
        expand_nested: put nested models' layers in dashed clusters.
        dpi: the graph's resolution attribute.
        subgraph: return a ``pydot.Cluster`` instead of a ``pydot.Dot``.
        show_layer_activations: show activations.
        show_trainable: show whether layers are trainable.
        splines: graphviz's ``splines`` attribute.
        **kwargs: none accepted.

    Returns:
        A ``pydot.Dot`` (or ``pydot.Cluster``).

    Raises:
        ImportError: when pydot is not installed (``plot_model`` does not need it).

    Example:
        >>> dot = lamina.utils.model_to_dot(model, show_shapes=True)
    """
    _check_built(model)
    pydot = _pydot()
    if pydot is None:
        raise ImportError("model_to_dot needs pydot (`pip install pydot`), which is not installed. "
                          "lamina.utils.plot_model draws the graph with matplotlib without it.")
    _check_kwargs(rankdir, kwargs)
    graph = _Graph(model, expand_nested, _show_flags(show_shapes, show_dtype, show_layer_names,
                                                      show_layer_activations, show_trainable))
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    clusters = {(): dot}
    for key in sorted(graph.cluster_names, key=len):
        cluster = pydot.Cluster(style="dashed", graph_name=f"{graph.cluster_names[key]}_{key[-1]}")
        cluster.set("label", graph.cluster_names[key])
        cluster.set("labeljust", "l")
        clusters[key] = cluster
        clusters[key[:-1]].add_subgraph(cluster)
    for box in graph.boxes:
        node = pydot.Node(str(id(box.layer)), label=_html_label(box))
        node.set("fontname", "Helvetica")
        node.set("border", "0")
        node.set("margin", "0")
        clusters[box.clusters].add_node(node)
    for src, dst in graph.edges:
        edge = pydot.Edge(str(id(src.layer)), str(id(dst.layer)))
        edge.set("penwidth", "2")
        dot.add_edge(edge)
    return dot
