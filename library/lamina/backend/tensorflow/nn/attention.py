"""nn ops (attention) on this backend."""
