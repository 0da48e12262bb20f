"""Identity v3 routes, relative to the service root (``/identity``). ``HEAD`` is answered by
the ``GET`` route (as Flask does for Keystone)."""

from fakenova.http import Route

_PROJECT_GRANT = "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"
_DOMAIN_GRANT = "/v3/domains/{domain_id}/users/{user_id}/roles/{role_id}"
_SYSTEM_GRANT = "/v3/system/users/{user_id}/roles/{role_id}"

ROUTES: list[Route] = [
    ("GET", "/", "versions"),
    ("GET", "/v3", "version"),
    ("GET", "/v3/", "version"),
    ("POST", "/v3/auth/tokens", "create_token"),
    ("GET", "/v3/auth/tokens", "validate_token"),
    ("DELETE", "/v3/auth/tokens", "revoke_token"),
    ("GET", "/v3/auth/projects", "auth_projects"),
    ("GET", "/v3/auth/domains", "auth_domains"),
    ("GET", "/v3/domains", "list_domains"),
    ("POST", "/v3/domains", "create_domain"),
    ("GET", "/v3/domains/{domain_id}", "show_domain"),
    ("PATCH", "/v3/domains/{domain_id}", "update_domain"),
    ("DELETE", "/v3/domains/{domain_id}", "delete_domain"),
    ("GET", "/v3/domains/{domain_id}/users/{user_id}/roles", "domain_grants"),
    ("GET", _DOMAIN_GRANT, "domain_grant"),
    ("PUT", _DOMAIN_GRANT, "domain_grant"),
    ("DELETE", _DOMAIN_GRANT, "domain_grant"),
    ("GET", "/v3/projects", "list_projects"),
    ("POST", "/v3/projects", "create_project"),
    ("GET", "/v3/projects/{project_id}", "show_project"),
    ("PATCH", "/v3/projects/{project_id}", "update_project"),
    ("DELETE", "/v3/projects/{project_id}", "delete_project"),
    ("GET", "/v3/projects/{project_id}/tags", "list_project_tags"),
    ("PUT", "/v3/projects/{project_id}/tags", "replace_project_tags"),
    ("DELETE", "/v3/projects/{project_id}/tags", "clear_project_tags"),
    ("GET", "/v3/projects/{project_id}/tags/{tag}", "show_project_tag"),
    ("PUT", "/v3/projects/{project_id}/tags/{tag}", "add_project_tag"),
    ("DELETE", "/v3/projects/{project_id}/tags/{tag}", "delete_project_tag"),
    ("GET", "/v3/projects/{project_id}/users/{user_id}/roles", "project_grants"),
    ("GET", _PROJECT_GRANT, "project_grant"),
    ("PUT", _PROJECT_GRANT, "project_grant"),
    ("DELETE", _PROJECT_GRANT, "project_grant"),
    ("GET", "/v3/system/users/{user_id}/roles", "system_grants"),
    ("GET", _SYSTEM_GRANT, "system_grant"),
    ("PUT", _SYSTEM_GRANT, "system_grant"),
    ("DELETE", _SYSTEM_GRANT, "system_grant"),
    ("GET", "/v3/users", "list_users"),
    ("POST", "/v3/users", "create_user"),
    ("GET", "/v3/users/{user_id}", "show_user"),
    ("PATCH", "/v3/users/{user_id}", "update_user"),
    ("DELETE", "/v3/users/{user_id}", "delete_user"),
    ("POST", "/v3/users/{user_id}/password", "change_password"),
    ("GET", "/v3/users/{user_id}/projects", "user_projects"),
    ("GET", "/v3/roles", "list_roles"),
    ("POST", "/v3/roles", "create_role"),
    ("GET", "/v3/roles/{role_id}", "show_role"),
    ("DELETE", "/v3/roles/{role_id}", "delete_role"),
    ("GET", "/v3/role_assignments", "list_role_assignments"),
]
