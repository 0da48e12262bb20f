"""Compute v2.1 (Nova 34): models hold the state, ``api`` parses and renders HTTP."""
