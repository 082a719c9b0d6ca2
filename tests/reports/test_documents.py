"""The reports as PDF: non-empty pages with their charts, rendered to PNG with pdftoppm
(poppler-utils, installed by ``make test``) and checked to have drawn something."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

PDFTOPPM = shutil.which("pdftoppm")
# Skipped only off CI: on CI a missing pdftoppm fails the tests.
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None and not os.environ.get("CI"),
    reason="pdftoppm (poppler-utils) is missing: `make pdftools` installs it",
)


def _pages(pdf: bytes, tmp_path: Path) -> list[Path]:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page*.png"))


def _inked(png: Path) -> float:
    """The share of the page that is not white: text, tables and charts."""
    image = Image.open(png).convert("L")
    pixels = list(image.getdata())
    return sum(1 for p in pixels if p < 230) / len(pixels)


def _pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response.content


@needs_pdftoppm
def test_cluster_annual_report_pdf_has_inked_pages(trust_world, login, tmp_path):
    w = trust_world
    client = login(w.users.coordinator)
    html = client.get(reverse("reports:cluster_report", args=[w.alpha.pk, "html"]))
    text = html.content.decode()
    assert "Annual impact report" in text and "Fair tests" in text and "<svg" in text
    assert "Beta" not in text
    pages = _pages(
        _pdf(client, reverse("reports:cluster_report", args=[w.alpha.pk, "pdf"])), tmp_path
    )
    assert pages
    assert all(_inked(page) > 0.01 for page in pages)


@needs_pdftoppm
def test_board_pack_has_a_summary_and_a_page_per_cluster(trust_world, login, tmp_path):
    w = trust_world
    client = login(w.users.trust_admin)
    text = client.get(reverse("reports:board_pack", args=[w.trust.pk, "html"])).content.decode()
    assert "Trust summary" in text and text.count('class="page"') == 2  # alpha and beta
    assert "Gamma" not in text
    pages = _pages(_pdf(client, reverse("reports:board_pack", args=[w.trust.pk, "pdf"])), tmp_path)
    assert len(pages) >= 3
    assert all(_inked(page) > 0.01 for page in pages)


@needs_pdftoppm
def test_programme_annual_report_across_cohorts(trust_world, login, tmp_path):
    w = trust_world
    client = login(w.users.programme_admin)
    url = reverse("reports:programme_report", args=[w.science.pk, "html"])
    text = client.get(url).content.decode()
    assert "Cohorts" in text and "Alpha" in text and "Gamma" not in text
    pdf = _pdf(client, reverse("reports:programme_report", args=[w.science.pk, "pdf"]))
    pages = _pages(pdf, tmp_path)
    assert pages and all(_inked(page) > 0.01 for page in pages)
