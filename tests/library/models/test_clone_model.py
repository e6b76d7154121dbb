"""clone_model with input_tensors, call_function and recursive, against Keras 3."""

import numpy as np
import pytest

import lamina


def _functional(lib):
    inputs = lib.Input((4,), name="x")
    shared = lib.layers.Dense(4, name="shared")
    h = shared(inputs)
    h = shared(h)
    inner = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="inner_dense")], name="inner")
    outputs = lib.layers.Dense(2, name="head")(inner(h))
    return lib.Model(inputs, outputs, name="net")


def _add_dropout(lib):
    def call_function(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        if isinstance(layer, lib.layers.Dense):
            out = lib.layers.Dropout(0.5)(out)
        return out

    return call_function


@pytest.mark.parametrize("recursive", [False, True])
def test_call_function_inserts_layers_like_keras(recursive):
    keras = pytest.importorskip("keras")
    ours = lamina.models.clone_model(_functional(lamina), call_function=_add_dropout(lamina),
                                     recursive=recursive)
    theirs = keras.models.clone_model(_functional(keras), call_function=_add_dropout(keras),
                                      recursive=recursive)
    assert [type(l).__name__ for l in ours.layers] == [type(l).__name__ for l in theirs.layers]
    assert ours.count_params() == theirs.count_params()
    # The shared layer is cloned once and still shared.
    assert sum(isinstance(l, lamina.layers.Dense) and l.name == "shared" for l in ours.layers) == 1
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    ours.set_weights([w.numpy() for w in theirs.weights])
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_input_tensors_build_the_clone_on_given_tensors():
    model = _functional(lamina)
    new_input = lamina.Input((4,), name="new_x")
    clone = lamina.models.clone_model(model, input_tensors=[new_input])
    assert clone.inputs[0] is new_input
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    clone.set_weights(model.get_weights())
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)

    seq = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    upstream = lamina.layers.Dense(4)(lamina.Input((5,)))
    seq_clone = lamina.models.clone_model(seq, input_tensors=upstream)
    assert seq_clone.inputs[0] is upstream and seq_clone.output.shape == (None, 2)


def test_clone_model_errors_name_the_problem():
    seq = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    with pytest.raises(ValueError, match="call_function works on functional models only"):
        lamina.models.clone_model(seq, call_function=lambda layer, *a, **k: layer(*a, **k))
    with pytest.raises(ValueError, match="takes one input KerasTensor"):
        lamina.models.clone_model(seq, input_tensors=[lamina.Input((4,)), lamina.Input((4,))])
    with pytest.raises(ValueError, match="has 1 input"):
        lamina.models.clone_model(_functional(lamina), input_tensors=[lamina.Input((4,))] * 2)
    with pytest.raises(ValueError, match="must be KerasTensors"):
        lamina.models.clone_model(_functional(lamina), input_tensors=[np.ones((1, 4))])
