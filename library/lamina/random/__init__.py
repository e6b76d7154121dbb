"""lamina.random"""
