"""NumPy backend: inference only (evaluate and predict run, training does not)."""

from lamina.trainers.data_adapters import unpack_x_y_sample_weight


def resolve_jit_compile(model, jit_compile):
    return False


def train_step(model, data):
    raise RuntimeError(
        "The numpy backend runs inference only: fit() and train_on_batch() need the jax, torch "
        "or tensorflow backend (set LAMINA_BACKEND)."
    )


def test_step(model, data):
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    kwargs = {"training": False} if model._call_info["training"] else {}
    y_pred = model(x, **kwargs)
    loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
    model._loss_tracker.update_state(loss, sample_weight=len(next(iter_leaves(x))))
    return model.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


def iter_leaves(x):
    from lamina import tree

    return (a for a in tree.flatten(x) if a is not None)


def predict_step(model, data):
    x, _, _ = unpack_x_y_sample_weight(data)
    kwargs = {"training": False} if model._call_info["training"] else {}
    return model(x, **kwargs)


def make_step_function(model, mode):
    step = {"train": model.train_step, "test": model.test_step, "predict": model.predict_step}[mode]

    def run(batches):
        out = None
        for data in batches:
            out = step(data)
        return out

    return run


def zero_grad(model):
    raise AttributeError("zero_grad() exists on the PyTorch backend only.")


def parameters(model):
    raise AttributeError("parameters() exists on the PyTorch backend only.")
