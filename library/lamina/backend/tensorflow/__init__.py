"""The TensorFlow backend: the only lamina package (with its siblings) that imports tensorflow."""
