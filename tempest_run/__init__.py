"""Tempest, OpenStack's own conformance suite, against ``fakenova serve`` (``tox -e tempest``).

Tempest drives a cloud through its API and checks every answer against its JSON schemas per
microversion; the interop guideline ("OpenStack Powered Compute") is a list of its tests that a
cloud must pass. ``exclusions.yaml`` names the tests that need a service the fake's deployment
does not have, each with why; ``results.json`` records the last run, which the fidelity page
shows (``report.py``).
"""
