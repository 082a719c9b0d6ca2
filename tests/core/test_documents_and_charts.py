"""core.documents prints a template to PDF without the network; core.charts draws SVG with the
table of figures behind it."""

from decimal import Decimal

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory

from clusterwork.core import charts, documents


def test_pdf_of_a_template_is_a_pdf_and_html_is_the_same_page(tmp_path, settings):
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "doc.html").write_text(
        '<html><head><link rel="stylesheet" href="/static/clusterwork/app.css">'
        '<img src="https://tile.openstreetmap.org/1/1/1.png"></head>'
        "<body><h1>{{ title }}</h1>{% if printing %}<p>printed</p>{% endif %}</body></html>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    request = RequestFactory().get("/")
    pdf = documents.document_response(
        request, "doc.html", {"title": "Minutes"}, filename="Board minutes 4 Nov", fmt="pdf"
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="board-minutes-4-nov.pdf"' in pdf["Content-Disposition"]
    page = documents.document_response(
        request, "doc.html", {"title": "Minutes"}, filename="x", fmt="html"
    )
    assert "<h1>Minutes</h1>" in page.content.decode()
    assert "printed" not in page.content.decode()
    assert "Content-Disposition" not in page


def test_other_formats_are_not_found():
    with pytest.raises(Http404):
        documents.document_response(
            RequestFactory().get("/"), "x.html", {}, filename="x", fmt="docx"
        )


def test_fetcher_serves_static_files_and_refuses_the_network():
    fetcher = documents._static_only_fetcher()
    found = fetcher.fetch("http://clusterwork.invalid/static/clusterwork/app.css")
    assert b"{" in found.read()
    with pytest.raises(ValueError, match="not fetched"):
        fetcher.fetch("https://tile.openstreetmap.org/1/1/1.png")


def test_line_chart_is_static_svg_with_its_figures_in_a_table():
    chart = charts.line(
        "Spend by term",
        ["Aut 25", "Spr 26", "Sum 26"],
        {"Part A": [Decimal("120.50"), None, 300], "Part B": [0, 10, 20]},
        y_title="£",
    )
    assert chart.svg.startswith("<svg")
    assert "<script" not in chart.svg  # no CDN script: it prints and works offline
    assert "Spend by term" in chart.svg
    assert chart.headings == ["", "Part A", "Part B"]
    assert chart.rows[0] == ["Aut 25", Decimal("120.50"), 0]
    assert chart.rows[1][1] is None
    html = render_to_string("partials/chart.html", {"chart": chart})
    assert '<th scope="row">Aut 25</th>' in html
    assert "<td>120.50</td>" in html
    assert "<td>—</td>" in html


def test_series_must_match_the_labels():
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        charts.bar("x", ["a", "b", "c"], {"s": [1, 2]})
