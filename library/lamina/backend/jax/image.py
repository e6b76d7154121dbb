"""The image ops on this backend."""
