"""The training engine shared by every backend: compile, fit, evaluate, predict.

Each backend supplies only the steps (``lamina.backend.<name>.trainer``):
a jitted pure function on JAX, a ``tf.function`` on TensorFlow, eager autograd
on PyTorch. Logs stay backend tensors inside the loop; they are converted to
Python numbers only when a callback or the progress bar needs them.

Example:
    >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    >>> history = model.fit(x, y, epochs=5, validation_split=0.2)
    >>> model.evaluate(x_test, y_test, return_dict=True)
"""

import numpy as np

from lamina import ops, tree
from lamina.backend import impl
from lamina.backend.common.variables import Variable
from lamina.backend.config import floatx
from lamina.trainers import data_adapters
from lamina.trainers.compile_utils import CompileLoss, CompileMetrics


class Trainer:
    """The training API of :class:`lamina.Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self.stop_training = False
        self.history = None
        self.steps_per_execution = 1
        self._run_eagerly = False
        self._jit_compile = False
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self._compile_config = None

    # -- compile -------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configures the model for training.

        Args:
            optimizer: an optimizer or its name.
            loss: a loss (object, name or function); a list or dict for several outputs.
            loss_weights: weights of the per-output losses.
            metrics: metrics (objects or names); a list of lists or a dict for several outputs.
            weighted_metrics: metrics that use the sample weights.
            run_eagerly: run the steps without compilation (for debugging).
            steps_per_execution: batches per compiled call (JAX and TensorFlow).
            jit_compile: compile the step (``"auto"``: yes on JAX and TensorFlow,
                no on PyTorch; True on PyTorch uses ``torch.compile``).

        Example:
            >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """
        from lamina import metrics as metrics_module
        from lamina import optimizers

        if isinstance(loss, str) or callable(loss) or loss is None or isinstance(loss, (list, dict, tuple)):
            pass
        else:
            raise ValueError(f"compile: could not interpret loss {loss!r}.")
        # A second compile replaces the loss tracker and compiled metrics: forget the old
        # ones (attribute tracking recorded them as the model's metrics).
        previous = {id(m) for m in (self._loss_tracker, self._compile_metrics, self._compile_loss)
                    if m is not None}
        tracked = self.__dict__.get("_tracked_metrics")
        if previous and tracked:
            tracked[:] = [m for m in tracked if id(m) not in previous]
        self.optimizer = optimizers.get(optimizer) if optimizer is not None else None
        if loss is not None:
            _check_loss_names(loss)
        self.loss = loss
        output_names = getattr(self, "output_names", None)
        self._compile_loss = CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        self._compile_metrics = None
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = CompileMetrics(metrics, weighted_metrics, output_names)
        self._loss_tracker = metrics_module.Mean(name="loss")
        if not isinstance(steps_per_execution, int) or steps_per_execution < 1:
            raise ValueError(
                f"compile: steps_per_execution must be a positive int, received {steps_per_execution!r}."
            )
        self.steps_per_execution = steps_per_execution
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = impl.trainer.resolve_jit_compile(self, jit_compile)
        self.train_function = self.test_function = self.predict_function = None
        self.stop_training = False
        self.compiled = True
        self._compile_config = {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights, "metrics": metrics,
            "weighted_metrics": weighted_metrics, "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution, "jit_compile": jit_compile,
        }

    def get_compile_config(self):
        """The arguments ``compile`` was called with, serialized (None before compile).

        Example:
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> model.get_compile_config()["loss"]
            'mse'
        """
        if not self.compiled or self._compile_config is None:
            return None
        from lamina.saving.serialization import serialize_keras_object

        config = dict(self._compile_config)
        config["optimizer"] = serialize_keras_object(self.optimizer)
        for key in ("loss", "metrics", "weighted_metrics"):
            config[key] = serialize_keras_object(config[key])
        return config

    def compile_from_config(self, config):
        """Compiles the model from :meth:`get_compile_config`'s output.

        Example:
            >>> clone.compile_from_config(model.get_compile_config())
        """
        from lamina.saving.serialization import deserialize_keras_object

        config = dict(config)
        for key in ("optimizer", "loss", "metrics", "weighted_metrics"):
            value = config.get(key)
            if isinstance(value, dict) and "class_name" in value:
                config[key] = deserialize_keras_object(value)
        self.compile(**config)

    @property
    def run_eagerly(self):
        """Whether the steps run without compilation (set it to debug; takes effect at once)."""
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        self.train_function = self.test_function = self.predict_function = None

    @property
    def jit_compile(self):
        """Whether the steps are compiled (XLA on JAX/TensorFlow, ``torch.compile`` on torch)."""
        return self._jit_compile

    @jit_compile.setter
    def jit_compile(self, value):
        self._jit_compile = impl.trainer.resolve_jit_compile(self, value)
        self.train_function = self.test_function = self.predict_function = None

    # -- metrics ---------------------------------------------------------------------
    @property
    def metrics(self):
        """The loss tracker, the compiled metrics, then metrics tracked by layers."""
        out = []
        if self.compiled:
            if self._loss_tracker is not None:
                out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            if self._compile_loss is not None:
                out.extend(self._compile_loss.metrics)
        from lamina.layers.layer import Layer

        if isinstance(self, Layer):
            out.extend(m for m in Layer.metrics.fget(self) if m not in out)
        return out

    @property
    def metrics_names(self):
        """The names of ``metrics``, in the order ``evaluate`` returns their values.

        Example:
            >>> model.metrics_names  # after compile(loss="mse", metrics=["mae"]) and one fit
            ['loss', 'compile_metrics']
        """
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self):
        """The state variables of every metric in ``metrics`` (loss tracker included).

        Example:
            >>> len(model.metrics_variables)  # e.g. total and count of the loss tracker, ...
        """
        out = []
        for metric in self.metrics:
            out.extend(metric.variables)
        return out

    def reset_metrics(self):
        """Resets the state of every metric.

        Example:
            >>> model.reset_metrics()
            >>> model.get_metrics_result()["loss"]  # 0.0 until the next batch
        """
        for metric in self.metrics:
            metric.reset_state()

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus the model's added and regularization losses.

        Override it to customise the loss while keeping ``fit``.

        Example:
            >>> loss = model.compute_loss(x, y, model(x), training=False)
        """
        losses = []
        if self._compile_loss is not None:
            value = self._compile_loss(y, y_pred, sample_weight)
            if value is not None:
                losses.append(value)
        for extra in self.losses:
            if not _is_float(extra):
                extra = ops.cast(extra, floatx())
            losses.append(ops.sum(extra))
        if not losses:
            raise ValueError(
                "No loss to compute. Provide a `loss` argument in `compile()`, or add losses "
                "with add_loss()."
            )
        total = losses[0]
        for value in losses[1:]:
            total = total + ops.cast(value, total.dtype)
        return total

    def stateless_compute_loss(self, trainable_variables, non_trainable_variables,
                               metrics_variables, x=None, y=None, y_pred=None, sample_weight=None,
                               training=True):
        """``compute_loss`` with the given variable values; returns ``(loss, variables)``.

        Example:
            >>> loss, variables = model.stateless_compute_loss(
            ...     trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y, y_pred=y_pred)
        """
        from lamina.backend.common.scopes import StatelessScope

        mapping = list(zip(self.trainable_variables, trainable_variables)) + \
            list(zip(self.non_trainable_variables, non_trainable_variables)) + \
            list(zip(self.metrics_variables, metrics_variables))
        with StatelessScope(state_mapping=mapping) as scope:
            loss = self.compute_loss(x, y, y_pred, sample_weight, training)
        new = []
        for group, values in ((self.trainable_variables, trainable_variables),
                              (self.non_trainable_variables, non_trainable_variables),
                              (self.metrics_variables, metrics_variables)):
            new.append([scope.get_current_value(v, old) for v, old in zip(group, values)])
        return loss, tuple(new)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics and returns all metric results as a dict.

        Example:
            >>> class MyModel(lamina.Model):
            ...     def test_step(self, data):
            ...         x, y = data
            ...         y_pred = self(x, training=False)
            ...         self.compute_loss(x, y, y_pred)
            ...         return self.compute_metrics(x, y, y_pred)
        """
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """The current result of every metric, flattened into one dict.

        Example:
            >>> sorted(model.get_metrics_result())  # after compile(loss="mse", metrics=["mae"]) and evaluate
            ['loss', 'mae']
        """
        logs = {}
        for metric in self.metrics:
            # A result() may return a Variable (the Keras guide's custom metric does): its
            # value is what a compiled step can return.
            result = tree.map_structure(_variable_value, metric.result())
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return logs

    # -- steps (per backend) ------------------------------------------------------------
    def train_step(self, *args, **kwargs):
        """One training step on a batch; override to customise ``fit``."""
        return impl.trainer.train_step(self, *args, **kwargs)

    def test_step(self, *args, **kwargs):
        """One evaluation step on a batch; override to customise ``evaluate``.

        Example:
            >>> class MyModel(lamina.Model):
            ...     def test_step(self, data):
            ...         x, y = data
            ...         y_pred = self(x, training=False)
            ...         self.compute_loss(x, y, y_pred)
            ...         return self.compute_metrics(x, y, y_pred)
        """
        return impl.trainer.test_step(self, *args, **kwargs)

    def predict_step(self, *args, **kwargs):
        """One prediction step on a batch; override to customise ``predict``.

        Example:
            >>> class MyModel(lamina.Model):
            ...     def predict_step(self, data):
            ...         return lamina.ops.argmax(self(data, training=False), axis=-1)
        """
        return impl.trainer.predict_step(self, *args, **kwargs)

    def make_train_function(self, force=False):
        """Returns (and caches) the backend's training step function; ``force=True`` rebuilds it.

        Example:
            >>> step = model.make_train_function()
        """
        if self.train_function is None or force:
            self.train_function = impl.trainer.make_step_function(self, "train")
        return self.train_function

    def make_test_function(self, force=False):
        """Returns (and caches) the backend's evaluation step function; ``force=True`` rebuilds it.

        Example:
            >>> step = model.make_test_function()
        """
        if self.test_function is None or force:
            self.test_function = impl.trainer.make_step_function(self, "test")
        return self.test_function

    def make_predict_function(self, force=False):
        """Returns (and caches) the backend's prediction step function; ``force=True`` rebuilds it.

        Example:
            >>> step = model.make_predict_function()
        """
        if self.predict_function is None or force:
            self.predict_function = impl.trainer.make_step_function(self, "predict")
        return self.predict_function

    def _sync_state(self):
        """Writes state held by a compiled step (JAX) back into the variables."""
        for fn in (self.train_function, self.test_function, self.predict_function):
            sync = getattr(fn, "sync", None)
            if sync is not None:
                sync()

    # -- building before the first step --------------------------------------------------
    def _symbolic_build(self, batch):
        """Builds the model, the compiled loss and metrics and the optimizer from a batch."""
        from lamina.backend.common.scopes import StatelessScope

        x, y, _ = data_adapters.unpack_x_y_sample_weight(batch)
        # These calls only build: in a stateless scope, the state updates of layers that change
        # state in inference (stateful RNNs, counters) are discarded, as Keras's symbolic build does
        # (_build_on has its own scope).
        if not self.built:
            self._build_on(x)
        needs_outputs = (self._compile_loss is not None and not self._compile_loss.built) or (
            self._compile_metrics is not None and not self._compile_metrics.built)
        if needs_outputs and y is not None:
            with StatelessScope():
                y_pred = self(_to_tensors(x), training=False)
            if self._compile_loss is not None and not self._compile_loss.built:
                self._compile_loss.build(y, y_pred)
            if self._compile_metrics is not None and not self._compile_metrics.built:
                self._compile_metrics.build(y, y_pred)
                # One throw-away update creates the state of metrics that build it lazily
                # (R2Score...), so compiled steps never create variables.
                with StatelessScope():
                    self._compile_metrics.update_state(y, y_pred)
            self._clear_losses()
        if self.optimizer is not None and not self.optimizer.built:
            self.optimizer.build(self.trainable_variables)

    def _build_on(self, x):
        from lamina.backend.common.scopes import StatelessScope

        with StatelessScope():  # builds; the state updates of this run are discarded
            self(_to_tensors(x), training=False)
        self._clear_losses()

    # -- fit / evaluate / predict -----------------------------------------------------------
    def _assert_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(
                f"You must call compile() before {what}(): the model {self.name!r} has no "
                "optimizer or loss yet."
            )

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Trains the model for ``epochs`` passes over the data.

        Returns:
            A :class:`lamina.callbacks.History` whose ``history`` dict holds the
            per-epoch losses and metrics (``val_`` prefixed for validation).

        Example:
            >>> history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2)
            >>> history.history["val_loss"]
        """
        from lamina.callbacks.callback_list import CallbackList

        from lamina.backend import config

        self._assert_compiled("fit")
        if x is None:
            raise ValueError("fit: x is required.")
        if config.max_epochs() is not None:
            epochs = min(epochs, config.max_epochs())
        if config.max_steps_per_epoch() is not None:
            steps_per_epoch = min(steps_per_epoch or config.max_steps_per_epoch(),
                                  config.max_steps_per_epoch())
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_validation(
                x, y, sample_weight, validation_split)
        adapter = data_adapters.get_data_adapter(x, y, sample_weight, batch_size, steps_per_epoch,
                                                 shuffle, class_weight)
        val_adapter = None
        if validation_data is not None:
            vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(validation_data) \
                if isinstance(validation_data, (tuple, list)) else (validation_data, None, None)
            val_adapter = data_adapters.get_data_adapter(vx, vy, vsw, validation_batch_size or batch_size,
                                                         validation_steps, False)
        verbose = _verbose(verbose)
        callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                 verbose=verbose, epochs=epochs, steps=adapter.num_batches)
        self.stop_training = False
        train_function = self.make_train_function()
        self._initial_epoch = None
        callbacks.on_train_begin()
        # A callback (BackupAndRestore) may resume from a later epoch, and loading weights
        # there drops the step functions: fetch the current one.
        initial_epoch = self._initial_epoch or initial_epoch
        train_function = self.make_train_function()
        logs = {}
        first = True
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            step = -1
            for step, batch in enumerate(_execution_groups(adapter.batches(), self.steps_per_execution)):
                if first:
                    self._symbolic_build(batch[0])
                    first = False
                callbacks.on_train_batch_begin(step)
                logs = train_function(batch)
                callbacks.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            if step < 0:
                raise ValueError(
                    "fit: the training data produced no batch. Check that x is not empty and that "
                    "a generator yields data."
                )
            self._sync_state()
            epoch_logs = _to_python(self._epoch_logs(logs))
            if val_adapter is not None and _should_validate(epoch, validation_freq):
                val_logs = self._evaluate_adapter(val_adapter, callbacks=callbacks)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if self.optimizer is not None and epochs > initial_epoch:
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(epoch_logs if epochs > initial_epoch else {})
        return self.history

    def _epoch_logs(self, last_step_logs):
        """The metric results at the end of the epoch (all batches)."""
        logs = self.get_metrics_result()
        return logs if logs else last_step_logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Computes the loss and metrics on data.

        Returns:
            The loss (a float) when there are no metrics, else a list of loss and
            metrics, or a dict with ``return_dict=True``.

        Example:
            >>> loss, acc = model.evaluate(x_test, y_test)
        """
        from lamina.callbacks.callback_list import CallbackList

        self._assert_compiled("evaluate")
        if kwargs:
            raise TypeError(f"evaluate got unexpected arguments {sorted(kwargs)}.")
        adapter = data_adapters.get_data_adapter(x, y, sample_weight, batch_size, steps, False)
        verbose = _verbose(verbose)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                                 epochs=1, steps=adapter.num_batches, mode="test")
        logs = self._evaluate_adapter(adapter, callbacks)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def _evaluate_adapter(self, adapter, callbacks):
        test_function = self.make_test_function()
        self.reset_metrics()
        if callbacks is not None:
            callbacks.on_test_begin()
        logs = {}
        first = True
        for step, batch in enumerate(_execution_groups(adapter.batches(), self.steps_per_execution)):
            if first and not self.built or first and self._needs_build(batch[0]):
                self._symbolic_build(batch[0])
            first = False
            if callbacks is not None:
                callbacks.on_test_batch_begin(step)
            logs = test_function(batch)
            if callbacks is not None:
                callbacks.on_test_batch_end(step, logs)
        test_function_sync = getattr(test_function, "sync", None)
        if test_function_sync is not None:
            test_function_sync()
        logs = _to_python(self._epoch_logs(logs))
        if callbacks is not None:
            callbacks.on_test_end(logs)
        return logs

    def _needs_build(self, batch):
        return (self._compile_loss is not None and not self._compile_loss.built) or (
            self._compile_metrics is not None and not self._compile_metrics.built)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs on ``x`` as NumPy arrays.

        Example:
            >>> probabilities = model.predict(x_test, batch_size=256)
        """
        from lamina.callbacks.callback_list import CallbackList

        adapter = data_adapters.get_data_adapter(x, None, None, batch_size, steps, False)
        verbose = _verbose(verbose)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                                 epochs=1, steps=adapter.num_batches, mode="predict")
        predict_function = self.make_predict_function()
        callbacks.on_predict_begin()
        outputs = []
        for step, batch in enumerate(_execution_groups(adapter.batches(), self.steps_per_execution)):
            if not self.built:
                self._build_on(data_adapters.unpack_x_y_sample_weight(batch[0])[0])
            callbacks.on_predict_batch_begin(step)
            batch_outputs = predict_function(batch)
            outputs.append(batch_outputs)
            callbacks.on_predict_batch_end(step, {"outputs": batch_outputs})
        sync = getattr(predict_function, "sync", None)
        if sync is not None:
            sync()
        callbacks.on_predict_end()
        if not outputs:
            raise ValueError("predict: the input data produced no batch.")
        flat = [tree.flatten(o) for o in outputs]
        merged = [np.concatenate([impl.core.convert_to_numpy(b[i]) for b in flat], axis=0)
                  for i in range(len(flat[0]))]
        return tree.pack_sequence_as(outputs[0], merged)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step on one batch and returns the metrics.

        Example:
            >>> loss = model.train_on_batch(x_batch, y_batch)
        """
        self._assert_compiled("train_on_batch")
        if class_weight is not None:
            weights = data_adapters.class_weights_to_sample_weights(np.asarray(y), class_weight)
            sample_weight = weights if sample_weight is None else np.asarray(sample_weight) * weights
        batch = data_adapters.pack_x_y_sample_weight(x, y, sample_weight)
        batch = batch if isinstance(batch, tuple) else (batch,)
        self._symbolic_build(batch)
        self.reset_metrics()
        logs = self.make_train_function()([batch])
        self._sync_state()
        return _single_or_list(_to_python(logs), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Runs one evaluation step on one batch and returns the metrics.

        Example:
            >>> model.test_on_batch(x, y, return_dict=True)  # after compile(loss="mse", metrics=["mae"])
            {'loss': 0.132, 'mae': 0.363}
        """
        self._assert_compiled("test_on_batch")
        batch = data_adapters.pack_x_y_sample_weight(x, y, sample_weight)
        batch = batch if isinstance(batch, tuple) else (batch,)
        self._symbolic_build(batch)
        self.reset_metrics()
        function = self.make_test_function()
        logs = function([batch])
        sync = getattr(function, "sync", None)
        if sync is not None:
            sync()
        return _single_or_list(_to_python(logs), return_dict)

    def predict_on_batch(self, x):
        """The model's outputs on one batch, as NumPy arrays.

        Example:
            >>> model.predict_on_batch(np.ones((4, 3))).shape  # a model with 2 outputs per sample
            (4, 2)
        """
        if not self.built:
            self._build_on(x)
        function = self.make_predict_function()
        outputs = function([(x,)])
        sync = getattr(function, "sync", None)
        if sync is not None:
            sync()
        return tree.map_structure(impl.core.convert_to_numpy, outputs)

    # -- torch-style helpers used by the Keras guides -----------------------------------------
    def zero_grad(self):
        """Clears the gradients held by the variables (PyTorch backend)."""
        impl.trainer.zero_grad(self)

    def parameters(self, recurse=True):
        """The variables' backend tensors, for a native optimizer (PyTorch backend)."""
        return impl.trainer.parameters(self)


def _check_loss_names(loss):
    from lamina import losses

    for leaf in tree.flatten(loss):
        if isinstance(leaf, str):
            losses.get(leaf)


def _is_float(x):
    from lamina.backend.common import dtypes

    return dtypes.is_float_dtype(getattr(x, "dtype", "float32"))



def _to_tensors(x):
    return tree.map_structure(lambda a: a if a is None or ops.is_tensor(a) else ops.convert_to_tensor(a), x)


def _execution_groups(batches, size):
    group = []
    for batch in batches:
        group.append(batch)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def _should_validate(epoch, freq):
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return (epoch + 1) in freq


def _verbose(verbose):
    from lamina.backend import config

    if not config.is_interactive_logging_enabled():
        return 0
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 'auto', 0, 1 or 2, received {verbose!r}.")
    return verbose


def _variable_value(x):
    return x.value if isinstance(x, Variable) else x


def _to_python(logs):
    out = {}
    for key, value in (logs or {}).items():
        try:
            array = impl.core.convert_to_numpy(value)
            out[key] = float(array) if np.ndim(array) == 0 else array
        except (TypeError, ValueError):
            out[key] = value
    return out


def _single_or_list(logs, return_dict):
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
