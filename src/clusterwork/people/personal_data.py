"""What the people app holds about a person, for subject access and erasure
(``core.personal_data``): the person, their account and roles, API tokens, sign-ins, the
admin log, and the log of these requests themselves.

Erasure anonymises in place: the ``Person`` and ``User`` rows stay (every meeting,
attendance count, vote and claim that points at them stays consistent), their names and
contact details are replaced, the old versions in the history are rewritten the same way,
the account can no longer sign in and its tokens stop working.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from clusterwork.core.personal_data import ErasureRefused, PersonalData, plain, row_values

ERASED_NAME = "Erased person {pk}"
ERASED_EMAIL = "erased-{pk}@erased.invalid"
USER_FIELDS = ("email", "full_name", "date_joined", "last_login", "is_active", "is_staff")


def pseudonym(person) -> str:
    return ERASED_NAME.format(pk=person.pk)


def is_erased(person) -> bool:
    return person.full_name == pseudonym(person)


# ----- the person, their account and roles ------------------------------------------------


def export_person(person) -> list[dict]:
    rows = [{"record": "people.Person", **row_values(person)}]
    if person.user is not None:
        user = person.user
        rows.append(
            {"record": "people.User", "id": user.pk}
            | {name: plain(getattr(user, name)) for name in USER_FIELDS}
        )
        for token in user.api_tokens.order_by("pk"):
            values = row_values(token)
            values.pop("key_hash")  # a secret's hash is not personal data, and not to hand out
            rows.append({"record": "people.ApiToken", **values})
    for role in person.roles.select_related("programme", "trust", "cluster", "school"):
        rows.append({"record": "people.RoleAssignment", "what": str(role), **row_values(role)})
    return rows


def erase_person(person, actor) -> int:
    from .models import ApiToken, Person, RoleAssignment

    today = timezone.localdate()
    current = [str(r) for r in person.roles.filter(Q(end__isnull=True) | Q(end__gt=today))]
    if current:
        raise ErasureRefused(
            f"{person.full_name} still holds {len(current)} role(s) today ({'; '.join(current)}). "
            "End the roles first (from the person's page), so the cluster knows the post is "
            "vacant; their history then stays, under a pseudonym."
        )
    name = pseudonym(person)
    scrubbed = {"full_name": name, "email": "", "job_title": ""}
    changed = Person.objects.filter(pk=person.pk).update(**scrubbed, updated_at=timezone.now())
    # The old versions of the record said who it was: rewrite them too.
    changed += Person.history.filter(id=person.pk).update(**scrubbed)
    changed += RoleAssignment.objects.filter(person=person).exclude(note="").update(note="")
    RoleAssignment.history.filter(person_id=person.pk).update(note="")
    user = person.user
    if user is not None:
        user.email = ERASED_EMAIL.format(pk=user.pk)
        user.full_name = ""
        user.is_active = False
        user.is_staff = False
        user.set_unusable_password()  # also ends every session (the auth hash changes)
        user.save()
        changed += 1
        changed += ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    person.full_name, person.email, person.job_title = name, "", ""
    return changed


# ----- sign-ins ---------------------------------------------------------------------------


def _sign_ins(person):
    from .models import SignInEvent

    if person.user_id is None:
        return SignInEvent.objects.none()
    return SignInEvent.objects.filter(user_id=person.user_id)


def export_sign_ins(person) -> list[dict]:
    return [{"record": "people.SignInEvent", **row_values(e)} for e in _sign_ins(person)]


def erase_sign_ins(person, actor) -> int:
    # Kept (the audit page counts them), without what identifies the person or their device.
    return _sign_ins(person).update(email="", ip_address=None, user_agent="")


# ----- the staff admin's log --------------------------------------------------------------


def export_admin_log(person) -> list[dict]:
    from django.contrib.admin.models import LogEntry

    if person.user_id is None:
        return []
    return [
        {"record": "admin.LogEntry", **row_values(entry)}
        for entry in LogEntry.objects.filter(user_id=person.user_id).order_by("pk")
    ]


def erase_admin_log(person, actor) -> int:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from .models import Person

    about = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    )
    return about.update(object_repr=pseudonym(person))


# ----- the requests themselves ------------------------------------------------------------


def export_requests(person) -> list[dict]:
    from .models import PersonalDataRequest

    return [
        {"record": "people.PersonalDataRequest", **row_values(r)}
        for r in PersonalDataRequest.objects.filter(person=person).order_by("pk")
    ]


ENTRIES = [
    PersonalData(
        app="people",
        label="Person, account, roles and API tokens",
        export=export_person,
        erase=erase_person,
        models=("people.Person", "people.RoleAssignment", "people.ApiToken"),
    ),
    PersonalData(
        app="people",
        label="Sign-ins and failed sign-ins",
        export=export_sign_ins,
        erase=erase_sign_ins,
        models=("people.SignInEvent",),
    ),
    PersonalData(
        app="people",
        label="Staff admin log",
        export=export_admin_log,
        erase=erase_admin_log,
        models=("admin.LogEntry",),
    ),
    # Kept as they are after an erasure: the record that the request was handled.
    PersonalData(
        app="people",
        label="Personal data requests",
        export=export_requests,
        models=("people.PersonalDataRequest",),
    ),
]
