"""Documents to print or share: one template, as an HTML page or a PDF (WeasyPrint).

Every report, statement or set of minutes has its own HTML page; the PDF is the same
template printed. WeasyPrint fetches the page's static files (CSS, images) straight from the
static-file finders, never over HTTP, so a PDF renders the same under the test client, behind
a proxy or with no network::

    return document_response(request, "governance/minutes.html", context,
                             filename="minutes-2026-11-04", fmt=fmt)
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

FORMATS = ("html", "pdf")


def _static_only_fetcher():
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    class StaticOnlyFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            prefix = "/" + settings.STATIC_URL.lstrip("/")
            found = path.startswith(prefix) and finders.find(path[len(prefix) :])
            if found:
                with open(found, "rb") as handle:
                    body = handle.read()
                return URLFetcherResponse(
                    url, body, {"Content-Type": mimetypes.guess_type(found)[0] or ""}
                )
            if url.startswith("data:"):
                return super().fetch(url, headers)
            # Anything else (a tile server, a page of the site) is refused, so a PDF never
            # waits on the network; WeasyPrint leaves the image out.
            raise ValueError(f"not fetched when printing: {url}")

    return StaticOnlyFetcher()


def pdf_bytes(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(
        string=html, base_url="http://clusterwork.invalid/", url_fetcher=_static_only_fetcher()
    ).write_pdf()


def document_response(
    request, template: str, context: dict, *, filename: str, fmt: str, attachment: bool = False
) -> HttpResponse:
    """The document as ``fmt`` ("html" or "pdf"); any other format is a 404."""
    if fmt not in FORMATS:
        raise Http404("This document comes as .html or .pdf.")
    html = render_to_string(template, {**context, "printing": fmt == "pdf"}, request)
    name = slugify(filename) or "document"
    if fmt == "pdf":
        response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{name}.html"'
    return response
