"""The weekly digest: what happened in a person's clusters, gathered from the apps.

``reports`` sends the digest; each app says what belongs in it by registering a collector
in its ``AppConfig.ready()``::

    digest.register("funding", claims_for_digest)
    # claims_for_digest(user, since, until) -> list[DigestItem], only what ``user`` may see

Collectors filter with the user's scope themselves, so the digest never shows more than the
pages would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DigestItem:
    app: str
    title: str
    url: str = ""
    when: date | datetime | None = None
    # "due" items (a claim to approve, a self-assessment to return) lead the digest.
    kind: str = "news"


_COLLECTORS: dict[str, Callable] = {}


def register(app: str, collect: Callable) -> None:
    _COLLECTORS[app] = collect


def collectors() -> dict[str, Callable]:
    return dict(_COLLECTORS)


def items_for(user, since, until) -> list[DigestItem]:
    items: list[DigestItem] = []
    for collect in _COLLECTORS.values():
        items.extend(collect(user, since, until))
    return sorted(items, key=lambda i: (i.kind != "due", str(i.when or ""), i.title))
