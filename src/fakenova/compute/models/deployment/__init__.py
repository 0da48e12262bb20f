"""The deployment: cells, hosts and services, the scheduler, and the networks servers join."""
