"""The remaining client checks of issue 12 that need neither Glance writes nor Neutron.

The others are where their routes are tested: ``nova limits`` / ``quota-show``, novaclient's
and openstacksdk's limits (``get_compute_limits``) and ``openstack limits show --absolute`` /
``quota show`` in ``test_limits_quotas.py``; ``availability-zone-list``,
``list_availability_zone_names`` and ``openstack availability zone list`` in
``test_small_routes.py``; ``nova flavor-create`` / ``flavor-access-add`` / ``flavor-delete``
in ``tests/test_serve.py``; ``openstack flavor create`` / ``set`` / ``delete`` in
``test_openstack_cli.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
from typing import Any
from unittest import mock

import pytest

from fakenova.testing import mock_cloud

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


def _nova(cloud: Any, *argv: str) -> str:
    from novaclient import shell

    out = io.StringIO()
    with mock.patch.dict(os.environ, cloud.env("demo")), contextlib.redirect_stdout(out):
        shell.main(list(argv))
    return out.getvalue()


@pytest.mark.parametrize(
    ("version", "columns"),
    [
        ("2.1", "| ID | DEVICE | SERVER ID | VOLUME ID |"),
        (
            "2.89",
            "| DEVICE | SERVER ID | VOLUME ID | ATTACHMENT ID | BDM UUID | TAG "
            "| DELETE ON TERMINATION |",
        ),
    ],
)
def test_nova_volume_attachments_of_a_server_without_volumes(version: str, columns: str) -> None:
    """An empty table (``GET /servers/{id}/os-volume_attachments`` answers ``[]``), with the
    columns of the microversion asked."""
    with mock_cloud("down-cells") as cloud:
        printed = _nova(cloud, "--os-compute-api-version", version, "volume-attachments", "vm1")
    border = "".join("+" if c == "|" else "-" for c in columns)
    assert printed.splitlines() == [border, columns, border, border]
