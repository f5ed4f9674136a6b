"""Balint Course Kit widgets."""
