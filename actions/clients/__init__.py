"""Typed HTTP clients the actions use."""
