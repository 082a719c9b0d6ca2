"""Personal data rights on real rows: every app's export of one person, erasure in one
transaction (all or nothing), refusals with their reason, the request log, retention, and the
guard that every table pointing at a person is covered by some app's entry."""

import csv
import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from clusterwork.core import personal_data
from clusterwork.core.personal_data import ErasureRefused, PersonalData, person_links
from clusterwork.goals import services as goal_services
from clusterwork.meetings.models import Event, Invitation
from clusterwork.people import services
from clusterwork.people.models import Person, PersonalDataRequest, Role, SignInEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _is_history(model) -> bool:
    return hasattr(model, "instance_type")  # simple_history's historical models


def test_every_model_that_points_at_a_person_or_account_is_covered():
    """An app added later that stores a link to a person must say what it holds and how it
    is erased; this names the model and the exact lines to add."""
    person_model, user_model = Person, get_user_model()
    covered = personal_data.covered_models()
    missing = []
    for model in apps.get_models():
        if _is_history(model):
            continue
        links = person_links(model, person_model, user_model)
        label = model._meta.label
        if links and label not in covered:
            config = apps.get_app_config(model._meta.app_label)
            fields = ", ".join(f"{f.name} → {f.related_model._meta.label}" for f in links)
            missing.append(
                f"\n{label} points at a person or an account ({fields}) but no personal-data "
                f"entry covers it. In {config.name.replace('.', '/')}/apps.py add to "
                f"{type(config).__name__}:\n"
                f"    personal_data = [\n"
                f'        linked_rows(app="{model._meta.app_label}", '
                f'label="<what it is, for the DPIA page>", models=("{label}",)),\n'
                f"    ]\n"
                f"  (from clusterwork.core.personal_data import linked_rows; add scrub="
                f'{{"{label}": ("<free-text field>",)}} for notes that describe the person),'
                f' or a PersonalData(app=…, label=…, export=…, erase=…, models=("{label}",)) '
                "of your own; see docs/personal-data.md."
            )
    assert not missing, "".join(missing)


def test_every_entry_names_real_models():
    for entry in personal_data.entries():
        for label in entry.models:
            assert apps.get_model(label) is not None, f"{entry.app}: {label}"


@pytest.fixture
def subject(world):
    """The coordinator of alpha, with rows in several apps: an invitation and attendance, a
    goal they own, a sign-in, an old version of their record (renamed), a role note."""
    user = world.users.coordinator
    person = user.person
    services.person_update(actor=user, person=person, job_title="Head of science")
    event = Event.objects.create(
        cluster=world.alpha,
        programme=world.science,
        title="Autumn network meeting",
        starts_at=dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 10, 1, 17, 30, tzinfo=dt.UTC),
    )
    Invitation.objects.create(event=event, person=person, attendance="attended")
    goal = goal_services.goal_create(
        actor=user, cluster=world.alpha, title="Fair tests", horizon="short", owner=person
    )
    SignInEvent.objects.create(
        kind="signed_in", user=user, email=user.email, ip_address="127.0.0.9", user_agent="Fx"
    )
    return person, event, goal


def test_the_export_holds_every_apps_rows_about_the_person(subject, world):
    person, event, goal = subject

    data = services.personal_data_export(actor=world.users.superuser, person=person, reason="SAR 7")

    json.dumps(data)  # plain values only
    people_rows = data["people: Person, account, roles and API tokens"]
    records = {row["record"] for row in people_rows}
    assert {"people.Person", "people.User", "people.RoleAssignment"} <= records
    assert any(r.get("full_name") == "Coordinator" for r in people_rows)
    assert all("password" not in r and "key_hash" not in r for r in people_rows)
    meetings = data["meetings: Meetings, invitations, attendance, actions and engagement emails"]
    invitation = next(r for r in meetings if r["record"] == "meetings.Invitation")
    assert (invitation["event_id"], invitation["attendance"], invitation["linked as"]) == (
        event.pk,
        "attended",
        "person",
    )
    goals = data["goals: Goals owned, progress written, projects led, achievements"]
    assert any(r["record"] == "goals.Goal" and r["id"] == goal.pk for r in goals)
    sign_ins = data["people: Sign-ins and failed sign-ins"]
    assert sign_ins[0]["ip_address"] == "127.0.0.9"
    log = PersonalDataRequest.objects.get()
    assert (log.kind, log.outcome, log.reason, log.person) == ("export", "done", "SAR 7", person)
    assert log.requested_by == world.users.superuser
    assert log.counts["people: Sign-ins and failed sign-ins"] == 1


