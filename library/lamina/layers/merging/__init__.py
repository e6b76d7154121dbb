"""Merging layers: combine a list of inputs into one tensor."""
