"""Who changed what: helpers over django-simple-history."""

from dataclasses import dataclass


def user_or_none(actor):
    """The signed-in user behind ``actor``, or None for the system (a command, a task, the
    demo loader, an anonymous request): what a "who did it" field (``*_by``) stores."""
    return actor if getattr(actor, "is_authenticated", False) else None


def stamp(instance, actor) -> None:
    """Record ``actor`` as the author of the next history row written for ``instance``.

    Services call this before ``save()`` so commands and tasks (which have no request)
    attribute changes as reliably as web pages do.
    """
    user = user_or_none(actor)
    if user is not None:
        instance._history_user = user


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: str
    action: str
    changes: list[tuple[str, object, object]]
    reason: str


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def record_entry(record, previous, *, describe=None) -> HistoryEntry:
    """One history row as an entry: field-level differences against ``previous`` (the same
    object's prior row, or None); ``describe(record)`` names a related object."""
    changes = []
    if previous is not None and record.history_type == "~":
        changes = [(c.field, c.old, c.new) for c in record.diff_against(previous).changes]
    user = record.history_user
    action = _ACTIONS.get(record.history_type, record.history_type)
    return HistoryEntry(
        when=record.history_date,
        who=(user.get_full_name() or user.email) if user else "system",
        action=f"{action} {describe(record)}" if describe else action,
        changes=changes,
        reason=record.history_change_reason or "",
    )


def history_entries(instance, limit: int = 200) -> list[HistoryEntry]:
    """The object's change log, newest first, with field-level differences."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    return [
        record_entry(record, records[index + 1] if index + 1 < len(records) else None)
        for index, record in enumerate(records[:limit])
    ]


def audited_save(instance, actor, reason: str = "") -> None:
    """Validate and save ``instance`` as a service does: the history row records ``actor`` and,
    when given, ``reason``; ``full_clean`` turns bad values into messages before the database
    sees them."""
    stamp(instance, actor)
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    instance.save()


def audited_archive(instance, actor, reason: str = "") -> None:
    """Archive ``instance`` (an ``ArchivableModel``: nothing is deleted) as ``actor``, with
    ``reason`` (default "archived") in its history."""
    instance.mark_archived(actor)
    audited_save(instance, actor, reason or "archived")


def audited_update(
    instance,
    *,
    actor,
    changes: dict,
    editable,
    what: str = "",
    reason: str = "",
    check=None,
):
    """The shape of every ``<thing>_update`` service: refuse fields that may not be changed
    (naming them), lock the row, set the fields, let ``check(row, changes)`` refuse or tidy
    the changed row, and save it with who and why. Returns the saved row.

    Call it inside the service's transaction (``@transaction.atomic``) so the lock holds.
    """
    from .errors import ServiceError

    unknown = sorted(set(changes) - set(editable))
    if unknown:
        kind = f"{what} " if what else ""
        raise ServiceError(f"These {kind}fields cannot be changed here: {', '.join(unknown)}.")
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    for name, value in changes.items():
        setattr(locked, name, value)
    if check is not None:
        check(locked, changes)
    audited_save(locked, actor, reason)
    return locked
