"""Backend-free building blocks: dtypes, KerasTensor, Variable base, scopes."""
