"""Compute state. Everything a handler reads or changes lives in :class:`ComputeBackend`."""

from fakenova.compute.models.backend import ComputeBackend, MarkerNotFound, ServerNotFound

__all__ = ["ComputeBackend", "MarkerNotFound", "ServerNotFound"]
