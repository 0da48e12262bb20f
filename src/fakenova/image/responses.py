"""Image v2 HTTP handlers: decode as Glance's deserializers do, call one rule, render as its
serializers do (``glance/api/v2/images.py`` ``ResponseSerializer``, ``image_data.py``,
``image_tags.py``). Refusals are :class:`ImageError` and become webob's exceptions here only.
"""

from __future__ import annotations

import json
from typing import Any

import webob
import webob.exc

from fakenova.http import RoutedApp, json_response, keystone_unauthorized, not_found_html
from fakenova.identity.models import IdentityBackend, Token
from fakenova.image import listing, members, patch, rules, schema
from fakenova.image.errors import ImageError
from fakenova.image.models import Image, ImageBackend, Viewer
from fakenova.image.urls import REJECTS, ROUTES

# What Glance lists under devstack, which sets ``image_cache_dir`` and no ``enabled_backends``.
VERSIONS = (
    ("2.18", "CURRENT"),
    *((minor, "SUPPORTED") for minor in ("2.17", "2.16", "2.15", "2.14", "2.9")),
    *((f"2.{n}", "SUPPORTED") for n in range(7, -1, -1)),
)
# The first path segments Glance's version negotiation accepts (and rewrites to ``/v2``).
URL_VERSIONS = {"v2", *(f"v{number}" for number, _ in VERSIONS)}
# [DEFAULT] enabled_import_methods, announced on every created image.
IMPORT_METHODS = "glance-direct,web-download,copy-image"
UNDECODABLE = (
    "Error decoding your request. Either the URL or the request body contained characters "
    "that could not be decoded by Glance"
)
# The attributes of ``ResponseSerializer._format_image``, in its order, after the extras.
ATTRIBUTES = (
    "name", "disk_format", "container_format", "visibility", "size", "virtual_size", "status",
    "checksum", "protected", "min_ram", "min_disk", "owner", "os_hidden", "os_hash_algo",
    "os_hash_value",
)  # fmt: skip
SCHEMA_PROPERTIES = frozenset(schema.image_schema()["properties"])


def viewer_of(token: Token) -> Viewer:
    return Viewer(token.project.id, token.is_admin, token.roles)


def refusal(request: webob.Request, error: ImageError) -> webob.Response:
    kind = webob.exc.status_map[error.status]
    extra = {} if error.explanation is None else {"explanation": error.explanation}
    exc = kind(detail=error.detail, headers=list(error.headers.items()) or None, **extra)
    return request.get_response(exc)


def body_of(request: webob.Request) -> Any:
    """Glance's ``JSONRequestDeserializer``: a body is required, and must be a list or dict."""
    chunked = "transfer-encoding" in request.headers
    if not chunked and not (request.content_length or 0) > 0:
        raise ImageError(400, "Body expected in request.")
    try:
        body = json.loads(request.body)
    except ValueError:
        raise ImageError(400, "Malformed JSON in request body.") from None
    if not isinstance(body, (dict, list)):
        raise ImageError(400, "Unexpected body type. Expected list/dict.")
    return body


