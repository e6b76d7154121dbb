"""nn ops (patches) on this backend."""
