"""nn ops (encoding) on this backend."""
