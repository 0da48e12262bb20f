"""Image v2 HTTP handlers, rendering Glance's image schema."""

from __future__ import annotations

from typing import Any

import webob
import webob.exc

from fakenova.http import RoutedApp, json_response, keystone_unauthorized, not_found_html
from fakenova.identity.models import IdentityBackend
from fakenova.image.models import Image, ImageBackend
from fakenova.image.urls import ROUTES

# What Glance lists under devstack, which sets ``image_cache_dir`` and no ``enabled_backends``.
VERSIONS = (
    ("2.18", "CURRENT"),
    *((minor, "SUPPORTED") for minor in ("2.17", "2.16", "2.15", "2.14", "2.9")),
    *((f"2.{n}", "SUPPORTED") for n in range(7, -1, -1)),
)
# The first path segments Glance's version negotiation accepts (and rewrites to ``/v2``).
URL_VERSIONS = {"v2", *(f"v{number}" for number, _ in VERSIONS)}


SORT_KEYS = (
    "name", "status", "container_format", "disk_format", "size", "id", "created_at",
    "updated_at",
)  # fmt: skip


def query_error(request: webob.Request) -> str | None:
    """Glance's checks of ``GET /v2/images`` options, in its order (``RequestDeserializer.
    index``): visibility and changes-since, member_status, limit, then sorting. The fake lists
    too few images to page, but must refuse what Glance refuses."""
    params = request.GET
    visibility = params.get("visibility")
    if visibility and visibility not in ("community", "public", "private", "shared", "all"):
        return f"Invalid visibility value: {visibility}"
    if params.get("changes-since"):
        return 'The "changes-since" filter is no longer available on v2.'
    member_status = params.get("member_status", "accepted")
    if member_status not in ("pending", "accepted", "rejected", "all"):
        return f"Invalid status: {member_status}"
    if "limit" in params:
        try:
            limit = int(params["limit"])
        except ValueError:
            return "limit param must be an integer"
        if limit < 0:
            return "limit param must be positive"
    return _sort_error(params)


def _sort_error(params: Any) -> str | None:
    keys = params.getall("sort_key")
    dirs = params.getall("sort_dir")
    if "sort" in params:
        if keys or dirs:
            return "Old and new sorting syntax cannot be combined"
        pairs = [item.partition(":") for item in params["sort"].strip().split(",")]
        keys = [key for key, _, _ in pairs]
        dirs = [direction or "desc" for _, _, direction in pairs]
        for key, direction in zip(keys, dirs, strict=True):
            if key.strip() not in SORT_KEYS:
                return _bad_sort_key(key.strip())
            if direction.strip() not in ("asc", "desc"):
                return f"Invalid sort direction: {direction.strip()}"
        return None
    for key in keys:
        if key.strip() not in SORT_KEYS:
            return _bad_sort_key(key.strip())
    for direction in dirs:
        if direction.strip() not in ("asc", "desc"):
            return f"Invalid sort direction: {direction.strip()}"
    if len(dirs) > 1 and len(dirs) != len(keys):
        return "Number of sort dirs does not match the number of sort keys"
    return None


def _bad_sort_key(key: str) -> str:
    return f"Invalid sort key: {key}. It must be one of the following: {', '.join(SORT_KEYS)}."


class ImageApp:
    """The WSGI app mounted at ``/image``."""

    def __init__(self, backend: ImageBackend, identity: IdentityBackend) -> None:
        self.backend = backend
        self.identity = identity
        self.router = RoutedApp(ROUTES)

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> webob.Response:
        # Glance's version negotiation runs before authentication: ``/versions`` is answered
        # there, and a path that names no known version gets the 300 list.
        first = request.path_info_peek()
        if first == "versions":
            return self.versions_ok(request)
        if first not in URL_VERSIONS:
            return self.versions(request)
        if self.identity.validate(request.headers.get("X-Auth-Token")) is None:
            return keystone_unauthorized(f"{request.host_url}/identity")
        if self.backend.settle is not None:
            self.backend.settle()
        if first != "v2":
            request.path_info = "/v2" + request.path_info[len(first) + 1 :]
        matched = self.router.match(request)
        if matched is None:
            return not_found_html()
        handler, params = matched
        return getattr(self, handler)(request, **params)

    def _versions(self, request: webob.Request) -> dict[str, Any]:
        href = request.application_url + "/v2/"
        return {
            "versions": [
                {"id": f"v{number}", "status": status, "links": [{"rel": "self", "href": href}]}
                for number, status in VERSIONS
            ]
        }

    def versions(self, request: webob.Request) -> webob.Response:
        return json_response(self._versions(request), 300)

    def versions_ok(self, request: webob.Request) -> webob.Response:
        return json_response(self._versions(request))

    def list_images(self, request: webob.Request) -> webob.Response:
        refused = query_error(request)
        if refused is not None:
            return webob.exc.HTTPBadRequest(explanation=refused)
        images = list(self.backend.images.values())
        if "name" in request.GET:
            images = [i for i in images if i.name == request.GET["name"]]
        wanted = request.GET.get("id", "")
        if wanted.startswith("in:"):
            ids = set(wanted[3:].split(","))
            images = [i for i in images if i.id in ids]
        elif wanted:
            images = [i for i in images if i.id == wanted]
        return json_response(
            {
                "images": [self._view(i) for i in images],
                "first": request.path_qs.split("/image", 1)[-1] or "/v2/images",
                "schema": "/v2/schemas/images",
            }
        )

    def show_image(self, request: webob.Request, image_id: str) -> webob.Response:
        image = self.backend.get(image_id)
        if image is None:
            # Glance's explanation (not webob's detail): it replaces the stock sentence.
            return webob.exc.HTTPNotFound(explanation=f"No image found with ID {image_id}")
        return json_response(self._view(image))

    @staticmethod
    def _view(image: Image) -> dict[str, Any]:
        return {
            **image.properties,
            "id": image.id,
            "name": image.name,
            "status": image.status,
            "visibility": image.visibility,
            "protected": False,
            "os_hidden": False,
            "owner": image.owner,
            "checksum": image.checksum,
            "size": image.size,
            "virtual_size": None,
            "min_ram": image.min_ram,
            "min_disk": image.min_disk,
            "disk_format": image.disk_format,
            "container_format": image.container_format,
            "created_at": image.created_at,
            "updated_at": image.created_at,
            "tags": [],
            "self": f"/v2/images/{image.id}",
            "file": f"/v2/images/{image.id}/file",
            "schema": "/v2/schemas/image",
        }
