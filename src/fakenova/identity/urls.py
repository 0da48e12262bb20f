"""Identity v3 routes, relative to the service root (``/identity``)."""

from fakenova.http import Route

ROUTES: list[Route] = [
    ("GET", "/", "versions"),
    ("GET", "/v3", "version"),
    ("GET", "/v3/", "version"),
    ("POST", "/v3/auth/tokens", "create_token"),
    ("GET", "/v3/auth/tokens", "validate_token"),
    ("GET", "/v3/projects", "list_projects"),
    ("GET", "/v3/projects/{project_id}", "show_project"),
]
