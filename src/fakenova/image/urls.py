"""Image v2 routes, relative to the service root (``/image``); ``glance/api/v2/router.py``."""

from fakenova.http import Route

ROUTES: list[Route] = [
    ("GET", "/", "versions"),
    ("GET", "/versions", "versions_ok"),
    ("GET", "/v2/schemas/image", "image_schema"),
    ("GET", "/v2/schemas/images", "images_schema"),
    ("GET", "/v2/images", "list_images"),
    ("POST", "/v2/images", "create_image"),
    ("GET", "/v2/images/{image_id}", "show_image"),
    ("PATCH", "/v2/images/{image_id}", "update_image"),
    ("DELETE", "/v2/images/{image_id}", "delete_image"),
    ("GET", "/v2/images/{image_id}/tasks", "image_tasks"),
    ("PUT", "/v2/images/{image_id}/file", "upload_data"),
    ("GET", "/v2/images/{image_id}/file", "download_data"),
    ("PUT", "/v2/images/{image_id}/tags/{tag}", "add_tag"),
    ("DELETE", "/v2/images/{image_id}/tags/{tag}", "delete_tag"),
    ("GET", "/v2/images/{image_id}/members", "list_members"),
    ("POST", "/v2/images/{image_id}/members", "add_member"),
    ("GET", "/v2/images/{image_id}/members/{member_id}", "show_member"),
    ("PUT", "/v2/images/{image_id}/members/{member_id}", "update_member"),
    ("DELETE", "/v2/images/{image_id}/members/{member_id}", "delete_member"),
]

# Glance's router answers a known path asked with another method with a 405 naming the
# methods it allows (``RejectMethodController``).
ALLOWED = {
    "/v2/schemas/image": "GET",
    "/v2/schemas/images": "GET",
    "/v2/images": "GET, POST",
    "/v2/images/{image_id}": "GET, PATCH, DELETE",
    "/v2/images/{image_id}/file": "GET, PUT",
    "/v2/images/{image_id}/tags/{tag}": "PUT, DELETE",
    "/v2/images/{image_id}/members": "GET, POST",
    "/v2/images/{image_id}/members/{member_id}": "GET, PUT, DELETE",
}
REJECTS: list[Route] = [
    (method, template, allowed)
    for template, allowed in ALLOWED.items()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
    if method not in allowed.split(", ")
]
