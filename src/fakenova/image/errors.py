"""Glance's refusals: the ``webob.exc`` exception its controllers raise, kept as data.

Glance raises webob's HTTP exceptions itself and webob renders them by the request's
``Accept`` (HTML, JSON or plain text), so a refusal carries the status and the two texts webob
takes: ``explanation`` (most of Glance's ``explanation=msg``) or ``detail`` (where Glance
passes the sentence positionally, as in ``HTTPForbidden(msg)``).
"""

from __future__ import annotations


class ImageError(Exception):
    def __init__(
        self,
        status: int,
        explanation: str | None = None,
        *,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(explanation or detail or str(status))
        self.status = status
        self.explanation = explanation
        self.detail = detail
        self.headers = headers or {}


def not_found(image_id: str) -> ImageError:
    """The image repository's answer for an unknown or invisible image (``ImageRepo.get``)."""
    return ImageError(404, f"No image found with ID {image_id}")


def not_authorized(action: str) -> ImageError:
    """oslo.policy's refusal through Glance's ``Forbidden`` (``glance/common/exception.py``)."""
    return ImageError(403, f"You are not authorized to complete {action} action.")
