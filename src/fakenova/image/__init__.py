"""Image v2 (Glance), read-only: what clients need to name the images servers were built from."""
