"""Image v2 routes, relative to the service root (``/image``)."""

from fakenova.http import Route

ROUTES: list[Route] = [
    ("GET", "/", "versions"),
    ("GET", "/versions", "versions_ok"),
    ("GET", "/v2/images", "list_images"),
    ("GET", "/v2/images/{image_id}", "show_image"),
]
