"""Reference ResidualDense of lab 4 (the solution: never released to learners).

The grader imports it in the grading sandbox in place of a learner's
``custom_layers.py`` when theirs cannot load their own saved model (see
``substitute`` in grading.toml): the learner's trained weights are then measured
with the reference computation. The part after the marker below is, verbatim,
the body of the notebook's ``%%writefile custom_layers.py`` cell.
"""
# -- module body --
import lamina as keras


@keras.saving.register_keras_serializable(package="lab04")
class ResidualDense(keras.layers.Layer):
    """``inputs + relu(inputs @ kernel + bias)``, with dropout on the correction in training.

    Args:
        units: number of features of the inputs and of the outputs.
        dropout: fraction of the correction dropped during training, in [0, 1).
        seed: seed of the dropout's random numbers.
    """

    def __init__(self, units, dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        ### BEGIN SOLUTION
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"ResidualDense: units should be a positive integer, received {units!r}")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"ResidualDense: dropout should be in [0, 1), received {dropout!r}")
        self.units = units
        self.dropout = float(dropout)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        ### END SOLUTION

    def build(self, input_shape):
        ### BEGIN SOLUTION
        if input_shape[-1] != self.units:
            raise ValueError(f"ResidualDense {self.name!r}: inputs should have {self.units} features "
                             f"(the layer's units), received shape {tuple(input_shape)}")
        self.kernel = self.add_weight(name="kernel", shape=(self.units, self.units),
                                      initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros")
        ### END SOLUTION

    def call(self, inputs, training=False):
        ### BEGIN SOLUTION
        h = keras.ops.relu(keras.ops.matmul(inputs, self.kernel) + self.bias)
        if training and self.dropout > 0:
            h = keras.random.dropout(h, self.dropout, seed=self.seed_generator)
        return inputs + h
        ### END SOLUTION

    def get_config(self):
        config = super().get_config()
        ### BEGIN SOLUTION
        config.update(units=self.units, dropout=self.dropout, seed=self.seed)
        ### END SOLUTION
        return config
