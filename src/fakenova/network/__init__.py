"""Networking v2.0 (Neutron), minimal: the networks, subnets, ports and security groups that
clients look up and that servers' ports live in."""
