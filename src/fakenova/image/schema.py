"""Glance's image schema: what ``GET /v2/schemas/image`` returns and what create and PATCH
validate against (``glance/api/v2/images.py`` ``get_base_properties`` and ``get_schema``,
``glance/schema.py`` ``PermissiveSchema``).

Devstack installs Glance's ``etc/schema-image.json``, so its custom properties (``kernel_id``,
``instance_uuid``, ``os_distro`` ...) are part of the schema, flagged ``"is_base": false``. The
descriptions are data a client receives; a refused body's message quotes the failing
sub-schema (Glance words its 400 with jsonschema's full ``str`` of the error), so the
dictionaries keep Glance's key order.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema

# glance/common/config.py [image_format] defaults (devstack keeps them for libvirt/kvm).
CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]
DISK_FORMATS = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"]
UUID_PATTERN = (
    "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"
)


def _ro(kind: Any, description: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "readOnly": True, "description": description, **extra}


def base_properties() -> dict[str, Any]:
    """A fresh copy each time: jsonschema must never see one dictionary shared by two schemas."""
    return {
        "id": {
            "type": "string",
            "description": "An identifier for the image",
            "pattern": UUID_PATTERN,
        },
        "name": {
            "type": ["null", "string"],
            "description": "Descriptive name for the image",
            "maxLength": 255,
        },
        "status": {
            "type": "string",
            "readOnly": True,
            "description": "Status of the image",
            "enum": [
                "queued",
                "saving",
                "active",
                "killed",
                "deleted",
                "uploading",
                "importing",
                "pending_delete",
                "deactivated",
            ],
        },
        "visibility": {
            "type": "string",
            "description": "Scope of image accessibility",
            "enum": ["community", "public", "private", "shared"],
        },
        "protected": {"type": "boolean", "description": "If true, image will not be deletable."},
        "os_hidden": {
            "type": "boolean",
            "description": "If true, image will not appear in default image list response.",
        },
        "checksum": _ro(["null", "string"], "md5 hash of image contents.", maxLength=32),
        "os_hash_algo": _ro(
            ["null", "string"], "Algorithm to calculate the os_hash_value", maxLength=64
        ),
        "os_hash_value": _ro(
            ["null", "string"],
            "Hexdigest of the image contents using the algorithm specified by the os_hash_algo",
            maxLength=128,
        ),
        "owner": {
            "type": ["null", "string"],
            "description": "Owner of the image",
            "maxLength": 255,
        },
        "size": _ro(["null", "integer"], "Size of image file in bytes"),
        "virtual_size": _ro(["null", "integer"], "Virtual size of image in bytes"),
        "container_format": {
            "type": ["null", "string"],
            "description": "Format of the container",
            "enum": [None, *CONTAINER_FORMATS],
        },
        "disk_format": {
            "type": ["null", "string"],
            "description": "Format of the disk",
            "enum": [None, *DISK_FORMATS],
        },
        "created_at": _ro("string", "Date and time of image registration"),
        "updated_at": _ro("string", "Date and time of the last image modification"),
        "tags": {
            "type": "array",
            "description": "List of strings related to the image",
            "items": {"type": "string", "maxLength": 255},
        },
        "direct_url": _ro("string", "URL to access the image file kept in external store"),
        "min_ram": {
            "type": "integer",
            "description": "Amount of ram (in MB) required to boot image.",
        },
        "min_disk": {
            "type": "integer",
            "description": "Amount of disk space (in GB) required to boot image.",
        },
        "self": _ro("string", "An image self url"),
        "file": _ro("string", "An image file url"),
        "stores": _ro(
            "string",
            "Store in which image data resides.  Only present when the operator has enabled "
            "multiple stores.  May be a comma-separated list of store identifiers.",
        ),
        "schema": _ro("string", "An image schema url"),
        "locations": _locations(),
    }


def _locations() -> dict[str, Any]:
    validation = {
        "description": "Values to be used to populate the corresponding image properties. If "
        "the image status is not 'queued', values must exactly match those already contained "
        "in the image properties.",
        "type": "object",
        "writeOnly": True,
        "additionalProperties": False,
        "properties": {
            "checksum": {"type": "string", "minLength": 32, "maxLength": 32},
            "os_hash_algo": {"type": "string", "maxLength": 64},
            "os_hash_value": {"type": "string", "maxLength": 128},
        },
        "required": ["os_hash_algo", "os_hash_value"],
    }
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "url": {"type": "string", "maxLength": 255},
                "metadata": {"type": "object"},
                "validation_data": validation,
            },
            "required": ["url", "metadata"],
        },
        "description": "A set of URLs to access the image file kept in external store",
    }


_PROPERTY_KEYS = "https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html"


def custom_properties() -> dict[str, Any]:
    """Glance's ``etc/schema-image.json``, as devstack installs it, marked as not base."""
    custom: dict[str, Any] = {
        "kernel_id": {
            "type": ["null", "string"],
            "pattern": UUID_PATTERN,
            "description": "ID of image stored in Glance that should be used as the kernel "
            "when booting an AMI-style image.",
        },
        "ramdisk_id": {
            "type": ["null", "string"],
            "pattern": UUID_PATTERN,
            "description": "ID of image stored in Glance that should be used as the ramdisk "
            "when booting an AMI-style image.",
        },
        "instance_uuid": {
            "type": "string",
            "description": "Metadata which can be used to record which instance this image is "
            "associated with. (Informational only, does not create an instance snapshot.)",
        },
        "architecture": {
            "description": f"Operating system architecture as specified in {_PROPERTY_KEYS}",
            "type": "string",
        },
        "os_distro": {
            "description": "Common name of operating system distribution as specified in "
            + _PROPERTY_KEYS,
            "type": "string",
        },
        "os_version": {
            "description": "Operating system version as specified by the distributor.",
            "type": "string",
        },
        "description": {
            "description": "A human-readable string describing this image.",
            "type": "string",
        },
    }
    for value in custom.values():
        value["is_base"] = False
    return custom


def image_schema() -> dict[str, Any]:
    """``PermissiveSchema('image', ...).raw()``: extra properties must be strings."""
    return {
        "name": "image",
        "properties": {**base_properties(), **custom_properties()},
        "additionalProperties": {"type": "string"},
        "links": [
            {"rel": "self", "href": "{self}"},
            {"rel": "enclosure", "href": "{file}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


def images_schema() -> dict[str, Any]:
    """``CollectionSchema('images', ...).raw()`` (``glance/schema.py``)."""
    return {
        "name": "images",
        "properties": {
            "images": {"type": "array", "items": image_schema()},
            "first": {"type": "string"},
            "next": {"type": "string"},
            "schema": {"type": "string"},
        },
        "links": [
            {"rel": "first", "href": "{first}"},
            {"rel": "next", "href": "{next}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


@functools.cache
def _image_validator() -> Any:
    """The validator ``jsonschema.validate`` would build for the image schema, built once:
    ``validate`` checks the schema against its metaschema on every call, which cost a create or
    PATCH about as much as all the rest of the request."""
    schema = image_schema()
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def schema_error(obj: Any) -> str | None:
    """Glance's ``InvalidObject`` sentence for ``obj``, or ``None`` when it is valid (the
    error ``jsonschema.validate`` raises: the best match of the validator's errors)."""
    error = jsonschema.exceptions.best_match(_image_validator().iter_errors(obj))
    if error is None:
        return None
    return f"Provided object does not match schema 'image': {error}"
