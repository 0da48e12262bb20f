"""The Compute HTTP layer: thin controllers, per-microversion views and schemas, one policy."""
