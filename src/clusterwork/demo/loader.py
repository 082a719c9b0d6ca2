"""The demo loader: every organisation described in the seed documents, built through the
services.

``load_demo()`` fills the school directory from the real GIAS England file, then runs the
demo steps in order inside one transaction, so a failed step leaves no half-built demo behind
(and the "already loaded" check stays truthful). The organisations' steps are this app's own
modules; each app adds its step in its ``demo.py`` (see ``clusterwork.core.demo``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from clusterwork.core import demo

DEMO_DOMAIN = "demo.clusterwork.test"
DEMO_PASSWORD = "clusterwork-demo"
# The demo is "loaded" once this programme exists (it is the first organisation built).
MARKER_PROGRAMME = "Bourne Education Trust clusters"

_ORGANISATIONS = ("personas", "bourne", "board_trust", "science", "sport")


@dataclass(frozen=True)
class SchoolPoint:
    pk: int
    urn: int
    name: str
    phase: str
    la: str
    town: str
    easting: int
    northing: int
    open_date: dt.date | None

    def distance_to(self, other: SchoolPoint) -> float:
        return math.hypot(self.easting - other.easting, self.northing - other.northing)


class SchoolIndex:
    """The open schools that have a location, loaded once, for choosing real neighbours."""

    def __init__(self):
        from clusterwork.schools.models import School

        rows = (
            School.objects.filter(status__startswith="Open", easting__isnull=False)
            .exclude(northing__isnull=True)
            .values_list(
                "pk",
                "urn",
                "name",
                "phase",
                "local_authority__name",
                "town",
                "easting",
                "northing",
                "open_date",
            )
            .order_by("urn")
        )
        self.points = [
            SchoolPoint(pk, urn, name, phase or "", la or "", town or "", east, north, opened)
            for pk, urn, name, phase, la, town, east, north, opened in rows
        ]
        self.by_urn = {point.urn: point for point in self.points}

    def first(self, *, la: str, phase: str, town: str = "", exclude=()) -> SchoolPoint:
        """The lowest-URN open school of ``phase`` in ``la`` (and ``town``): a stable anchor."""
        for point in self.points:
            if (
                point.la == la
                and point.phase == phase
                and point.pk not in exclude
                and (not town or point.town == town)
            ):
                return point
        raise LookupError(f"No open {phase.lower()} school in {town or la} in the directory.")

    def nearest(
        self, anchor: SchoolPoint, count: int, *, phases=None, la: str = "", exclude=()
    ) -> list[SchoolPoint]:
        """The ``count`` schools nearest ``anchor`` (not counting it), by grid distance."""
        candidates = [
            point
            for point in self.points
            if point.pk != anchor.pk
            and point.pk not in exclude
            and (phases is None or point.phase in phases)
            and (not la or point.la == la)
        ]
        candidates.sort(key=lambda point: (anchor.distance_to(point), point.urn))
        if len(candidates) < count:
            raise LookupError(f"Only {len(candidates)} schools near {anchor.name}.")
        return candidates[:count]


@dataclass
class DemoContext:
    actor: Any
    write: Callable[[str], None]
    schools: SchoolIndex
    # Objects later steps need, e.g. "science.programme", "bourne.clusters" (a name → Cluster dict).
    objects: dict[str, Any] = field(default_factory=dict)
    _people: Any = None

    @property
    def people(self):
        if self._people is None:
            from .personas import PeopleMaker

            self._people = PeopleMaker(actor=self.actor)
        return self._people

    def school(self, point: SchoolPoint):
        from clusterwork.schools.models import School

        return School.objects.get(pk=point.pk)


@dataclass
class DemoReport:
    already_loaded: bool
    lines: list[str] = field(default_factory=list)


def registered_steps() -> list[demo.DemoStep]:
    """The organisations' steps and every app's ``demo.py`` step, in order."""
    import importlib

    from django.utils.module_loading import autodiscover_modules

    for module in _ORGANISATIONS:
        importlib.import_module(f"clusterwork.demo.{module}")
    autodiscover_modules("demo")
    return demo.steps()


def demo_loaded() -> bool:
    from clusterwork.clusters.models import Programme

    return Programme.objects.filter(name=MARKER_PROGRAMME).exists()


def ensure_directory(
    *, force_reimport: bool, write: Callable[[str], None], progress: bool, path=None
) -> None:
    """Import the GIAS England file unless the directory already holds schools."""
    from clusterwork.schools.importer import england_file_path, import_gias
    from clusterwork.schools.models import School

    existing = School.objects.count()
    if existing and not force_reimport:
        write(
            f"School directory: {existing} schools already imported "
            "(use --force-reimport to import the GIAS file again)."
        )
        return
    source = path or england_file_path()
    write(f"School directory: importing {source} …")
    result = import_gias(source, progress=progress)
    write(f"School directory: {result.summary()}")


def load_demo(
    *,
    write: Callable[[str], None] = print,
    force_reimport: bool = False,
    progress: bool = False,
    path=None,
) -> DemoReport:
    """Load the demo once; on later runs only (optionally) re-import GIAS and list the logins."""
    from .personas import ensure_staff_admin, print_logins

    loaded = demo_loaded()
    if not loaded or force_reimport:
        ensure_directory(force_reimport=force_reimport, write=write, progress=progress, path=path)
    report = DemoReport(already_loaded=loaded)
    if loaded:
        write("Demo already loaded; nothing else to do.")
    else:
        with transaction.atomic():
            ctx = DemoContext(actor=ensure_staff_admin(), write=write, schools=SchoolIndex())
            for step in registered_steps():
                line = step.func(ctx)
                if line:
                    report.lines.append(line)
                    write(line)
        write(f"Demo loaded: {len(report.lines)} steps.")
    write("")
    print_logins(write)
    return report
