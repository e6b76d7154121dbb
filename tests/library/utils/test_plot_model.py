"""plot_model draws with matplotlib (no graphviz): files, layout, labels, nesting; model_to_dot."""

import re

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.utils import model_visualization


def _functional():
    a, b = lamina.Input((4,), name="a"), lamina.Input((3,), name="b")
    x = layers.Dense(5, activation="relu", name="hidden")(a)
    merged = layers.Concatenate(name="merge")([x, b])
    return lamina.Model([a, b], layers.Dense(2, name="head")(merged), name="two_inputs")


def _nested():
    inner = lamina.Sequential([lamina.Input((4,)), layers.Dense(3, name="inner_dense"),
                               layers.Dense(3, name="inner_out")], name="inner")
    inner.layers[0].trainable = False
    x = lamina.Input((4,), name="x")
    return lamina.Model(x, layers.Dense(1, name="top")(inner(x)), name="outer")


def _png_size(path):
    from PIL import Image

    with Image.open(path) as img:
        return img.size


def _svg_text(path):
    return open(path).read()


def test_graph_edges_and_labels():
    graph = model_visualization._Graph(_functional(), False, dict(
        show_shapes=True, show_dtype=True, show_layer_names=True, show_layer_activations=True,
        show_trainable=True))
    names = [b.layer.name for b in graph.boxes]
    assert set(names) == {"a", "b", "hidden", "merge", "head"}
    edges = {(s.layer.name, d.layer.name) for s, d in graph.edges}
    assert edges == {("a", "hidden"), ("hidden", "merge"), ("b", "merge"), ("merge", "head")}
    hidden = graph.boxes[names.index("hidden")]
    assert hidden.lines == ["hidden (Dense)", "Activation: relu",
                            "Input shape: (None, 4) | Output shape: (None, 5) | Output dtype: float32",
                            "Trainable"]
    head = graph.boxes[names.index("a")]
    assert head.lines[0] == "a (InputLayer)" and "Input shape" not in head.lines[1]
    graph.layout("TB")
    by = {b.layer.name: b for b in graph.boxes}
    assert by["a"].y > by["hidden"].y > by["merge"].y > by["head"].y  # top to bottom
    graph.layout("LR")
    assert by["a"].x < by["hidden"].x < by["merge"].x < by["head"].x


def test_nested_expansion_connects_inner_layers():
    show = dict(show_shapes=False, show_dtype=False, show_layer_names=True, show_layer_activations=False,
                show_trainable=True)
    flat = model_visualization._Graph(_nested(), False, show)
    assert [b.layer.name for b in flat.boxes] == ["x", "inner", "top"]
    expanded = model_visualization._Graph(_nested(), True, show)
    edges = [(s.layer.name, d.layer.name) for s, d in expanded.edges]
    assert edges == [("inner_dense", "inner_out"), ("x", "inner_dense"), ("inner_out", "top")]
    assert list(expanded.cluster_names.values()) == ["inner"]
    frozen = [b for b in expanded.boxes if b.layer.name == "inner_dense"][0]
    assert frozen.lines[-1] == "Non-trainable"


def test_plot_model_png_layout_and_return(tmp_path):
    sizes = {}
    for rankdir in ("TB", "LR"):
        path = tmp_path / f"{rankdir}.png"
        out = lamina.utils.plot_model(_functional(), str(path), show_shapes=True, rankdir=rankdir, dpi=50)
        sizes[rankdir] = _png_size(path)
        from IPython import display

        assert isinstance(out, display.Image) and out.data[:4] == b"\x89PNG"
    (tb_w, tb_h), (lr_w, lr_h) = sizes["TB"], sizes["LR"]
    assert tb_h > lr_h and lr_w > tb_w


def test_plot_model_svg_pdf_contents(tmp_path):
    model = _nested()
    svg = tmp_path / "m.svg"
    out = lamina.utils.plot_model(model, svg, show_layer_names=True, expand_nested=True,
                                  show_trainable=True, show_dtype=True)
    from IPython import display

    assert isinstance(out, display.SVG)
    text = _svg_text(svg)
    for word in ("inner_dense (Dense)", "inner_out (Dense)", "top (Dense)", "Non-trainable", "float32"):
        assert word in text or word.replace(" ", "&#160;") in text or _glyphs(text, word), word
    assert len(re.findall(r"stroke-dasharray", text)) >= 1  # the nested model's frame
    assert lamina.utils.plot_model(model, tmp_path / "m.pdf") is None
    assert open(tmp_path / "m.pdf", "rb").read(4) == b"%PDF"


def _glyphs(text, word):
    return f"<!-- {word} -->" in text


def test_plot_model_sequential_and_subclassed(tmp_path):
    seq = lamina.Sequential([lamina.Input((3,)), layers.Dense(2), layers.Dense(1)])
    lamina.utils.plot_model(seq, tmp_path / "s.png", dpi=40)
    graph = model_visualization._Graph(seq, False, dict.fromkeys(
        ("show_shapes", "show_dtype", "show_layer_names", "show_layer_activations", "show_trainable"), False))
    assert len(graph.boxes) == 2 and len(graph.edges) == 1 and graph.boxes[0].lines == ["Dense"]

    class Sub(lamina.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    sub = Sub()
    sub(np.zeros((1, 3), "float32"))
    lamina.utils.plot_model(sub, tmp_path / "sub.png", dpi=40)
    assert _png_size(tmp_path / "sub.png")[0] > 0


def test_plot_model_errors(tmp_path):
    with pytest.raises(ValueError, match="not yet been built"):
        lamina.utils.plot_model(lamina.Sequential([layers.Dense(2)]), tmp_path / "x.png")
    with pytest.raises(ValueError, match="rankdir"):
        lamina.utils.plot_model(_functional(), tmp_path / "x.png", rankdir="BT")
    with pytest.raises(ValueError, match="layer_range"):
        lamina.utils.plot_model(_functional(), tmp_path / "x.png", layer_range=["a", "b"])


def test_model_to_dot_without_pydot_says_so(monkeypatch):
    monkeypatch.setattr(model_visualization, "_pydot", lambda: None)
    with pytest.raises(ImportError, match="needs pydot"):
        lamina.utils.model_to_dot(_functional())
