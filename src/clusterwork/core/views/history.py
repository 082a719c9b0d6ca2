"""The history page every app shares: an object's change log plus related rows' changes."""

from __future__ import annotations

from django.shortcuts import render

from clusterwork.core.audit import HistoryEntry, history_entries, record_entry


def related_entries(records, describe) -> list[HistoryEntry]:
    """History entries for rows related to a page's object (e.g. a cluster's memberships).

    ``records`` are historical rows of several objects, newest first; each row is compared
    with the previous row of the *same* object, and ``describe(record)`` names the object.
    """
    records = list(records)
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for record in records:
        versions = by_object[record.id]
        index = versions.index(record)
        previous = versions[index + 1] if index + 1 < len(versions) else None
        entries.append(record_entry(record, previous, describe=describe))
    return entries


def history_page(request, *, obj, title: str, back_url: str, extra=(), limit: int = 200):
    """Render the shared history page for ``obj`` plus any related entries, newest first."""
    entries = history_entries(obj, limit=limit) + list(extra)
    entries.sort(key=lambda e: e.when, reverse=True)
    return render(
        request,
        "core/history.html",
        {"object": obj, "title": title, "back_url": back_url, "entries": entries[:limit]},
    )
