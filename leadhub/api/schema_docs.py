"""The generated OpenAPI schema, read into plain rows for the documentation page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.utils.text import slugify
from drf_spectacular.generators import SchemaGenerator

from leadhub.api.versioning import CURRENT_VERSION

Schema = dict[str, Any]
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# Deep enough for a paginated list of schools with their yearly profiles.
MAX_DEPTH = 4


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class ResponseDoc:
    status: str
    reason: str
    description: str
    fields: list[FieldDoc]


@dataclass(frozen=True)
class OperationDoc:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[FieldDoc]
    responses: list[ResponseDoc]

    @property
    def anchor(self) -> str:
        return slugify(f"{self.method} {self.path.replace('/', ' ')}")


def api_schema() -> Schema:
    """The OpenAPI schema of the current version, as the schema endpoint serves it."""
    return SchemaGenerator(api_version=CURRENT_VERSION).get_schema(request=None, public=True)


def operations(schema: Schema) -> list[OperationDoc]:
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                found.append(_operation(path, method, item[method], components))
    return found


def _operation(path: str, method: str, operation: Schema, components: Schema) -> OperationDoc:
    return OperationDoc(
        method=method.upper(),
        path=path,
        summary=operation.get("summary", ""),
        description=operation.get("description", ""),
        parameters=[
            FieldDoc(
                name=f"{p['name']} ({p['in']})",
                type=_type_label(_resolve(p.get("schema", {}), components), components),
                required=bool(p.get("required")),
                description=p.get("description", ""),
            )
            for p in operation.get("parameters", [])
        ],
        responses=[
            _response(status, response, components)
            for status, response in sorted(operation.get("responses", {}).items())
        ],
    )


def _response(status: str, response: Schema, components: Schema) -> ResponseDoc:
    media: list[Schema] = list(response.get("content", {}).values())
    body = media[0].get("schema") if media else None
    fields = list(_fields(_resolve(body, components), components)) if body else []
    try:
        reason = HTTPStatus(int(status)).phrase
    except ValueError:
        reason = ""
    return ResponseDoc(
        status=status, reason=reason, description=response.get("description", ""), fields=fields
    )


def _resolve(schema: Schema, components: Schema) -> Schema:
    """Follow ``$ref`` and single-item ``allOf``/``oneOf`` wrappers, keeping ``nullable``."""
    nullable = bool(schema.get("nullable"))
    while True:
        if "$ref" in schema:
            schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
            continue
        wrapped = schema.get("allOf") or schema.get("oneOf")
        if wrapped:
            real = [s for s in wrapped if _resolve_ref(s, components).get("enum") != [None]]
            nullable = nullable or len(real) < len(wrapped)
            if len(real) == 1:
                schema = {**real[0], "description": schema.get("description", "")}
                continue
        break
    return {**schema, "nullable": nullable or bool(schema.get("nullable"))}


def _resolve_ref(schema: Schema, components: Schema) -> Schema:
    if "$ref" in schema:
        return components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _type_label(schema: Schema, components: Schema) -> str:
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if "type" not in schema and alternatives:
        kinds = sorted({_type_label(_resolve(a, components), components) for a in alternatives})
        label = " or ".join(kinds)
        return f"{label}, or null" if schema.get("nullable") else label
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if kind == "array":
        label = f"list of {_type_label(_resolve(schema.get('items', {}), components), components)}"
    elif "enum" in schema:
        values = ", ".join(str(v) for v in schema["enum"] if v not in (None, ""))
        label = f"{kind}, one of: {values}"
    elif "format" in schema:
        label = f"{kind} ({schema['format']})"
    else:
        label = str(kind)
    return f"{label}, or null" if schema.get("nullable") else label


def _fields(
    schema: Schema, components: Schema, prefix: str = "", depth: int = 0
) -> Iterator[FieldDoc]:
    """Every field of a response body, nested ones named ``outer.inner`` or ``list[].inner``."""
    if depth >= MAX_DEPTH:
        return
    if schema.get("type") == "array":
        items = _resolve(schema.get("items", {}), components)
        yield from _fields(items, components, f"{prefix}[].", depth + 1)
        return
    required = set(schema.get("required", []))
    for name, raw in schema.get("properties", {}).items():
        field = _resolve(raw, components)
        full_name = f"{prefix}{name}"
        yield FieldDoc(
            name=full_name,
            type=_type_label(field, components),
            required=name in required,
            description=_description(raw, field),
        )
        nested, separator = field, "."
        if field.get("type") == "array":
            nested, separator = _resolve(field.get("items", {}), components), "[]."
        if "properties" in nested or isinstance(nested.get("additionalProperties"), dict):
            yield from _fields(nested, components, f"{full_name}{separator}", depth + 1)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield FieldDoc(
            name=f"{prefix}<name>",
            type=_type_label(_resolve(extra, components), components),
            required=False,
            description="One entry for each name that applies.",
        )


def _description(raw: Schema, resolved: Schema) -> str:
    """The field's own help text, else its title; an enum's list of choices is in its type."""
    text = raw.get("description") or resolved.get("description") or ""
    text = "" if text.startswith("* `") else text.split("\n\n* `")[0]
    return text or raw.get("title") or resolved.get("title") or ""
