"""Activation layers with parameters (ELU, LeakyReLU, PReLU, ReLU, Softmax)."""
