"""NumPy-style ops (shape) on this backend."""
