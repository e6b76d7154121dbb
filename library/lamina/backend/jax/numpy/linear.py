"""NumPy-style ops (linear) on this backend."""
