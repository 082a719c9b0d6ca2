"""Who changed what: helpers over django-simple-history."""

from dataclasses import dataclass


def stamp(instance, actor) -> None:
    """Record ``actor`` as the author of the next history row written for ``instance``.

    Services call this before ``save()`` so commands and tasks (which have no request)
    attribute changes as reliably as web pages do.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: str
    action: str
    changes: list[tuple[str, object, object]]
    reason: str


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def history_entries(instance, limit: int = 200) -> list[HistoryEntry]:
    """The object's change log, newest first, with field-level differences."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.email) if user else "system",
                action=_ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def audited_save(instance, actor, reason: str = "") -> None:
    """Validate and save ``instance`` as a service does: the history row records ``actor`` and,
    when given, ``reason``; ``full_clean`` turns bad values into messages before the database
    sees them."""
    stamp(instance, actor)
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    instance.save()