class ImageApp:
    """The WSGI app mounted at ``/image``."""

    def __init__(self, backend: ImageBackend, identity: IdentityBackend) -> None:
        self.backend = backend
        self.identity = identity
        self.router = RoutedApp(ROUTES)
        self.rejects = RoutedApp(REJECTS)

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> webob.Response:
        # Glance's version negotiation runs before authentication: ``/versions`` is answered
        # there, and a path that names no known version gets the 300 list.
        first = request.path_info_peek()
        if first == "versions":
            return self.versions_ok(request)
        if first not in URL_VERSIONS:
            return self.versions(request)
        token = self.identity.validate(request.headers.get("X-Auth-Token"))
        if token is None:
            return keystone_unauthorized(request)
        if self.backend.settle is not None:
            self.backend.settle()
        if first != "v2":
            request.path_info = "/v2" + request.path_info[len(first) + 1 :]
        matched = self.router.match(request)
        if matched is None:
            rejected = self.rejects.match(request)
            if rejected is not None:
                return request.get_response(
                    webob.exc.HTTPMethodNotAllowed(headers=[("Allow", rejected[0])])
                )
            return not_found_html()
        handler, params = matched
        request.environ["fakenova.viewer"] = viewer_of(token)
        try:
            return getattr(self, handler)(request, **params)
        except ImageError as error:
            return refusal(request, error)
        except (
            UnicodeDecodeError
        ):  # glance/common/wsgi.py's Resource, for a query webob cannot read
            return request.get_response(webob.exc.HTTPBadRequest(explanation=UNDECODABLE))

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

    @staticmethod
    def _viewer(request: webob.Request) -> Viewer:
        viewer: Viewer = request.environ["fakenova.viewer"]
        return viewer

    def image_schema(self, request: webob.Request) -> webob.Response:
        return json_response(schema.image_schema())

    def images_schema(self, request: webob.Request) -> webob.Response:
        return json_response(schema.images_schema())

    def list_images(self, request: webob.Request) -> webob.Response:
        result = listing.page(self.backend, self._viewer(request), request.GET)
        body: dict[str, Any] = {"images": [self._view(i) for i in result["images"]]}
        links = listing.links(list(request.GET.items()), result.get("next_marker"))
        body["first"] = links["first"]
        if "next" in links:
            body["next"] = links["next"]
        body["schema"] = "/v2/schemas/images"
        return json_response(body)

    def show_image(self, request: webob.Request, image_id: str) -> webob.Response:
        return json_response(
            self._view(rules.visible(self.backend, self._viewer(request), image_id))
        )

    def image_tasks(self, request: webob.Request, image_id: str) -> webob.Response:
        """Glance's ``get_task_info``: the image's import tasks, and the fake has no import,
        so none. An image the caller cannot see is webob's bare 404, with no sentence."""
        try:
            rules.visible(self.backend, self._viewer(request), image_id)
        except ImageError:
            raise ImageError(404) from None
        return json_response({"tasks": []})

    def create_image(self, request: webob.Request) -> webob.Response:
        image = rules.create(self.backend, self._viewer(request), body_of(request))
        response = json_response(self._view(image), 201)
        response.location = f"/v2/images/{image.id}"
        response.headers["OpenStack-image-import-methods"] = IMPORT_METHODS
        return response

    def update_image(self, request: webob.Request, image_id: str) -> webob.Response:
        refused = patch.media_type_error(request.content_type)
        if refused is not None:
            raise refused
        draft = patch.MEDIA_TYPES[request.content_type]
        changes = patch.parse(body_of(request), draft)
        image = patch.update(self.backend, self._viewer(request), image_id, changes, draft)
        return json_response(self._view(image))

    def delete_image(self, request: webob.Request, image_id: str) -> webob.Response:
        rules.delete(self.backend, self._viewer(request), image_id)
        return webob.Response(status=204)

    def upload_data(self, request: webob.Request, image_id: str) -> webob.Response:
        if "Content-Type" not in request.headers:
            raise ImageError(415, detail="Invalid content type None")
        if request.content_type != "application/octet-stream":
            raise ImageError(415, detail=f"Invalid content type {request.content_type}")
        size = request.headers.get("x-openstack-image-size")
        if size is not None:
            try:
                int(size)
            except ValueError:
                raise ImageError(400, "Invalid or missing image size in request headers.") from None
        rules.upload(self.backend, self._viewer(request), image_id, request.body)
        return webob.Response(status=204)

    def download_data(self, request: webob.Request, image_id: str) -> webob.Response:
        image = rules.download(self.backend, self._viewer(request), image_id)
        if image.data is None:
            return webob.Response(status=204)
        response = webob.Response(body=image.data, content_type="application/octet-stream")
        if image.checksum:
            response.headers["Content-MD5"] = image.checksum
        return response

    def add_tag(self, request: webob.Request, image_id: str, tag: str) -> webob.Response:
        rules.add_tag(self.backend, self._viewer(request), image_id, tag)
        return webob.Response(status=204)

    def delete_tag(self, request: webob.Request, image_id: str, tag: str) -> webob.Response:
        rules.delete_tag(self.backend, self._viewer(request), image_id, tag)
        return webob.Response(status=204)

    def list_members(self, request: webob.Request, image_id: str) -> webob.Response:
        found = members.listing(self.backend, self._viewer(request), image_id)
        return json_response(
            {
                "members": [members.view(image_id, pid, m) for pid, m in found],
                "schema": "/v2/schemas/members",
            }
        )

    def add_member(self, request: webob.Request, image_id: str) -> webob.Response:
        body = body_of(request)
        member = members.add(self.backend, self._viewer(request), image_id, body)
        return json_response(members.view(image_id, str(body["member"]), member))

    def show_member(self, request: webob.Request, image_id: str, member_id: str) -> webob.Response:
        member = members.show(self.backend, self._viewer(request), image_id, member_id)
        return json_response(members.view(image_id, member_id, member))

    def update_member(
        self, request: webob.Request, image_id: str, member_id: str
    ) -> webob.Response:
        body = body_of(request)
        member = members.update(self.backend, self._viewer(request), image_id, member_id, body)
        return json_response(members.view(image_id, member_id, member))

    def delete_member(
        self, request: webob.Request, image_id: str, member_id: str
    ) -> webob.Response:
        members.delete(self.backend, self._viewer(request), image_id, member_id)
        return webob.Response(status=204)

    @staticmethod
    def _view(image: Image) -> dict[str, Any]:
        """``_format_image``: the extra properties, then the attributes, then the links;
        extras that are ``None`` show as ``""`` (``glance/schema.py`` ``filter``)."""
        known = SCHEMA_PROPERTIES
        view: dict[str, Any] = {
            k: ("" if v is None and k not in known else v) for k, v in image.properties.items()
        }
        for key in ATTRIBUTES:
            view[key] = getattr(image, key)
        view["id"] = image.id
        view["created_at"] = image.created_at
        view["updated_at"] = image.updated_at
        view["tags"] = list(image.tags)
        view["self"] = f"/v2/images/{image.id}"
        view["file"] = f"/v2/images/{image.id}/file"
        view["schema"] = "/v2/schemas/image"
        return view
