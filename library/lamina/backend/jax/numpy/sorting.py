"""NumPy-style ops (sorting) on this backend."""
