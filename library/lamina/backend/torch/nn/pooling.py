"""nn ops (pooling) on this backend."""
