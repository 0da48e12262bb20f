"""Image v2 (Glance 33 as devstack runs it): images, their data, JSON-patch updates, tags,
members and the image schemas; one store shared with Compute's snapshots and backups."""
