"""TextVectorization: raw strings to token indices or bag-of-words vectors."""

import re

import numpy as np

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.config import floatx
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.host_data import to_numpy_tokens
from lamina.layers.preprocessing.string_lookup import StringLookup
from lamina.saving.object_registry import keras_export

_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")


@keras_export("keras.layers")
class TextVectorization(Layer):
    """Standardizes, splits and (optionally) n-grams text, then looks tokens up in a vocabulary.

    Runs on the host on every backend, like Keras 3 (which uses TensorFlow's string ops even
    on jax or torch): inputs are lists of ``str``, NumPy string/object arrays or ``tf.string``
    tensors of shape ``(batch,)`` or ``(batch, 1)``; outputs are backend tensors. Lowercasing is
    ASCII-only and punctuation is Keras's set, so tokens equal Keras's. A callable
    ``standardize`` or ``split`` receives NumPy object arrays of ``str`` (``split`` returns a
    list of token lists). Not usable inside a compiled step: vectorize in the data pipeline.

    Args:
        max_tokens: the largest vocabulary (mask and OOV included).
        standardize: ``None``, ``"lower_and_strip_punctuation"``, ``"lower"``,
            ``"strip_punctuation"`` or a callable.
        split: ``None``, ``"whitespace"``, ``"character"`` or a callable.
        ngrams: ``None``, an int ``n`` (1..n-grams) or a tuple of widths.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        output_sequence_length: pad or cut ``"int"`` outputs to this length.
        pad_to_max_tokens: make bag-of-words outputs ``max_tokens`` wide.
        vocabulary: a list of tokens or a file path.
        idf_weights: IDF weights with a given vocabulary in ``"tf_idf"`` mode.
        sparse: accepted for Keras compatibility (dense outputs).
        ragged: not supported (outputs are dense, padded with 0).
        encoding: the encoding of bytes inputs.
        name: the layer name.

    Example:
        >>> layer = lamina.layers.TextVectorization(output_sequence_length=4)
        >>> layer.adapt(["the cat sat", "the dog"])
        >>> layer(["The cat!"])
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace",
                 ngrams=None, output_mode="int", output_sequence_length=None, pad_to_max_tokens=False,
                 vocabulary=None, idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        if ragged:
            raise ValueError("TextVectorization: ragged=True needs TensorFlow ragged tensors, which lamina "
                             "does not produce; outputs are padded with 0.")
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(f"TextVectorization: `standardize` must be None, a callable or one of "
                             f"{_STANDARDIZE}. Received: standardize={standardize!r}")
        if not (split is None or callable(split) or split in ("whitespace", "character")):
            raise ValueError(f"TextVectorization: `split` must be None, a callable, 'whitespace' or "
                             f"'character'. Received: split={split!r}")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in ("int", "one_hot", "multi_hot", "count", "tf_idf"):
            raise ValueError(f"TextVectorization: unknown output_mode {output_mode!r}.")
        if not (ngrams is None or isinstance(ngrams, int) or
                isinstance(ngrams, tuple) and all(isinstance(i, int) for i in ngrams)):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: "
                             f"ngrams={ngrams}")
        if output_mode == "int" and not (output_sequence_length is None or
                                         isinstance(output_sequence_length, int)):
            raise ValueError(f"`output_sequence_length` must be None or an int. Received: "
                             f"{output_sequence_length!r}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(f'`output_sequence_length` is only used with output_mode="int". Received: '
                             f"output_mode={output_mode!r}")
        has_vocab = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize, self._split, self._ngrams_arg = standardize, split, ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode, self._output_sequence_length = output_mode, output_sequence_length
        self._encoding, self._ragged = encoding, ragged
        self._lookup_layer = StringLookup(max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
                                          pad_to_max_tokens=pad_to_max_tokens, mask_token="",
                                          output_mode=output_mode, sparse=sparse, has_input_vocabulary=has_vocab,
                                          encoding=encoding)
        self.built = True

    # -- text processing ------------------------------------------------------------------------
    def _standardized(self, texts):
        if callable(self._standardize):
            return to_numpy_tokens(self._standardize(texts))
        out = np.empty(texts.shape, dtype=object)
        for i, text in enumerate(texts.ravel()):
            if self._standardize in ("lower", "lower_and_strip_punctuation"):
                text = text.translate(_ASCII_LOWER)
            if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
                text = _PUNCTUATION.sub("", text)
            out.ravel()[i] = text
        return out

    def _tokens(self, inputs):
        """A list (one per sample) of token lists, or a 2-D array of whole strings (split=None)."""
        texts = to_numpy_tokens(inputs)
        if texts.dtype != object:
            raise TypeError(f"TextVectorization expected strings, received an array of dtype {texts.dtype}.")
        if texts.ndim == 0:
            texts = texts.reshape(1)
        texts = self._standardized(texts)
        if self._split is None:
            return texts.reshape(len(texts), -1) if texts.ndim > 1 else texts.reshape(-1, 1)
        if texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError("When using TextVectorization to tokenize strings, the input rank must be 1 or "
                                 f"the last shape dimension must be 1. Received: inputs.shape={texts.shape}")
            texts = texts[..., 0]
        if callable(self._split):
            rows = [list(r) for r in self._split(texts)]
        elif self._split == "whitespace":
            rows = [[t for t in _WHITESPACE.split(text) if t] for text in texts]
        else:
            rows = [list(text) for text in texts]
        if self._ngrams is not None:
            rows = [[" ".join(row[i:i + n]) for n in self._ngrams for i in range(len(row) - n + 1)]
                    for row in rows]
        return rows

    # -- vocabulary -------------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Builds the vocabulary from texts (an array, a list, a tf.data.Dataset or batches)."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, str)) or ops.is_tensor(data) or \
                type(data).__module__.startswith("tensorflow.python.framework"):
            self.update_state(data)
        else:
            iterable = data.as_numpy_iterator() if hasattr(data, "as_numpy_iterator") else data
            for i, batch in enumerate(iterable):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch[0] if isinstance(batch, tuple) else batch)
        self.finalize_state()

    def update_state(self, data):
        rows = self._tokens(data)
        if isinstance(rows, np.ndarray):
            rows = rows.tolist()
        width = max((len(r) for r in rows), default=0)
        padded = np.array([list(r) + [""] * (width - len(r)) for r in rows], dtype=object).reshape(len(rows), width)
        self._lookup_layer.update_state(padded[:, :] if width else np.zeros((0, 0), dtype=object))

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary, ``""`` (mask) and ``"[UNK]"`` first."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- calling ----------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, KerasTensor):
            return super().__call__(inputs, *args, **kwargs)
        return self.call(inputs)

    def call(self, inputs):
        if self._split is None:  # whole strings are the tokens: keep the input's shape
            texts = to_numpy_tokens(inputs)
            texts = self._standardized(texts.reshape(1) if texts.ndim == 0 else texts)
            if self._output_mode != "int" and texts.ndim == 1:
                texts = texts.reshape(-1, 1)
            return self._lookup_layer.call(texts)
        rows = self._tokens(inputs)
        length = self._output_sequence_length
        width = max((len(r) for r in rows), default=0)
        if self._output_mode == "int":
            width = length if length is not None else width
        padded = np.empty((len(rows), width), dtype=object)
        padded[:] = ""
        for i, row in enumerate(rows):
            row = row[:width]
            padded[i, :len(row)] = row
        return self._lookup_layer.call(padded)

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        depth = self._lookup_layer.max_tokens if self._lookup_layer.pad_to_max_tokens else \
            self._lookup_layer.vocabulary_size()
        return (input_shape[0], depth)

    def compute_output_spec(self, inputs):
        dtype = "int64" if self._output_mode == "int" else floatx()
        if self._output_mode in ("multi_hot", "count", "one_hot"):
            dtype = "int64"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self):
        def plain(v):
            return v.tolist() if isinstance(v, np.ndarray) else v

        return {**super().get_config(), "max_tokens": self._lookup_layer.max_tokens,
                "standardize": self._standardize, "split": self._split, "ngrams": self._ngrams_arg,
                "output_mode": self._output_mode, "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": self._lookup_layer.pad_to_max_tokens, "sparse": self._lookup_layer.sparse,
                "ragged": self._ragged, "vocabulary": plain(self._lookup_layer.input_vocabulary),
                "idf_weights": plain(self._lookup_layer.input_idf_weights), "encoding": self._encoding,
                "vocabulary_size": self.vocabulary_size()}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
