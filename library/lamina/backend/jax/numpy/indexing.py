"""NumPy-style ops (indexing) on this backend."""
