"""Preprocessing layers: rescaling, normalization, resizing, augmentation, encodings, lookups."""
