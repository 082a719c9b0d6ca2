"""Presentation helpers every app's templates share: dates of dated rows, and the tabs and
sections other apps register for a page (``core.registry``)."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from clusterwork.core import registry

register = template.Library()


@register.filter
def dated(row) -> str:
    """“from 1 Sep 2024” / “1 Sep 2024 – 31 Aug 2025” for dated rows (end is exclusive)."""
    start, end = row.start, row.end
    if end is None:
        return f"from {start:%-d %b %Y}"
    return f"{start:%-d %b %Y} – {end:%-d %b %Y}"


@register.simple_tag
def today():
    return timezone.localdate()


@register.inclusion_tag("partials/tabs.html", takes_context=True)
def page_tabs(context, page: str, obj, label: str = ""):
    """The tabs the apps registered for ``page`` (e.g. "cluster"), as ``obj``'s user may see."""
    label = label or f"Running this {page}"
    return {"tabs": registry.tabs_for(page, context["request"], obj), "label": label}


@register.simple_tag(takes_context=True)
def page_sections(context, page: str, obj):
    """The sections the apps registered for ``page``, each rendered with its own context."""
    request = context["request"]
    parts = [
        render_to_string(template_name, {**section_context, "object": obj}, request=request)
        for template_name, section_context in registry.sections_for(page, request, obj)
    ]
    return mark_safe("".join(parts))


class TableNode(template.Node):
    def __init__(self, headings, caption, body):
        self.headings, self.caption, self.body = headings, caption, body

    def render(self, context):
        caption = self.caption.resolve(context) if self.caption else ""
        headings = [heading.resolve(context) for heading in self.headings]
        return format_html(
            '<div class="table-wrap"><table>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
            "</div>",
            format_html("<caption>{}</caption>", caption) if caption else "",
            format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headings)),
            self.body.render(context),
        )


@register.tag
def table(parser, token):
    """``{% table "Area" "Mean rating" caption="…" %}<tr>…</tr>{% endtable %}``: a table in
    its scrolling wrapper, with a caption, a header row of these column headings and, as its
    body, the rows written inside the tag."""
    bits = token.split_contents()[1:]
    caption = next((b for b in bits if b.startswith("caption=")), None)
    headings = [parser.compile_filter(b) for b in bits if b is not caption]
    body = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(headings, caption and parser.compile_filter(caption[8:]), body)


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str):
    """A column heading that sorts a ``ScopedListView`` by ``key`` (again: the other way)."""
    request, current = context["request"], context.get("sort", "")
    ascending = current == key
    query = request.GET.copy()
    query["sort"] = f"-{key}" if ascending else key
    query.pop("page", None)
    state = "ascending" if ascending else "descending" if current == f"-{key}" else "none"
    arrow = {"ascending": " ▲", "descending": " ▼", "none": ""}[state]
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}" class="sort">{}{}</a></th>',
        state,
        query.urlencode(),
        label,
        arrow,
    )


@register.inclusion_tag("partials/exports.html", takes_context=True)
def export_links(context):
    """“Download CSV · XLSX” of exactly the rows the list shows, with its filters."""
    request = context["request"]
    links = []
    for fmt in context.get("exports", ()):
        query = request.GET.copy()
        query["export"] = fmt
        query.pop("page", None)
        links.append((fmt.upper(), f"?{query.urlencode()}"))
    return {"links": links}
