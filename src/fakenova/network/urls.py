"""Networking v2.0 routes, relative to the service root (``/networking``)."""

from fakenova.http import Route

ROUTES: list[Route] = [
    ("GET", "/", "versions"),
    ("GET", "/v2.0/", "resources"),
    ("GET", "/v2.0/networks", "list_networks"),
    ("GET", "/v2.0/networks/{item_id}", "show_network"),
    ("GET", "/v2.0/subnets", "list_subnets"),
    ("GET", "/v2.0/subnets/{item_id}", "show_subnet"),
    ("GET", "/v2.0/ports", "list_ports"),
    ("POST", "/v2.0/ports", "create_port"),
    ("GET", "/v2.0/ports/{item_id}", "show_port"),
    ("PUT", "/v2.0/ports/{item_id}", "update_port"),
    ("DELETE", "/v2.0/ports/{item_id}", "delete_port"),
    ("GET", "/v2.0/security-groups", "list_groups"),
    ("POST", "/v2.0/security-groups", "create_group"),
    ("GET", "/v2.0/security-groups/{item_id}", "show_group"),
    ("PUT", "/v2.0/security-groups/{item_id}", "update_group"),
    ("DELETE", "/v2.0/security-groups/{item_id}", "delete_group"),
    ("GET", "/v2.0/security-group-rules", "list_rules"),
    ("POST", "/v2.0/security-group-rules", "create_rule"),
    ("GET", "/v2.0/security-group-rules/{item_id}", "show_rule"),
    ("DELETE", "/v2.0/security-group-rules/{item_id}", "delete_rule"),
    ("GET", "/v2.0/qos/policies", "list_qos_policies"),
    ("POST", "/v2.0/qos/policies", "create_qos_policy"),
    ("GET", "/v2.0/qos/policies/{item_id}", "show_qos_policy"),
    ("GET", "/v2.0/qos/policies/{item_id}/minimum_bandwidth_rules", "list_bandwidth_rules"),
    ("POST", "/v2.0/qos/policies/{item_id}/minimum_bandwidth_rules", "create_bandwidth_rule"),
    ("GET", "/v2.0/quotas/{project_id}", "show_quota"),
    ("GET", "/v2.0/quotas/{project_id}/default", "default_quota"),
    ("GET", "/v2.0/quotas/{project_id}/details", "quota_details"),
]
