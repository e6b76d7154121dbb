"""The math ops on this backend."""
