"""The documentation page, the schema endpoint and the schema's own quality."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from leadhub.api.schema_docs import api_schema, operations

pytestmark = pytest.mark.django_db


def test_the_schema_generates_without_a_warning(tmp_path) -> None:
    out = StringIO()
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stderr=out,
    )
    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    assert "/api/v1/hubs/" in schema["paths"]


def test_every_operation_documents_its_answers() -> None:
    for op in operations(api_schema()):
        statuses = {r.status for r in op.responses}
        assert {"200", "401", "403"} <= statuses, op.path
        assert "404" in statuses or op.path.endswith("/me/"), op.path
        assert op.summary, op.path


def test_the_docs_page_lists_every_path_and_method(world, client_for) -> None:
    schema = api_schema()
    response = client_for("teacher").get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    for path, item in schema["paths"].items():
        for method in item:
            anchor = slugify(f"{method.upper()} {path.replace('/', ' ')}")
            assert f'<section class="card api-operation" id="{anchor}"' in html, anchor
            assert f'href="#{anchor}"' in html
        assert f'<code class="api-path">{path}</code>' in html
    assert len(response.context["operations"]) == sum(len(i) for i in schema["paths"].values())
    assert html.count("<h1") == 1
    assert "<script" not in html.split("</head>")[1]
    assert "style=" not in html


def test_the_docs_page_shows_parameters_and_nested_fields(world, client_for) -> None:
    html = client_for("teacher").get(reverse("api:docs")).content.decode()
    assert "<code>district (query)</code>" in html
    assert "<code>results[].profiles[].enrollment</code>" in html
    assert "<code>results[].roles[].school</code>" in html
    assert "string, one of: PK, KG, 01" in html
    assert 'href="/api/schema/?format=json"' in html


def test_the_schema_downloads_for_signed_in_people_only(world, client_for) -> None:
    response = client_for("teacher").get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "LeadHub API"
    assert Client().get(reverse("api:schema")).status_code == 401
