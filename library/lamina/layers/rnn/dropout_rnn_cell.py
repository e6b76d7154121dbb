"""DropoutRNNCell: the dropout masks an RNN cell reuses for every timestep of a call."""

from lamina import ops, random


class DropoutRNNCell:
    """Mixin for RNN cells with ``dropout`` / ``recurrent_dropout`` rates and a
    ``seed_generator``: masks are drawn once per call of the RNN layer (which
    creates them before its loop and clears them after), so every timestep
    drops the same units, as in Keras.

    A cell with ``dropout_mask_count = n`` gets a list of ``n`` masks (one per gate).

    Example:
        >>> cell = lamina.layers.LSTMCell(4, dropout=0.5)
        >>> mask = cell.get_dropout_mask(np.ones((2, 3), "float32"))  # 0s and 2s
    """

    def _create_dropout_mask(self, step_input, rate):
        ones = ops.ones_like(step_input)
        count = getattr(self, "dropout_mask_count", None)
        if count is None:
            return random.dropout(ones, rate=rate, seed=self.seed_generator)
        return [random.dropout(ones, rate=rate, seed=self.seed_generator) for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The cached input dropout mask, drawn now if there is none (None when ``dropout`` is 0)."""
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        """The cached recurrent dropout mask (None when ``recurrent_dropout`` is 0)."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input,
                                                                     self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        """Forgets the input mask (the RNN layer calls it after each call)."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        """Forgets the recurrent mask."""
        self._recurrent_dropout_mask = None
