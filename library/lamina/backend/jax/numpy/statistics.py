"""NumPy-style ops (statistics) on this backend."""
