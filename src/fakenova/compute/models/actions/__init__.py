"""Actions on a built server (``POST /servers/{id}/action``): the flow every action shares,
the instance-action log, and one module per family (power, locks, rescues, rebuilds,
snapshots, shelves, consoles)."""
