"""The JAX backend: the only lamina package (with its siblings) that imports jax."""
