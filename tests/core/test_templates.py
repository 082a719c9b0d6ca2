"""Template hygiene: Django's ``{# … #}`` comments end at the end of their line, so a
comment written over several lines would be shown on the page."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "clusterwork"


def test_no_template_has_a_comment_over_several_lines():
    broken = [
        f"{path.relative_to(SRC)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in SRC.rglob("*.html")
        for text in [path.read_text(encoding="utf-8")]
        for match in re.finditer(r"\{#[^\n]*\n", text)
        if "#}" not in match.group(0)
    ]
    assert broken == [], "use {% comment %} for comments longer than a line"


def test_table_tag_wraps_rows_with_headings_and_caption():
    from django.template import engines

    page = engines["django"].from_string(
        '{% load cw %}{% table "Area" heading caption=title %}'
        "{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}{% endtable %}"
    )
    html = page.render({"heading": "Mean <rating>", "title": "Needs", "rows": ["Planning"]})
    assert html == (
        '<div class="table-wrap"><table><caption>Needs</caption><thead><tr>'
        '<th scope="col">Area</th><th scope="col">Mean &lt;rating&gt;</th></tr></thead>'
        "<tbody><tr><td>Planning</td></tr></tbody></table></div>"
    )
    assert "<caption>" not in engines["django"].from_string(
        '{% load cw %}{% table "Area" %}{% endtable %}'
    ).render({})
