"""Compute state and rules: the backend holds the state, each module a domain's rules, and
:mod:`~fakenova.compute.models.compute_api` is the one entry the HTTP layer calls."""
