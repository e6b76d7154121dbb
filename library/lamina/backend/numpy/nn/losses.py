"""nn ops (losses) on this backend."""
