"""What an app adds to pages it does not own: tabs of a page, sections on it, menu links.

The cluster page does not know which apps exist. Each app declares, in its ``apps.py``,
what it adds, and ``ContributingApp.ready()`` registers it::

    class MeetingsConfig(ContributingApp):
        name = "clusterwork.meetings"
        tabs = {"cluster": [Tab("Meetings", "meetings:cluster_meetings", order=10)]}
        links = {"account": [Link("My meetings", "meetings:my_invitations")]}

(``add_tab``, ``add_section``, ``add_link`` and ``add_filter_field`` do the same by hand), and
the page's template asks for them: ``{% page_tabs "cluster" cluster %}``,
``{% page_sections "school" school %}``; the menus come from the ``menus`` context
processor. A new app adds its tab without editing ``clusters``.

Pages in use: ``cluster``, ``programme`` (tabs); ``home`` (sections); menus ``main`` and
``account``; list filters: ``school_list``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import AppConfig
from django.urls import reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Tab:
    label: str
    url_name: str
    order: int = 50
    # Shown only to users who hold this permission on the page's object.
    permission: str | None = None
    # Other pages (URL names) on which this tab is the current one, e.g. a goal's page
    # belongs to the "Vision, goals and projects" tab.
    also_current: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    template: str
    # context(request, obj) → the section's context, or None when it has nothing to show;
    # or its dotted path, so that apps.py need not import models before the apps are ready.
    context: Callable | str
    order: int = 50


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    order: int = 50


@dataclass(frozen=True)
class FilterField:
    """A filter another app adds to a list's form (the list's selector applies it)."""

    name: str
    # field(request) → the form field, e.g. a choice of the clusters the user may see.
    field: Callable
    order: int = 50


@dataclass(frozen=True)
class ShownTab:
    label: str
    url: str
    current: bool


@dataclass
class _Registry:
    tabs: dict[str, list[Tab]] = field(default_factory=lambda: defaultdict(list))
    sections: dict[str, list[Section]] = field(default_factory=lambda: defaultdict(list))
    links: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    filters: dict[str, list[FilterField]] = field(default_factory=lambda: defaultdict(list))


_registry = _Registry()


def _add(entries: list, entry) -> None:
    # ready() may run twice (tests, autoreload): register each entry once.
    if entry not in entries:
        entries.append(entry)
        entries.sort(key=lambda e: e.order)


def add_tab(page: str, tab: Tab) -> None:
    _add(_registry.tabs[page], tab)


def add_section(page: str, section: Section) -> None:
    _add(_registry.sections[page], section)


def add_link(menu: str, link: Link) -> None:
    _add(_registry.links[menu], link)


def add_filter_field(list_name: str, filter_field: FilterField) -> None:
    _add(_registry.filters[list_name], filter_field)


def tabs_for(page: str, request, obj) -> list[ShownTab]:
    here = getattr(request.resolver_match, "view_name", "")
    shown = []
    for tab in _registry.tabs[page]:
        if tab.permission and not request.user.has_perm(tab.permission, obj):
            continue
        shown.append(
            ShownTab(
                label=tab.label,
                url=reverse(tab.url_name, args=[obj.pk]),
                current=here == tab.url_name or here in tab.also_current,
            )
        )
    return shown


def sections_for(page: str, request, obj) -> list[tuple[str, dict]]:
    shown = []
    for section in _registry.sections[page]:
        make = section.context
        context = (import_string(make) if isinstance(make, str) else make)(request, obj)
        if context is not None:
            shown.append((section.template, context))
    return shown


def links_for(menu: str) -> list[Link]:
    return list(_registry.links[menu])


def filter_fields_for(list_name: str, request) -> list[tuple[str, object]]:
    return [(f.name, f.field(request)) for f in _registry.filters[list_name]]


class ContributingApp(AppConfig):
    """The ``AppConfig`` of an app that adds tabs, sections and menu links to pages it does not
    own: declare them (page or menu → entries) and ``ready()`` registers them."""

    # Not an app of its own: Django picks the one AppConfig of an apps.py that imports this
    # base, because only the subclass is a default.
    default = False
    tabs: dict[str, list[Tab]] = {}
    sections: dict[str, list[Section]] = {}
    links: dict[str, list[Link]] = {}
    # What the app holds about people (core.personal_data): subject access and erasure.
    personal_data: list = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = cls.__dict__.get("default", True)

    def ready(self):
        for page, tabs in self.tabs.items():
            for tab in tabs:
                add_tab(page, tab)
        for page, sections in self.sections.items():
            for section in sections:
                add_section(page, section)
        for menu, links in self.links.items():
            for link in links:
                add_link(menu, link)
        from . import personal_data

        for entry in self.personal_data:
            personal_data.register(entry)
