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
