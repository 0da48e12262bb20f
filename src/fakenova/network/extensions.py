"""The Network service's extensions (``GET /v2.0/extensions``): what this Neutron supports.

Clients ask before they use a feature: openstackclient's ``port create`` looks up
``tag-ports-during-bulk-creation`` and then lists every extension, so without this list a port
cannot be made. The list holds the extensions whose attributes the fake's views show and
whose resources it serves, with the name, description and date Neutron reports for each
(``neutron-lib``'s API definitions and ``neutron/extensions/``). It leaves out what the fake
does not do, such as ``standard-attr-tag`` (the tags sub-resource), ``pagination`` or
``availability_zone`` (``/v2.0/availability_zones``, which openstackclient then lists): a
client that finds an extension listed relies on it. ``router`` is listed for its floating IPs,
which are served whole; its routers can be read, not made (devstack's ``router1`` only).

The order is Neutron's: it loads ``neutron/extensions/*.py`` in file-name order.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from fakenova.network.errors import NotFound


class Extension(NamedTuple):
    alias: str
    name: str
    description: str
    updated: str


# In the order of the file that defines each (allowedaddresspairs.py ... uplink_status_...).
EXTENSIONS: tuple[Extension, ...] = (
    Extension(
        "allowed-address-pairs",
        "Allowed Address Pairs",
        "Provides allowed address pairs",
        "2013-07-23T10:00:00-00:00",
    ),
    Extension(
        "dns-integration",
        "DNS Integration",
        "Provides integration with DNS.",
        "2015-08-15T18:00:00-00:00",
    ),
    Extension(
        "external-net",
        "Neutron external network",
        "Adds external network attribute to network resource.",
        "2013-01-14T10:00:00-00:00",
    ),
    Extension(
        "extra_dhcp_opt",
        "Neutron Extra DHCP options",
        "Extra options configuration for DHCP. For example PXE boot options to DHCP clients can"
        " be specified (e.g. tftp-server, server-ip-address, bootfile-name)",
        "2013-03-17T12:00:00-00:00",
    ),
    Extension(
        "fip-port-details",
        "Floating IP Port Details Extension",
        "Add port_details attribute to Floating IP resource",
        "2018-04-09T10:00:00-00:00",
    ),
    Extension(
        "router",
        "Neutron L3 Router",
        "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to"
        " external networks via a NAT gateway.",
        "2012-07-20T10:00:00-00:00",
    ),
    Extension(
        "ext-gw-mode",
        "Neutron L3 Configurable external gateway mode",
        "Extension of the router abstraction for specifying whether SNAT should occur on the"
        " external gateway",
        "2013-03-28T10:00:00-00:00",
    ),
    Extension(
        "net-mtu",
        "Network MTU",
        "Provides MTU attribute for a network resource.",
        "2015-03-25T10:00:00-00:00",
    ),
    Extension(
        "port-resource-request",
        "Port Resource Request",
        "Expose resource request to Port",
        "2018-05-08T10:00:00-00:00",
    ),
    Extension(
        "binding",
        "Port Binding",
        "Expose port bindings of a virtual port to external application",
        "2014-02-03T10:00:00-00:00",
    ),
    Extension(
        "port-security", "Port Security", "Provides port security", "2012-07-23T10:00:00-00:00"
    ),
    Extension(
        "project-id",
        "project_id field enabled",
        "Extension that indicates that project_id field is enabled.",
        "2016-09-09T09:09:09-09:09",
    ),
    Extension(
        "provider",
        "Provider Network",
        "Expose mapping of virtual networks to physical networks",
        "2012-09-07T10:00:00-00:00",
    ),
    Extension(
        "qos",
        "Quality of Service",
        "The Quality of Service extension.",
        "2015-06-08T10:00:00-00:00",
    ),
    Extension(
        "qos-bw-minimum-ingress",
        "Ingress direction for QoS minimum bandwidth rule",
        "Allow to configure QoS minumum bandwidth rule with ingress direction.",
        "2018-07-09T10:00:00-00:00",
    ),
    Extension(
        "qos-default",
        "QoS default policy",
        "Expose the QoS default policy per project",
        "2017-041-06T10:00:00-00:00",
    ),
    Extension(
        "qos-port-network-policy",
        "QoS port network policy ID",
        "Adds a the QoS network ID to the port definition",
        "2019-11-01T10:00:00-00:00",
    ),
    Extension(
        "quotas",
        "Quota management support",
        "Expose functions for quotas management per project",
        "2012-07-29T10:00:00-00:00",
    ),
    Extension(
        "quota_details",
        "Quota details management support",
        "Expose functions for quotas usage statistics per project",
        "2017-02-10T10:00:00-00:00",
    ),
    Extension(
        "standard-attr-revisions",
        "Resource revision numbers",
        "This extension will display the revision number of neutron resources.",
        "2016-04-11T10:00:00-00:00",
    ),
    Extension(
        "security-group",
        "security-group",
        "The security groups extension.",
        "2012-10-05T10:00:00-00:00",
    ),
    Extension(
        "standard-attr-description",
        "standard-attr-description",
        "Extension to add descriptions to standard attributes",
        "2016-02-10T10:00:00-00:00",
    ),
    Extension(
        "subnet-dns-publish-fixed-ip",
        "Subnet DNS publish fixed IP",
        "Support choosing to publish DNS records for IPs from a subnet",
        "2019-05-24T10:00:00-00:00",
    ),
    Extension(
        "subnet-service-types",
        "Subnet service types",
        "Provides ability to set the subnet service_types field",
        "2016-03-15T18:00:00-00:00",
    ),
    Extension(
        "standard-attr-timestamp",
        "Resource timestamps",
        "Adds created_at and updated_at fields to all Neutron resources that have Neutron"
        " standard attributes.",
        "2016-09-12T10:00:00-00:00",
    ),
    Extension(
        "uplink-status-propagation",
        "Uplink status propagation extension",
        "Provides ability to propagate port uplink status.",
        "2018-05-31T18:00:00-00:00",
    ),
)

_BY_ALIAS = {extension.alias: extension for extension in EXTENSIONS}


def body(extension: Extension) -> dict[str, Any]:
    """One extension as Neutron shows it, in its key order; ``links`` is always empty there."""
    return {
        "name": extension.name,
        "alias": extension.alias,
        "description": extension.description,
        "updated": extension.updated,
        "links": [],
    }


def find(alias: str) -> Extension:
    """The extension of that alias, or Neutron's 404 (a webob error, hence its type)."""
    try:
        return _BY_ALIAS[alias]
    except KeyError:
        raise NotFound(f"Extension with alias {alias} does not exist", "HTTPNotFound") from None
