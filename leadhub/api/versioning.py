"""The API's version comes from its URL namespace: ``api:v1:…`` is version 1."""

from __future__ import annotations

from rest_framework.versioning import NamespaceVersioning

CURRENT_VERSION = "v1"


class ApiVersioning(NamespaceVersioning):
    """Namespace versioning that skips the enclosing ``api`` namespace.

    Without an explicit list of versions, DRF would take ``api`` (the first part of
    ``api:v1``) for the version, and the schema generator would find no default.
    """

    default_version = CURRENT_VERSION
    allowed_versions = frozenset({CURRENT_VERSION})
