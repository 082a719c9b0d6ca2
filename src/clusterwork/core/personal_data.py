"""Personal data rights: every app says what it holds about a person and how to erase it.

A subject access request exports, and an erasure request removes or pseudonymises, the
personal data of one ``people.Person`` across every app. No app is forgotten because each
registers itself in its ``AppConfig.ready()``::

    personal_data.register(PersonalData(
        app="sharing", label="Discussion posts",
        export=posts_of,          # export(person) -> list[dict] of plain values
        erase=pseudonymise_posts, # erase(person, actor) -> number of rows changed
    ))

``erase`` keeps the rows that others rely on (a vote, a claim) and removes what identifies
the person in them; a test asserts every model with a link to a person is covered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .errors import ServiceError


class ErasureRefused(ServiceError):
    """Raised by an entry's ``erase`` when a record must be kept by law (a claim inside its
    retention period, a signed decision); the whole erasure is rolled back and the refusal,
    with this reason, is logged."""


@dataclass(frozen=True)
class PersonalData:
    app: str
    label: str
    export: Callable
    erase: Callable | None = None
    # Models (``app_label.ModelName``) this entry covers, for the coverage test.
    models: tuple[str, ...] = ()


_ENTRIES: dict[tuple[str, str], PersonalData] = {}


def register(entry: PersonalData) -> None:
    _ENTRIES[(entry.app, entry.label)] = entry


def entries() -> list[PersonalData]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.app, e.label))


def covered_models() -> set[str]:
    return {m for e in _ENTRIES.values() for m in e.models}


def export_for(person) -> dict[str, list[dict]]:
    return {f"{e.app}: {e.label}": list(e.export(person)) for e in entries()}


def erase_for(person, actor) -> dict[str, int]:
    """Call inside one transaction (the service that records the request does)."""
    return {f"{e.app}: {e.label}": e.erase(person, actor) for e in entries() if e.erase}


# ----- the common case: rows that point at a person or their account --------------------------


def plain(value):
    """A value as JSON/CSV can carry it: dates as ISO text, Decimal and other objects as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def row_values(obj) -> dict:
    """Every concrete field of a row as plain values (foreign keys as ids)."""
    return {
        field.attname: plain(getattr(obj, field.attname)) for field in obj._meta.concrete_fields
    }


def person_links(model, person_model, user_model) -> list:
    """The foreign keys (and one-to-ones) of ``model`` that point at a person or an account."""
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.one_to_one)
        and field.related_model in (person_model, user_model)
    ]


def linked_rows(
    *,
    app: str,
    label: str,
    models: tuple[str, ...],
    scrub: dict[str, tuple[str, ...]] | None = None,
) -> PersonalData:
    """An entry for rows that only *point at* a person or their account (an invitation, a
    goal's owner, who recorded a meeting): exported as they are; on erasure the rows stay, so
    counts, money and votes are unchanged, because the person and the account they point at
    are pseudonymised in place. ``scrub`` names free-text fields (``{"app.Model": ("note",)}``)
    emptied on erasure in the rows that point at the person, since they may describe them."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    def targets(person):
        user_model = get_user_model()
        for name in models:
            model = apps.get_model(name)
            for field in person_links(model, type(person), user_model):
                target = person if field.related_model is type(person) else person.user
                if target is not None:
                    yield name, model, field, target

    def export(person):
        rows: dict[tuple[str, int], dict] = {}
        for name, model, field, target in targets(person):
            for obj in model._default_manager.filter(**{field.name: target}).order_by("pk"):
                row = rows.setdefault(
                    (name, obj.pk), {"record": name, "linked as": [], **row_values(obj)}
                )
                row["linked as"].append(field.name)
        for row in rows.values():
            row["linked as"] = ", ".join(row["linked as"])
        return list(rows.values())

    def erase(person, actor):
        changed = 0
        for name, model, field, target in targets(person):
            fields = (scrub or {}).get(name, ())
            if fields and field.related_model is type(person):
                blank = dict.fromkeys(fields, "")
                changed += model._default_manager.filter(**{field.name: target}).update(**blank)
                history = getattr(model, "history", None)
                if history is not None:  # the old versions said the same
                    history.filter(**{field.name: target}).update(**blank)
        return changed

    return PersonalData(app=app, label=label, export=export, erase=erase, models=tuple(models))
