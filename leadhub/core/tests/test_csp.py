"""Every page LeadHub renders works under the strict Content-Security-Policy: no inline
script, no style element or attribute, no inline event handler.

The browser would silently refuse such code (the page would look or act broken), so
each GET page of the permission matrix is rendered for every persona allowed to open
it, and its HTML is read with the standard library's parser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from leadhub.core.tests.matrix import Row, client_signed_in_as
from leadhub.core.tests.test_permission_matrix import ROWS as MATRIX_ROWS

# Attributes whose value is a URL: a javascript: URL there is inline script.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction"})
# Data blocks are never executed, so CSP allows them (Django's json_script makes them).
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})


class InlineCodeFinder(HTMLParser):
    """Collects every piece of HTML that a no-inline CSP would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        line, _ = self.getpos()
        element = f'{tag} class="{attributes["class"]}"' if attributes.get("class") else tag
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").strip().lower()
            if kind not in DATA_SCRIPT_TYPES:
                self.problems.append(f"line {line}: inline <script> without src")
        if tag == "style":
            self.problems.append(f"line {line}: <style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"line {line}: style attribute on <{element}>")
            elif name.startswith("on"):
                self.problems.append(f"line {line}: {name} handler on <{element}>")
            elif name.startswith(("hx-on", "data-hx-on")):
                # htmx runs these through eval, which the CSP and htmx's config refuse.
                self.problems.append(f"line {line}: {name} attribute on <{element}>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: javascript: URL in {name} on <{element}>")

    handle_startendtag = handle_starttag


def inline_code_in(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def may_be_200(status: int | tuple[int, ...]) -> bool:
    return 200 in (status if isinstance(status, tuple) else (status,))


PAGES = [
    row for row in MATRIX_ROWS if row.method == "GET" and any(map(may_be_200, row.expect.values()))
]


@pytest.mark.django_db
@pytest.mark.parametrize("row", PAGES, ids=lambda row: row.url_name)
def test_every_page_works_under_the_strict_csp(row: Row, world: Any) -> None:
    built = row.args(world)
    url = (
        reverse(row.url_name, kwargs=built)
        if isinstance(built, dict)
        else reverse(row.url_name, args=built)
    )
    problems: list[str] = []
    for persona, status in row.expect.items():
        if not may_be_200(status):
            continue
        client = client_signed_in_as(world.persona(persona))
        cache.clear()
        with transaction.atomic():
            response = client.get(url, row.data(world))
            transaction.set_rollback(True)
        if status == 200 and response.status_code != 200:
            # A page skipped here would go unchecked: the matrix says it opens.
            problems.append(f"{persona}: expected 200, got {response.status_code}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue  # a redirect, a download or JSON: no HTML to check
        problems += [
            f"{persona}: {problem}" for problem in inline_code_in(response.content.decode())
        ]
    assert not problems, f"{url} has inline code the CSP refuses:\n" + "\n".join(problems)


def test_the_checker_finds_an_inline_script() -> None:
    page = "<html><body><p>Hi</p>\n<script>document.title = 'x'</script></body></html>"
    assert inline_code_in(page) == ["line 2: inline <script> without src"]


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<style>p { color: red }</style>", "<style> element"),
        ('<p style="color: red">Hi</p>', "style attribute on <p>"),
        ('<p class="note" style="margin: 0">Hi</p>', 'style attribute on <p class="note">'),
        ('<script class="x">go()</script>', "inline <script> without src"),
        ('<button onclick="go()">Go</button>', "onclick handler on <button>"),
        ('<img src="/x.png" onerror="steal()">', "onerror handler on <img>"),
        ('<form hx-on:submit="go()"></form>', "hx-on:submit attribute on <form>"),
        ('<a href=" JavaScript:go()">Go</a>', "javascript: URL in href on <a>"),
        ('<script type="module">go()</script>', "inline <script> without src"),
        ('<script src="">go()</script>', "inline <script> without src"),
    ],
)
def test_the_checker_finds_each_kind_of_inline_code(html: str, problem: str) -> None:
    assert inline_code_in(html) == [f"line 1: {problem}"]


def test_the_checker_accepts_external_scripts_stylesheets_and_data_blocks() -> None:
    page = (
        '<link rel="stylesheet" href="/static/leadhub/leadhub.css">'
        '<script src="/static/leadhub/leadhub.js" defer></script>'
        '<script id="data" type="application/json">{"n": 1}</script>'
        '<a href="/schools/1/" class="button" data-online="yes">Open</a>'
    )
    assert inline_code_in(page) == []
