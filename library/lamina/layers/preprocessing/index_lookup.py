"""IndexLookup: the shared machinery of StringLookup and IntegerLookup (host-side NumPy tables).

Index layout (as in Keras 3): ``[mask (output_mode="int" with a mask_token), OOV indices...,
vocabulary...]``. ``adapt`` counts tokens and keeps the most frequent ones (ties broken by the
larger token first, as Keras does).

Example:
    >>> layer = lamina.layers.StringLookup(vocabulary=["a", "b"])
    >>> layer.get_vocabulary()
    ['[UNK]', 'a', 'b']
"""

import collections
import math

import numpy as np

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.config import floatx
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.encoding import encode_categorical, encoded_shape
from lamina.layers.preprocessing.host_data import tensorflow_strings, to_numpy_tokens

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(Layer):
    """Maps tokens to indices (or back with ``invert``); see StringLookup and IntegerLookup."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", name=None, salt=None, **kwargs):
        kwargs.pop("vocabulary_size", None)
        has_vocab = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"{type(self).__name__}: unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError("If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=None")
        if num_oov_indices < 0:
            raise ValueError(f"`num_oov_indices` must be >= 0. Received: num_oov_indices={num_oov_indices}")
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in _MODES:
            raise ValueError(f"{type(self).__name__}: unknown output_mode {output_mode!r}; expected one of "
                             f"{_MODES}.")
        if invert and output_mode != "int":
            raise ValueError(f"`output_mode` must be 'int' when `invert` is True. Received: "
                             f"output_mode={output_mode}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"`oov_method` must be 'floormod' or 'farmhash'. Received: {oov_method!r}")
        self.max_tokens, self.num_oov_indices = max_tokens, num_oov_indices
        self.mask_token, self.oov_token = mask_token, oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert, self.output_mode, self.sparse = invert, output_mode, sparse
        self.pad_to_max_tokens, self.oov_method, self.salt = pad_to_max_tokens, oov_method, salt
        self.input_vocabulary = vocabulary
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_vocab
        self._tokens = []
        self._index = {}
        self.idf_weights = None
        self._counts = collections.Counter()
        self._doc_counts = collections.Counter()
        self._num_documents = 0
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                             "`idf_weights` argument must also be provided.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.built = True

    # -- index layout -------------------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The number of indices (special ones included)."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The tokens in index order (special tokens first unless ``include_special_tokens=False``)."""
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        vocab = list(self._tokens)
        return (special + vocab) if include_special_tokens else vocab

    def _convert_token(self, token):
        if isinstance(token, bytes):
            token = token.decode("utf-8")
        if self.vocabulary_dtype == "string":
            return str(token)
        return int(token)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list, an array or a text file with one token per line)."""
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(f"`idf_weights` should only be set if output_mode is 'tf_idf'. Received: "
                             f"output_mode={self.output_mode} and idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            try:
                with open(vocabulary, encoding="utf-8") as f:
                    vocabulary = f.read().splitlines()
            except OSError as error:
                raise ValueError(f"Vocabulary file {vocabulary} does not exist or cannot be read.") from error
            while vocabulary and vocabulary[-1] == "":
                vocabulary.pop()
        vocab = [self._convert_token(t) for t in np.asarray(to_numpy_tokens(vocabulary)).ravel()]
        if not vocab:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        tokens = vocab[start:] if vocab[:start] == special else vocab
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(f"The passed vocabulary has at least one repeated term. Please uniquify your "
                             f"dataset. The repeated terms are: {repeated}")
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(f"Found reserved mask token {self.mask_token!r} at an unexpected location in "
                             f"`vocabulary`. Either remove all mask and OOV tokens, or include them only at the "
                             f"start of the vocabulary in precisely this order: {special}.")
        if self.oov_token is not None and self.invert and self.oov_token in tokens:
            raise ValueError(f"Found reserved OOV token {self.oov_token!r} at an unexpected location in "
                             f"`vocabulary`; include it only at the start, in this order: {special}.")
        if self.max_tokens is not None and start + len(tokens) > self.max_tokens:
            raise ValueError(f"Attempted to set a vocabulary larger than the maximum vocab size. Received "
                             f"vocabulary size is {start + len(tokens)}; `max_tokens` is {self.max_tokens}.")
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            weights = np.asarray(idf_weights, dtype=floatx())
            if len(weights) != len(vocab):
                raise ValueError(f"`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                                 f"{len(weights)}; len(vocabulary) is {len(vocab)}")
            if len(vocab) == len(tokens):  # special tokens absent: pad their weights with the mean
                weights = np.concatenate([np.full(start, weights.mean(), dtype=weights.dtype), weights])
            self.idf_weights = self._pad_weights(weights)

    def _set_tokens(self, tokens):
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._index = {t: i + start for i, t in enumerate(self._tokens)}

    def _pad_weights(self, weights):
        if self.pad_to_max_tokens and self.max_tokens is not None and len(weights) < self.max_tokens:
            weights = np.concatenate([weights, np.zeros(self.max_tokens - len(weights), weights.dtype)])
        return weights

    # -- adapt ----------------------------------------------------------------------------------
    def adapt(self, data, steps=None):
        """Builds the vocabulary from the most frequent tokens of ``data`` (array or batches)."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray)) or ops.is_tensor(data) or \
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
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                             "`vocabulary` argument or `set_vocabulary()` method.")
        data = to_numpy_tokens(data)
        if data.ndim == 0:
            data = data.reshape(1)
        if data.ndim == 1:
            data = data.reshape(1, -1)
        flat = [self._convert_token(t) for t in data.ravel()]
        self._counts.update(flat)
        if self.output_mode == "tf_idf":
            for row in data.reshape(data.shape[0], -1):
                self._doc_counts.update({self._convert_token(t) for t in row})
            self._num_documents += data.shape[0]

    def finalize_state(self):
        if self._has_input_vocabulary or not self._counts:
            return
        counts = dict(self._counts)
        counts.pop(self.mask_token, None)
        counts.pop(self.oov_token, None)
        key = (lambda t: (counts[t], t.encode("utf-8"))) if self.vocabulary_dtype == "string" else \
            (lambda t: (counts[t], t))
        tokens = sorted(counts, key=key, reverse=True)
        if self.max_tokens:
            tokens = tokens[:self.max_tokens - self._token_start_index()]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            idf = np.array([math.log(1 + self._num_documents / (1 + self._doc_counts[t])) for t in tokens],
                           dtype=floatx())
            idf = np.concatenate([np.full(self._token_start_index(), idf.mean(), idf.dtype), idf])
            self.idf_weights = self._pad_weights(idf)
        self._counts, self._doc_counts, self._num_documents = collections.Counter(), collections.Counter(), 0

    def reset_state(self):
        self._counts, self._doc_counts, self._num_documents = collections.Counter(), collections.Counter(), 0

    # -- lookup ---------------------------------------------------------------------------------
    def _oov_bucket(self, token):
        if self.vocabulary_dtype != "string" and self.oov_method != "farmhash":
            return int(token) % self.num_oov_indices
        return None

    def _lookup(self, values):
        flat = [self._convert_token(t) for t in values.ravel()]
        out = np.empty(len(flat), dtype="int64")
        start, needs_hash = self._oov_start_index(), []
        for i, token in enumerate(flat):
            if self.mask_token is not None and token == self.mask_token:
                out[i] = 0 if self.output_mode == "int" else -1
                continue
            index = self._index.get(token)
            if index is not None:
                out[i] = index
            elif self.num_oov_indices == 0:
                raise ValueError(f"{type(self).__name__}: when `num_oov_indices=0` all inputs should be in the "
                                 f"vocabulary; found the OOV value {token!r}. Consider num_oov_indices=1.")
            elif self.num_oov_indices == 1:
                out[i] = start
            else:
                bucket = self._oov_bucket(token)
                if bucket is None:
                    needs_hash.append(i)
                else:
                    out[i] = start + bucket
        if needs_hash:
            texts = np.array([str(flat[i]) for i in needs_hash], dtype=object)
            buckets = tensorflow_strings().hash_to_bins(texts, self.num_oov_indices, self.salt)
            out[needs_hash] = start + buckets
        return out.reshape(values.shape)

    def _invert(self, values):
        vocab = self.get_vocabulary()
        flat = np.asarray(values).ravel()
        dtype = object if self.vocabulary_dtype == "string" else "int64"
        out = np.empty(flat.shape, dtype=dtype)
        for i, v in enumerate(flat):
            v = int(v)
            if self.mask_token is not None and v == 0:
                out[i] = self.mask_token
            elif 0 <= v < len(vocab) and v >= self._token_start_index():
                out[i] = vocab[v]
            else:
                out[i] = self.oov_token
        return out.reshape(np.shape(values))

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, KerasTensor):
            return super().__call__(inputs, *args, **kwargs)
        return self.call(inputs)

    def call(self, inputs):
        values = to_numpy_tokens(inputs)
        if self.invert:
            out = self._invert(values)
            return out if out.dtype == object else ops.convert_to_tensor(out, "int64")
        scalar = values.ndim == 0
        if scalar:
            values = values.reshape(1)
        lookups = self._lookup(values)
        if self.output_mode == "int":
            return ops.convert_to_tensor(lookups[0] if scalar else lookups, "int64")
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode_categorical(ops.convert_to_tensor(lookups, "int64"), mode, depth, self._output_dtype())
        if self.output_mode == "tf_idf":
            out = ops.multiply(ops.cast(out, floatx()), ops.convert_to_tensor(self.idf_weights))
        return out

    def _output_dtype(self):
        return "int64" if self.output_mode in ("int", "one_hot", "multi_hot", "count") else floatx()

    def compute_output_spec(self, inputs):
        if self.invert:
            return KerasTensor(inputs.shape, dtype="string" if self.vocabulary_dtype == "string" else "int64")
        if self.output_mode == "int":
            return KerasTensor(inputs.shape, dtype="int64")
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        return KerasTensor(encoded_shape(inputs.shape, self.output_mode, depth), dtype=self._output_dtype())

    def compute_output_shape(self, input_shape):
        return self.compute_output_spec(KerasTensor(input_shape)).shape

    def get_config(self):
        vocabulary = self.input_vocabulary
        idf = self.input_idf_weights
        if vocabulary is None and len(self._tokens):
            # An adapted vocabulary travels in the config (special tokens first), so saving
            # and from_config keep it.
            vocabulary = [t.item() if hasattr(t, "item") else t for t in self.get_vocabulary()]
            if self.output_mode == "tf_idf" and self.idf_weights is not None:
                idf = np.asarray(self.idf_weights)[:len(vocabulary)]
        if isinstance(vocabulary, np.ndarray):
            vocabulary = vocabulary.tolist()
        if isinstance(idf, np.ndarray):
            idf = idf.tolist()
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                "mask_token": self.mask_token, "output_mode": self.output_mode, "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens, "vocabulary": vocabulary, "idf_weights": idf,
                "vocabulary_dtype": self.vocabulary_dtype, "oov_method": self.oov_method,
                "salt": self.salt,
                # Written as Keras writes it (informative; ignored when loading).
                "vocabulary_size": self.vocabulary_size() if len(self._tokens) else None}
