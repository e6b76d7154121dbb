"""nn ops (conv) on this backend."""
