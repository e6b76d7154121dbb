"""``model.summary()``: the Keras table of layers, output shapes and parameter counts.

Example:
    >>> model.summary()
    Model: "sequential"
    ┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━━━┓
    ┃ Layer (type)         ┃ Output Shape  ┃ Param # ┃
    ...
"""

import html

from lamina.backend.common import dtypes


def _count(weights):
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= d
        total += n
    return total


def _bytes(weights):
    return sum(_count([w]) * dtypes.dtype_size(w.dtype) // 8 for w in weights)


def _human(nbytes):
    for unit in ("B", "KB", "MB", "GB"):
        if nbytes < 1024 or unit == "GB":
            return f"{nbytes:.2f} {unit}"
        nbytes /= 1024


def _output_shape(layer):
    try:
        out = layer.output
    except (AttributeError, ValueError):
        return "?"
    if isinstance(out, (list, tuple)):
        shapes = [str(getattr(o, "shape", "?")) for o in out]
        return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"
    if isinstance(out, dict):
        return "{" + ", ".join(f"{k}: {v.shape}" for k, v in out.items()) + "}"
    return str(getattr(out, "shape", "?"))


def _connections(layer, model):
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        return ""
    parents = []
    for node in nodes:
        if node.operation is layer:
            for t in node.input_tensors:
                history = t._keras_history
                if history is not None:
                    parents.append(f"{history.operation.name}[{history.node_index}][{history.tensor_index}]")
    return ", ".join(parents)


def _rows(model):
    from lamina.layers.core.input_layer import InputLayer

    functional = hasattr(model, "_nodes") and not hasattr(model, "_layers_list")
    layers = model.layers
    rows = []
    for layer in layers:
        params = _count(layer.weights) if layer.built else "0 (unbuilt)"
        if isinstance(layer, InputLayer):
            shape = str(layer.batch_shape)
        else:
            shape = _output_shape(layer) if model.built else "?"
        row = [f"{layer.name} ({type(layer).__name__})", shape,
               f"{params:,}" if isinstance(params, int) else params]
        if functional:
            row.append(_connections(layer, model) or "-")
        rows.append(row)
    header = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if functional else [])
    return header, rows


def summary_lines(model, line_length=None, show_trainable=False):
    """The lines of the summary table."""
    header, rows = _rows(model)
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i])
              for i in range(len(header))]
    widths = [max(w, 12) + 2 for w in widths]
    align = ["<", "<", ">", "<"]

    def fmt(cells):
        return "│" + "│".join(f" {c:{align[i]}{widths[i] - 2}} " for i, c in enumerate(cells)) + "│"

    lines = [f'Model: "{model.name}"']
    lines.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    lines.append("┃" + "┃".join(f" {h:{align[i]}{widths[i] - 2}} " for i, h in enumerate(header)) + "┃")
    lines.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    for i, row in enumerate(rows):
        lines.append(fmt(row))
        if i < len(rows) - 1:
            lines.append("├" + "┼".join("─" * w for w in widths) + "┤")
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    weights = model.weights if model.built else []
    trainable = model.trainable_weights if model.built else []
    non_trainable = model.non_trainable_weights if model.built else []
    lines.append(f" Total params: {_count(weights):,} ({_human(_bytes(weights))})")
    lines.append(f" Trainable params: {_count(trainable):,} ({_human(_bytes(trainable))})")
    lines.append(f" Non-trainable params: {_count(non_trainable):,} ({_human(_bytes(non_trainable))})")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and optimizer.built:
        slots = [v for v in optimizer.variables]
        lines.append(f" Optimizer params: {_count(slots):,} ({_human(_bytes(slots))})")
    return lines


def print_summary(model, line_length=None, print_fn=None, expand_nested=False, show_trainable=False):
    """Prints :func:`summary_lines` (or passes each line to ``print_fn``)."""
    lines = summary_lines(model, line_length, show_trainable)
    if print_fn is None:
        print("\n".join(lines))
    else:
        for line in lines:
            print_fn(line)


def summary_html(model):
    """The summary as an HTML table, for notebooks."""
    header, rows = _rows(model)
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td><code>{html.escape(str(c))}</code></td>" for c in row)
                   + "</tr>" for row in rows)
    weights = model.weights if model.built else []
    trainable = model.trainable_weights if model.built else []
    return (f"<div><b>Model: {html.escape(model.name)}</b><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><p>Total params: {_count(weights):,} "
            f"({_human(_bytes(weights))}) · Trainable: {_count(trainable):,} · Non-trainable: "
            f"{_count(weights) - _count(trainable):,}</p></div>")
