"""What ``compile(loss=..., metrics=...)`` turns into: one loss over all outputs and
one container metric holding every compiled metric.

Example:
    >>> loss = CompileLoss("mse", output_names=["out"])
"""

from lamina import losses as losses_module
from lamina import metrics as metrics_module
from lamina import ops, tree
from lamina.backend.config import floatx
from lamina.losses.loss import Loss
from lamina.metrics.metric import Metric
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def _flat_outputs(y_pred, output_names):
    """Outputs as a list in the order of ``output_names`` (dicts by key)."""
    if isinstance(y_pred, dict):
        return [y_pred[name] for name in output_names], True
    if isinstance(y_pred, (list, tuple)):
        return list(y_pred), False
    return [y_pred], False


def _match(structure, output_names, what, is_dict_output):
    """Spreads a loss/metric spec (single, list or dict) over the outputs."""
    n = len(output_names)
    if isinstance(structure, dict):
        unknown = [k for k in structure if k not in output_names]
        if unknown:
            raise ValueError(
                f"compile: {what} names outputs {unknown} that the model does not have. "
                f"Its outputs are {output_names}."
            )
        return [structure.get(name) for name in output_names]
    if isinstance(structure, (list, tuple)) and what == "loss":
        if len(structure) != n:
            raise ValueError(
                f"compile: received {len(structure)} losses for a model with {n} outputs "
                f"({output_names})."
            )
        return list(structure)
    if what == "loss":
        return [structure] * n
    # metrics: a flat list applies to every output, a list of lists per output.
    if isinstance(structure, (list, tuple)) and structure and all(
            isinstance(s, (list, tuple)) or s is None for s in structure):
        if len(structure) != n:
            raise ValueError(
                f"compile: received {len(structure)} metric lists for a model with {n} outputs."
            )
        return [list(s or []) for s in structure]
    return [list(structure) if isinstance(structure, (list, tuple)) else [structure]] * n


class CompileLoss:
    """The weighted sum of one loss per output.

    Args:
        loss: a loss (object, name, callable), a list with one per output, or a
            dict keyed by output name.
        loss_weights: a float per output (list or dict) or None.
        output_names: the names of the model's outputs.
    """

    def __init__(self, loss, loss_weights=None, output_names=None):
        self.spec = loss
        self.loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self._losses = None
        self._weights = None
        self.metrics = []

    def build(self, y_true, y_pred):
        names = self.output_names
        flat_pred, is_dict = _flat_outputs(y_pred, names) if names else ([y_pred], False)
        if not names or len(names) != len(flat_pred):
            names = [f"output_{i}" for i in range(len(flat_pred))]
            if len(flat_pred) == 1 and self.output_names:
                names = self.output_names[:1]
            self.output_names = names
        specs = _match(self.spec, names, "loss", is_dict)
        self._losses = [_get_loss(s) for s in specs]
        weights = self.loss_weights
        if weights is None:
            self._weights = [1.0] * len(names)
        elif isinstance(weights, dict):
            self._weights = [float(weights.get(name, 1.0)) for name in names]
        elif isinstance(weights, (list, tuple)):
            if len(weights) != len(names):
                raise ValueError(
                    f"compile: received {len(weights)} loss_weights for {len(names)} outputs."
                )
            self._weights = [float(w) for w in weights]
        else:
            self._weights = [float(weights)] * len(names)
        if len(names) > 1:
            self.metrics = [metrics_module.Mean(name=f"{name}_loss") for name in names]
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        flat_pred, _ = _flat_outputs(y_pred, self.output_names)
        flat_true = _flat_targets(y_true, self.output_names, len(flat_pred))
        flat_sw = _flat_weights(sample_weight, self.output_names, len(flat_pred))
        total = None
        for i, (loss_fn, weight, yt, yp, sw) in enumerate(
                zip(self._losses, self._weights, flat_true, flat_pred, flat_sw)):
            if loss_fn is None or yt is None:
                continue
            value = ops.cast(loss_fn(yt, yp, sample_weight=sw), floatx())
            if self.metrics:
                self.metrics[i].update_state(value, sample_weight=_batch_size(yp))
            if weight != 1.0 or self.loss_weights is not None:
                value = value * weight
            total = value if total is None else total + value
        return total


def _batch_size(y):
    first = tree.flatten(y)[0]
    size = first.shape[0]
    return ops.shape(first)[0] if size is None else size


