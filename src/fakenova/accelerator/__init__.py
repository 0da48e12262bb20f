"""Accelerators (Cyborg), minimal: the device profiles Nova looks up when a flavor names one,
and the accelerator requests (ARQs) it binds to a server's host while building it. No Cyborg
API is served: the guide reaches all of it through the compute API."""
