"""nn ops (normalization) on this backend."""
