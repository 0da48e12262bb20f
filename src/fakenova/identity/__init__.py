"""Identity v3 (Keystone), just enough for real clients: discovery, password tokens, catalog."""
