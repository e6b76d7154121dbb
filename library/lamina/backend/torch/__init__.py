"""The PyTorch backend: the only lamina package (with its siblings) that imports torch."""
