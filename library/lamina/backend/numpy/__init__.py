"""The NumPy backend (inference only): plain NumPy arrays."""