def test_erasure_is_refused_with_the_reason_while_a_role_is_held(subject, world):
    person, *_ = subject

    log = services.personal_data_erase(actor=world.users.superuser, person=person, reason="E1")

    assert log.outcome == "refused"
    assert "still holds 1 role(s) today" in log.detail and "End the roles first" in log.detail
    person.refresh_from_db()
    assert person.full_name == "Coordinator"  # nothing changed
    assert PersonalDataRequest.objects.filter(outcome="refused").count() == 1


def _end_roles(person):
    for role in person.roles.all():
        services.role_end(actor=None, assignment=role, end=dt.date(2025, 1, 1))


def test_erasure_anonymises_in_place_and_keeps_counts_and_history(subject, world, client):
    person, event, goal = subject
    _end_roles(person)
    user = person.user
    token, key = services.token_create(user=user, name="laptop")
    history_before = Person.history.filter(id=person.pk).count()

    log = services.personal_data_erase(actor=world.users.superuser, person=person, reason="E2")

    assert log.outcome == "done", log.detail
    person.refresh_from_db()
    user.refresh_from_db()
    assert person.full_name == f"Erased person {person.pk}"
    assert (person.email, person.job_title) == ("", "")
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert not user.is_active and not user.has_usable_password()
    token.refresh_from_db()
    assert token.revoked_at is not None
    # The history keeps every version, none of them with the name any more.
    names = set(Person.history.filter(id=person.pk).values_list("full_name", flat=True))
    assert names == {f"Erased person {person.pk}"}
    assert Person.history.filter(id=person.pk).count() == history_before
    assert "Head of science" not in str(list(Person.history.filter(id=person.pk).values()))
    # Attendance and the goal still count them.
    assert Invitation.objects.filter(event=event, attendance="attended").count() == 1
    goal.refresh_from_db()
    assert goal.owner_id == person.pk
    sign_in = SignInEvent.objects.get(user=user)
    assert (sign_in.email, sign_in.ip_address, sign_in.user_agent) == ("", None, "")
    # They can no longer sign in.
    response = client.post(
        reverse("login"), {"username": "coordinator@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # Erasing twice is refused.
    with pytest.raises(services.ServiceError, match="already been erased"):
        services.personal_data_erase(actor=world.users.superuser, person=person, reason="again")


def test_one_refusing_app_leaves_everything_as_it_was(subject, world, monkeypatch):
    """All or nothing: an app that must keep a record refuses, so what the apps before it
    erased is rolled back."""
    person, *_ = subject
    _end_roles(person)

    def must_keep(person, actor):
        raise ErasureRefused("A claim they signed in 2025 must be kept until 2031.")

    monkeypatch.setattr(personal_data, "_ENTRIES", dict(personal_data._ENTRIES))
    personal_data.register(
        PersonalData(app="zz_funding", label="Claims", export=list, erase=must_keep)
    )

    log = services.personal_data_erase(actor=world.users.superuser, person=person, reason="E3")

    assert log.outcome == "refused"
    assert log.detail == "A claim they signed in 2025 must be kept until 2031."
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.full_name == "Coordinator" and person.user.is_active
    assert SignInEvent.objects.get(user=person.user).ip_address == "127.0.0.9"


def test_retention_erases_people_whose_roles_ended_long_ago(world):
    old = services.person_create(actor=None, full_name="Long Gone", email="gone@example.org")
    role = services.role_assign(
        actor=None, person=old, role=Role.VIEWER, cluster=world.alpha, start=dt.date(2015, 1, 1)
    )
    services.role_end(actor=None, assignment=role, end=dt.date(2016, 1, 1))
    recent = services.person_create(actor=None, full_name="Just Left")
    role = services.role_assign(
        actor=None, person=recent, role=Role.VIEWER, cluster=world.alpha, start=dt.date(2024, 1, 1)
    )
    services.role_end(actor=None, assignment=role, end=dt.date(2025, 6, 1))

    today = dt.date(2026, 1, 1)
    assert services.personal_data_apply_retention(days=2190, today=today, dry_run=True) == [old]
    logs = services.personal_data_apply_retention(days=2190, today=today)

    assert [log.outcome for log in logs] == ["done"]
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.full_name.startswith("Erased person") and recent.full_name == "Just Left"
    assert logs[0].reason.startswith("Retention: every role ended before")
    # The world's personas all hold roles today: untouched.
    assert Person.objects.filter(full_name__startswith="Erased").count() == 1


def test_the_pages_export_json_and_csv_and_log_the_request(subject, world, login):
    person, *_ = subject
    client = login(world.users.superuser)
    url = reverse("person_personal_data", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Download as JSON" in page and "Erase personal data" in page

    as_json = client.post(url, {"reason": "SAR 9", "format": "json"})
    assert as_json["Content-Disposition"].startswith('attachment; filename="personal-data-person-')
    body = json.loads(as_json.content)
    assert body["person"] == person.pk
    assert (
        "meetings: Meetings, invitations, attendance, actions and engagement emails" in body["data"]
    )

    as_csv = client.post(url, {"reason": "SAR 9", "format": "csv"})
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == ["part", "record", "row", "field", "value"]
    assert [
        "people: Person, account, roles and API tokens",
        "people.Person",
        "1",
        "full_name",
        "Coordinator",
    ] in rows

    erase = client.post(
        reverse("person_personal_data_erase", args=[person.pk]),
        {"reason": "E9", "confirm": "Coordinator"},
        follow=True,
    )
    assert "Erasure refused:" in erase.content.decode()
    log = client.get(reverse("personal_data_requests")).content.decode()
    assert log.count("SAR 9") == 2 and "E9" in log and "Refused" in log
    wrong_name = client.post(
        reverse("person_personal_data_erase", args=[person.pk]), {"reason": "E", "confirm": "Bob"}
    )
    assert wrong_name.status_code == 200 and "exactly to confirm" in wrong_name.content.decode()


def test_a_person_downloads_their_own_data_and_sees_only_their_requests(subject, world, login):
    person, *_ = subject
    client = login(world.users.coordinator)
    response = client.post(
        reverse("person_personal_data", args=[person.pk]), {"reason": "mine", "format": "json"}
    )
    assert response.status_code == 200 and json.loads(response.content)["person"] == person.pk
    services.personal_data_export(
        actor=world.users.superuser, person=world.users.head.person, reason="about the head"
    )
    log = client.get(reverse("personal_data_requests")).content.decode()
    assert "mine" in log and "about the head" not in log
    dpia = client.get(reverse("personal_data_dpia")).content.decode()
    assert "meetings.Invitation" in dpia and "apply-retention" in dpia


def test_the_retention_command_reports_what_it_did(world):
    from django.core.management import call_command

    old = services.person_create(actor=None, full_name="Long Gone")
    role = services.role_assign(
        actor=None, person=old, role=Role.VIEWER, cluster=world.alpha, start=dt.date(2015, 1, 1)
    )
    services.role_end(actor=None, assignment=role, end=dt.date(2016, 1, 1))
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"would anonymise person {old.pk}" in out.getvalue()
    call_command("apply_retention", "--days", "365", stdout=out)
    assert "1 person(s) anonymised, 0 refused (retention 365 days)." in out.getvalue()
