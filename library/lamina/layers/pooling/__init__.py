"""Pooling layers: max and average (plain, global, adaptive) in 1D, 2D and 3D."""
