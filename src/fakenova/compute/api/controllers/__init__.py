"""Thin controllers: check policy, turn the request into a model call, pick a view."""
