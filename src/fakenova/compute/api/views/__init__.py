"""Views render model objects as API bodies for one request's microversion and caller."""
