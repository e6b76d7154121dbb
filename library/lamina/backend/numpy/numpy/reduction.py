"""NumPy-style ops (reduction) on this backend."""
