"""The history page every app shares: an object's change log plus related rows' changes."""

from __future__ import annotations

from clusterwork.core.audit import HistoryEntry, history_entries, record_entry

from .lists import ObjectDetailView

HISTORY_LIMIT = 200


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


class ObjectHistoryView(ObjectDetailView):
    """Who changed what of one object (and, with ``related()``, of its rows), newest first."""

    template_name = "core/history.html"

    def related(self) -> list[HistoryEntry]:
        return []

    def page_context(self):
        entries = history_entries(self.object, limit=HISTORY_LIMIT) + self.related()
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            "title": str(self.object),
            "back_url": self.object.get_absolute_url(),
            "entries": entries[:HISTORY_LIMIT],
        }
