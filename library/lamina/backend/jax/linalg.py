"""The linalg ops on this backend."""
