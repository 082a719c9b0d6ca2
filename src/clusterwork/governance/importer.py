"""Inspection outcomes from GIAS-derived data: ``gias/derived/school_facts.csv`` (columns
``urn, ofsted_rating, ofsted_date``) or a full GIAS establishments file (``URN``,
``OfstedRating (name)``, ``OfstedLastInsp``).

Each outcome becomes its own row (a school's history of outcomes); an unchanged outcome adds
nothing, a blank rating is "not known" and never invented. Bad input is refused, naming the
file, the line and the field, and nothing is written (one transaction). Schools whose outcome
changed are evaluated against the trusts' intervention triggers at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clusterwork.core.errors import ServiceError
from clusterwork.schools.gias import decode, parse_date
from clusterwork.schools.models import School

from .models import InspectionOutcome, Rating

FACTS_FILE = Path("gias") / "derived" / "school_facts.csv"
# (URN column, rating column, date column) of the formats read.
FORMATS = (
    ("urn", "ofsted_rating", "ofsted_date"),
    ("URN", "OfstedRating (name)", "OfstedLastInsp"),
)
RATINGS = {value.lower(): value for value in Rating.values}
# GIAS spells some grades differently over the years.
RATINGS.update(
    {
        "serious weaknesses": Rating.SERIOUS_WEAKNESSES,
        "special measures": Rating.SPECIAL_MEASURES,
        "inadequate": Rating.SERIOUS_WEAKNESSES,
    }
)


class InspectionImportError(ServiceError):
    pass


@dataclass
class InspectionImport:
    source: str
    rows: int = 0
    recorded: int = 0
    unchanged: int = 0
    unknown: int = 0
    not_in_directory: int = 0
    changed_school_ids: list[int] = field(default_factory=list)
    cases_opened: int = 0

    def summary(self) -> str:
        return (
            f"{self.source}: {self.rows} rows; {self.recorded} outcomes recorded, "
            f"{self.unchanged} unchanged, {self.unknown} with no rating (left unknown), "
            f"{self.not_in_directory} schools not in the directory; "
            f"{self.cases_opened} intervention cases opened."
        )


def facts_path() -> Path:
    path = Path(settings.DATA_DIR) / FACTS_FILE
    if not path.is_file():
        raise InspectionImportError(
            f"The school facts file is missing: {path}. Set CLUSTERWORK_DATA to the data "
            "directory, or give a GIAS establishments file with an 'OfstedRating (name)' column."
        )
    return path


def parse(text: str, source: str, *, urns: set[int] | None = None):
    """(line, urn, rating or "", date or None) for each row; refuses bad input."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InspectionImportError(f"{source} is empty.") from None
    columns = next((f for f in FORMATS if f[0] in header and f[1] in header), None)
    if columns is None:
        raise InspectionImportError(
            f"{source}, line 1: no inspection columns. Expected 'urn' and 'ofsted_rating' "
            "(school_facts.csv) or 'URN' and 'OfstedRating (name)' (GIAS); found "
            + ", ".join(repr(h) for h in header[:12])
            + "."
        )
    at = {name: header.index(name) for name in columns if name in header}
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) < len(header):
            raise InspectionImportError(
                f"{source}, line {line}: {len(values)} fields where the header has {len(header)}."
            )
        raw_urn = values[at[columns[0]]].strip()
        if not raw_urn.isdigit():
            raise InspectionImportError(
                f"{source}, line {line}, field {columns[0]}: “{raw_urn}” is not a URN."
            )
        urn = int(raw_urn)
        if urns is not None and urn not in urns:
            continue
        raw_rating = values[at[columns[1]]].strip()
        rating = ""
        if raw_rating:
            rating = RATINGS.get(raw_rating.lower(), "")
            if not rating:
                raise InspectionImportError(
                    f"{source}, line {line}, field {columns[1]}: “{raw_rating}” is not an "
                    f"inspection outcome (expected one of {', '.join(Rating.values)})."
                )
        day = None
        if columns[2] in at and values[at[columns[2]]].strip():
            raw_day = values[at[columns[2]]].strip()
            try:
                day = parse_date(raw_day)
            except ValueError:
                raise InspectionImportError(
                    f"{source}, line {line}, field {columns[2]}: “{raw_day}” is not a date "
                    "(DD-MM-YYYY or YYYY-MM-DD)."
                ) from None
        rows.append((line, urn, rating, day))
    return rows


@transaction.atomic
def import_inspections(
    path: Path | None = None, *, actor=None, urns=None, evaluate: bool = True
) -> InspectionImport:
    path = Path(path) if path else facts_path()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InspectionImportError(f"{path} cannot be read: {error.strerror}.") from None
    try:
        text = decode(data, path.name)
    except Exception as error:  # GiasFormatError names the file and line
        raise InspectionImportError(str(error)) from None
    wanted = set(urns) if urns is not None else None
    rows = parse(text, path.name, urns=wanted)
    result = InspectionImport(source=path.name, rows=len(rows))
    schools = {s.urn: s for s in School.objects.filter(urn__in=[r[1] for r in rows])}
    latest: dict[int, InspectionOutcome] = {}
    for outcome in InspectionOutcome.objects.filter(school__in=schools.values()).order_by(
        "school_id", "recorded_on", "id"
    ):
        latest[outcome.school_id] = outcome
    new = []
    today = timezone.localdate()
    user = actor if getattr(actor, "is_authenticated", False) else None
    for line, urn, rating, day in rows:
        school = schools.get(urn)
        if school is None:
            result.not_in_directory += 1
            continue
        if not rating:
            result.unknown += 1
            continue
        known = latest.get(school.pk)
        if known is not None and known.rating == rating and known.inspected_on == day:
            result.unchanged += 1
            continue
        new.append(
            InspectionOutcome(
                school=school,
                rating=rating,
                inspected_on=day,
                recorded_on=today,
                source=f"{path.name} line {line}",
                recorded_by=user,
            )
        )
        result.changed_school_ids.append(school.pk)
    InspectionOutcome.objects.bulk_create(new, batch_size=1000)
    result.recorded = len(new)
    if evaluate and result.changed_school_ids:
        from .intervention import evaluate as evaluate_triggers

        changed = School.objects.filter(pk__in=result.changed_school_ids)
        result.cases_opened = len(evaluate_triggers(actor=actor, schools=list(changed)))
    return result


@transaction.atomic
def outcome_record(*, actor, school, rating: str, inspected_on=None) -> InspectionOutcome:
    """One outcome recorded by hand (a new report arrives); the triggers run on it."""
    if rating not in Rating.values:
        raise ServiceError("Choose the inspection outcome.", field="rating")
    outcome = InspectionOutcome(
        school=school,
        rating=rating,
        inspected_on=inspected_on,
        source=f"recorded by {actor}" if actor else "recorded",
        recorded_by=(actor if getattr(actor, "is_authenticated", False) else None),
    )
    outcome.full_clean()
    outcome.save()
    from .intervention import evaluate as evaluate_triggers

    evaluate_triggers(actor=actor, schools=[school])
    return outcome