def _flat_targets(y, output_names, n):
    if isinstance(y, dict):
        return [y.get(name) for name in output_names]
    if isinstance(y, (list, tuple)):
        if len(y) != n:
            raise ValueError(
                f"The model has {n} outputs but the targets (y) hold {len(y)} arrays."
            )
        return list(y)
    return [y] * n if n == 1 else _split_error(n)


def _flat_weights(sample_weight, output_names, n):
    if sample_weight is None:
        return [None] * n
    if isinstance(sample_weight, (dict, list, tuple)):
        return _flat_targets(sample_weight, output_names, n)
    return [sample_weight] * n


def _split_error(n):
    raise ValueError(
        f"The model has {n} outputs: pass y as a list or a dict of {n} target arrays."
    )


def _get_loss(spec):
    if spec is None:
        return None
    loss = losses_module.get(spec)
    if isinstance(loss, Loss):
        return loss
    from lamina.losses.losses import LossFunctionWrapper

    return LossFunctionWrapper(loss, name=getattr(loss, "__name__", None))


class CompileMetrics(Metric):
    """A container metric holding the compiled metrics of every output."""

    def __init__(self, metrics, weighted_metrics, output_names=None, name="compile_metrics"):
        super().__init__(name=name)
        self.metrics_spec = metrics
        self.weighted_spec = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._per_output = []
        self._weighted_per_output = []

    @property
    def metrics(self):
        out = []
        for group in self._per_output + self._weighted_per_output:
            out.extend(m for m in group if m is not None)
        return out

    @property
    def variables(self):
        out = []
        for metric in self.metrics:
            out.extend(metric.variables)
        return out

    def build(self, y_true, y_pred):
        names = self.output_names
        flat_pred, is_dict = _flat_outputs(y_pred, names) if names else ([y_pred], False)
        if not names or len(names) != len(flat_pred):
            names = self.output_names = [f"output_{i}" for i in range(len(flat_pred))] \
                if len(flat_pred) > 1 else (self.output_names or ["output"])[:1]
        flat_true = _flat_targets(y_true, names, len(flat_pred))
        multi = len(names) > 1

        def build_group(spec, prefix):
            if spec is None:
                return [[] for _ in names]
            groups = _match(spec, names, "metrics", is_dict)
            out = []
            for name, group, yt, yp in zip(names, groups, flat_true, flat_pred):
                built = []
                for identifier in group:
                    metric = _get_metric(identifier, yt, yp)
                    if metric is None:
                        continue
                    base = prefix + metric.name
                    metric.name = f"{name}_{base}" if multi else base
                    built.append(metric)
                out.append(built)
            return out

        self._per_output = build_group(self.metrics_spec, "")
        self._weighted_per_output = build_group(self.weighted_spec, "weighted_")
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        flat_pred, _ = _flat_outputs(y_pred, self.output_names)
        flat_true = _flat_targets(y_true, self.output_names, len(flat_pred))
        flat_sw = _flat_weights(sample_weight, self.output_names, len(flat_pred))
        for group, yt, yp in zip(self._per_output, flat_true, flat_pred):
            for metric in group:
                metric.update_state(yt, yp)
        for group, yt, yp, sw in zip(self._weighted_per_output, flat_true, flat_pred, flat_sw):
            for metric in group:
                metric.update_state(yt, yp, sample_weight=sw)

    def result(self):
        results = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                results.update(value)
            else:
                results[metric.name] = value
        return results

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()


def _get_metric(identifier, y_true, y_pred):
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        pred_shape, true_shape = tuple(y_pred.shape), tuple(getattr(y_true, "shape", ()))
        if pred_shape[-1:] == (1,) or len(pred_shape) <= 1:
            metric = metrics_module.BinaryAccuracy(name=identifier)
        elif len(pred_shape) == len(true_shape) + 1 or true_shape[-1:] == (1,):
            metric = metrics_module.SparseCategoricalAccuracy(name=identifier)
        else:
            metric = metrics_module.CategoricalAccuracy(name=identifier)
        return metric
    metric = metrics_module.get(identifier)
    if isinstance(metric, Metric):
        if isinstance(identifier, str):
            metric.name = identifier
        return metric
    name = identifier if isinstance(identifier, str) else getattr(metric, "__name__", "metric")
    return MeanMetricWrapper(metric, name=name)
