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
