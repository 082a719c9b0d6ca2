"""Writes to people, accounts and role assignments."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterwork.core.audit import audited_save, audited_update, user_or_none
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError

from .models import ROLE_SCOPES, SCOPE_FIELDS, ApiToken, Person, Role, RoleAssignment, User
from .scopes import forget_scope


@transaction.atomic
def person_create(
    *,
    actor,
    full_name: str,
    email: str = "",
    school=None,
    job_title: str = "",
    password: str | None = None,
) -> Person:
    """Create a person; with ``password`` they also get an account to sign in with their email."""
    email = email.strip().lower()
    if not full_name.strip():
        raise ServiceError("A person needs a name.", field="full_name")
    user = None
    if password is not None:
        if not email:
            raise ServiceError("An account needs an email address to sign in with.", field="email")
        if User.objects.filter(email__iexact=email).exists():
            raise ServiceError(f"There is already an account for {email}.", field="email")
        user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    person = Person(
        full_name=full_name.strip(), email=email, school=school, job_title=job_title, user=user
    )
    audited_save(person, actor)
    return person


PERSON_EDITABLE_FIELDS = {"full_name", "email", "school", "job_title"}


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    return audited_update(
        person, actor=actor, changes=changes, editable=PERSON_EDITABLE_FIELDS, what="person"
    )


def _scope_of(scope_kwargs: dict) -> tuple[str, object]:
    given = [(name, value) for name, value in scope_kwargs.items() if value is not None]
    if len(given) != 1:
        raise ServiceError("A role is held for exactly one programme, trust, cluster or school.")
    return given[0]


@transaction.atomic
def role_assign(
    *,
    actor,
    person: Person,
    role: str,
    programme=None,
    trust=None,
    cluster=None,
    school=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    note: str = "",
) -> RoleAssignment:
    """Give ``person`` a dated role for one scope. Holding the same role for the same scope
    twice at overlapping times is refused."""
    if role not in Role.values:
        raise ServiceError(f"Unknown role “{role}”.", field="role")
    kind, scope = _scope_of(
        {"programme": programme, "trust": trust, "cluster": cluster, "school": school}
    )
    if kind not in ROLE_SCOPES[role]:
        allowed = " or ".join(sorted(ROLE_SCOPES[role]))
        raise ServiceError(
            f"A {Role(role).label.lower()} is appointed for a {allowed}, not a {kind}.",
            field="role",
        )
    start = start or timezone.localdate()
    if end is not None and end <= start:
        raise ServiceError("A role must end after it starts.", field="end")
    held = RoleAssignment.objects.filter(person=person, role=role, **{kind: scope})
    if held.overlapping(start, end).exists():
        raise ServiceError(
            f"{person} already holds the role {Role(role).label.lower()} for {scope} at that time."
        )
    assignment = RoleAssignment(
        person=person, role=role, start=start, end=end, note=note, **{kind: scope}
    )
    audited_save(assignment, actor)
    if person.user_id:
        forget_scope(person.user)
    return assignment


@transaction.atomic
def role_end(
    *, actor, assignment: RoleAssignment, end: dt.date | None = None, reason: str = ""
) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    end = end or timezone.localdate()
    if assignment.end is not None and assignment.end <= end:
        raise ServiceError(f"This role already ends on {day_text(assignment.end)}.")
    if end <= assignment.start:
        raise ServiceError(
            f"The end date must be after the start date {day_text(assignment.start)}.", field="end"
        )
    assignment.end = end
    audited_save(assignment, actor, reason)
    return assignment


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make an API token; the clear key is returned once and never stored."""
    if not name.strip():
        raise ServiceError("Give the token a name so you can recognise it later.", field="name")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=key[3:11], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise ServiceError("That token is not yours.")
    if token.revoked_at is None:  # revoking twice changes nothing
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


__all__ = ["SCOPE_FIELDS", "person_create", "person_update", "role_assign", "role_end"]


# ----- personal data rights ----------------------------------------------------------------


def personal_data_export(*, actor, person: Person, reason: str = "") -> dict[str, list[dict]]:
    """Everything every app holds about ``person`` (a subject access request), logged."""
    from clusterwork.core import personal_data

    from .models import PersonalDataRequest

    data = personal_data.export_for(person)
    counts = {section: len(rows) for section, rows in data.items()}
    PersonalDataRequest.objects.create(
        person=person,
        kind=PersonalDataRequest.Kind.EXPORT,
        outcome=PersonalDataRequest.Outcome.DONE,
        reason=reason.strip()[:300],
        counts=counts,
        detail=f"{sum(counts.values())} record(s) from {len(counts)} part(s) of Clusterwork.",
        requested_by=user_or_none(actor),
    )
    return data


def personal_data_erase(*, actor, person: Person, reason: str):
    """Erase ``person``'s personal data across every app in one transaction: all of it, or
    (when any app must keep a record, or the person still holds a role) none of it. Either
    way the request is logged; the log entry is returned (``outcome`` says which)."""
    from clusterwork.core import personal_data

    from .models import PersonalDataRequest
    from .personal_data import is_erased

    if not reason.strip():
        raise ServiceError(
            "Say why (the request's reference, or 'retention period ended').", field="reason"
        )
    if is_erased(person):
        raise ServiceError("This person's personal data has already been erased.")
    log = PersonalDataRequest(
        person=person,
        kind=PersonalDataRequest.Kind.ERASURE,
        reason=reason.strip()[:300],
        requested_by=user_or_none(actor),
    )
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()
            counts = personal_data.erase_for(person, actor)
    except personal_data.ErasureRefused as refusal:
        person.refresh_from_db()
        log.outcome = PersonalDataRequest.Outcome.REFUSED
        log.detail = " ".join(refusal.messages)
    else:
        log.outcome = PersonalDataRequest.Outcome.DONE
        log.counts = counts
        log.detail = f"{sum(counts.values())} row(s) anonymised in {len(counts)} part(s)."
    log.save()
    if person.user_id:
        forget_scope(person.user)
    return log


def personal_data_apply_retention(*, actor=None, days: int, today=None, dry_run=False) -> list:
    """Erase the people whose every role ended more than ``days`` days ago (and who hold no
    role today or later): the retention setting for ended roles. Returns the log entries
    (or, with ``dry_run``, the people who would be erased)."""
    from .personal_data import ERASED_NAME

    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=days)
    people = (
        Person.objects.filter(roles__isnull=False)
        .exclude(roles__end__isnull=True)
        .exclude(roles__end__gt=cutoff)
        .exclude(full_name__startswith=ERASED_NAME.split("{")[0])
        .distinct()
        .order_by("pk")
    )
    if dry_run:
        return list(people)
    reason = f"Retention: every role ended before {cutoff:%d %B %Y} ({days} days)"
    return [personal_data_erase(actor=actor, person=p, reason=reason) for p in people]
