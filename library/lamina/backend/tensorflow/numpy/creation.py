"""NumPy-style ops (creation) on this backend."""
