"""PDFs from templates: they render, they load only our static files, and nothing else."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from weasyprint import HTML

from leadhub.lib.pdf import FetchRefused, StaticFilesOnly, pdf_document, render_pdf

BASE_URL = "http://testserver/"
LETTER_WIDTH_PX = 8.5 * 96


def page_text(page) -> str:
    def walk(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", []):
            yield from walk(child)

    return " ".join(walk(page._page_box))


def test_a_template_renders_to_a_one_page_pdf_styled_by_the_print_stylesheet() -> None:
    context = {"generated_on": dt.date(2026, 3, 2)}
    document = pdf_document("pdf/base.html", context, base_url=BASE_URL)

    assert len(document.pages) == 1
    # US Letter comes from static/leadhub/print.css, so the stylesheet was served from disk.
    assert document.pages[0].width == pytest.approx(LETTER_WIDTH_PX)
    assert "Made with LeadHub on March 2, 2026" in page_text(document.pages[0])
    pdf = render_pdf("pdf/base.html", context, base_url=BASE_URL)
    assert pdf.startswith(b"%PDF-")


def test_the_fetcher_serves_static_files_and_data_uris() -> None:
    fetcher = StaticFilesOnly(BASE_URL)
    css = fetcher.fetch("http://testserver/static/leadhub/print.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    image = fetcher.fetch("data:image/svg+xml,%3Csvg%2F%3E")
    assert image.read() == b"<svg/>"


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.example.com/pixel.png",
        "http://testserver/accounts/login/",
        "http://testserver/static/../leadhub/settings.py",
        "http://testserver/static/leadhub/missing.css",
        "http://other.test/static/leadhub/print.css",
        "file:///etc/passwd",
        "ftp://testserver/static/leadhub/print.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url: str) -> None:
    with pytest.raises(FetchRefused):
        StaticFilesOnly(BASE_URL).fetch(url)


def test_rendering_a_page_that_links_elsewhere_never_opens_a_connection(monkeypatch) -> None:
    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    html = (
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<img src="https://tracker.example.com/pixel.png" alt="">'
        '<img src="http://169.254.169.254/latest/meta-data" alt="">'
        "<p>Still rendered</p>"
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly(BASE_URL)).render()
    assert "Still rendered" in page_text(document.pages[0])
    assert attempts == []
