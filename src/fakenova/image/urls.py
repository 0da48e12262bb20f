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
    ("PUT", "/v2/images/{image_id}/file", "upload_data"),
    ("GET", "/v2/images/{image_id}/file", "download_data"),
    ("PUT", "/v2/images/{image_id}/tags/{tag}", "add_tag"),
    ("DELETE", "/v2/images/{image_id}/tags/{tag}", "delete_tag"),
]
