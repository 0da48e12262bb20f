"""Differential fidelity: the same requests sent to the real Nova 34 and to fakenova, compared.

``python -m fidelity`` (what ``tox -e fidelity`` runs) replays every scenario under
``fidelity/scenarios/`` against both, maps the values that differ by nature (ids, times,
addresses, endpoints) between the two runs, and fails on any difference not listed in
``fidelity/known_differences.yaml``. ``python -m fidelity.hostile`` checks the answers
``tests/hostile`` expects from Nova. Only :mod:`fidelity.nova_run` and
:mod:`fidelity.hostile_nova` import Nova; everything else runs in the project's own
environment.
"""
