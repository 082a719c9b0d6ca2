"""Every list's export per persona (CSV and XLSX hold only what the persona may see), and the
weekly digest: what it gathers, who gets it, opting out."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusterwork.core import digest as core_digest
from clusterwork.reports import digest
from clusterwork.reports.models import DigestSubscription
from tests.web import test_persona_content as persona_content
from tests.web.matrix import ALL_ROUTES, PERSONAS
from tests.web.test_persona_content import leaks


@pytest.fixture
def named(world):
    """The world with the persona content test's distinctive names."""
    persona_content._rename(world)
    return world


# The list pages (generic ScopedListView) and the dashboards' cluster tables.
LISTS = [
    ("programme_list", {}),
    ("cluster_list", {}),
    ("person_list", {}),
    ("school_list", {}),
    ("funding:claim_list", {}),
    ("sharing:item_list", {}),
    ("personal_data_requests", {}),
    ("audit_log", {}),
]


def _xlsx_text(response) -> str:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(
        " | ".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_list_exports_only_what_the_persona_may_see(named, client, persona):
    client.force_login(getattr(named.users, persona))
    for name, kwargs in LISTS:
        url = reverse(name, kwargs=kwargs)
        page = client.get(url).status_code
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"export": fmt})
            # A list the persona may not open exports nothing either.
            assert response.status_code == page, (name, fmt)
            if page != 200:
                continue
            if fmt == "csv":
                text = b"".join(response.streaming_content).decode("utf-8-sig")
            else:
                text = _xlsx_text(response)
            assert leaks(persona, text, directory=name == "school_list") == [], (name, fmt)


def test_every_list_page_offers_its_export(named, client):
    client.force_login(named.users.superuser)
    for name, kwargs in LISTS:
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "export=csv" in page and "export=xlsx" in page, name


def test_dashboard_exports_are_in_the_permission_matrix():
    labels = {r.id for r in ALL_ROUTES}
    assert "programme-export-csv" in labels


# ----- digest ----------------------------------------------------------------------------------


def test_digest_gathers_each_personas_items_within_scope(trust_world, settings):
    w = trust_world
    until = timezone.now()
    since = until - dt.timedelta(days=7)
    coordinator = digest.items_for(w.users.coordinator, since, until)
    titles = " ".join(i.title for i in coordinator)
    assert "Beta" not in titles and "Gamma" not in titles
    outsider = " ".join(i.title for i in digest.items_for(w.users.outsider, since, until))
    assert "Alpha" not in outsider
    assert {"reports.meetings_coming", "reports.registers_to_take"} <= set(core_digest.collectors())


def test_registers_not_taken_and_clusters_that_changed_status(trust_world):
    from clusterwork.clusters import services as cluster_services
    from clusterwork.meetings import services as meetings
    from clusterwork.meetings.models import Event

    w = trust_world
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    event = meetings.event_create(
        actor=w.users.coordinator,
        cluster=w.alpha,
        title="Spring planning",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="Hall",
    )
    Event.objects.filter(pk=event.pk).update(
        starts_at=start - dt.timedelta(days=4), ends_at=start - dt.timedelta(days=4, hours=-1)
    )
    cluster_services.cluster_update(actor=None, cluster=w.beta, status="paused")
    until = timezone.now()
    since = until - dt.timedelta(days=7)
    due = [i for i in digest.items_for(w.users.coordinator, since, until) if i.kind == "due"]
    assert any("Register not yet taken: Spring planning" in i.title for i in due)
    admin = digest.items_for(w.users.programme_admin, since, until)
    assert any(i.title == "Beta: Active → Paused" for i in admin)
    assert not any("Beta" in i.title for i in digest.items_for(w.users.coordinator, since, until))


def test_weekly_digest_is_sent_once_and_respects_opting_out(trust_world, login):
    w = trust_world
    from clusterwork.clusters import services as cluster_services

    cluster_services.cluster_update(actor=None, cluster=w.alpha, status="paused")
    client = login(w.users.viewer)
    assert client.post(reverse("reports:digest_settings"), {}).status_code == 302
    assert DigestSubscription.objects.get(user=w.users.viewer).weekly is False
    mail.outbox.clear()
    first = digest.send_weekly()
    recipients = {m.to[0] for m in mail.outbox}
    assert w.users.programme_admin.email in recipients  # alpha changed status
    assert w.users.viewer.email not in recipients  # opted out
    assert first["sent"] == len(mail.outbox) >= 1
    body = next(m.body for m in mail.outbox if m.to[0] == w.users.programme_admin.email)
    assert "Alpha: Active → Paused" in body and "Gamma" not in body
    again = digest.send_weekly()
    assert again["sent"] == 0  # not twice in one week
    page = client.get(reverse("reports:digest_settings")).content.decode()
    assert "Send me the weekly digest" in page and "checked" not in page


def test_the_digest_subscription_is_personal_data(trust_world, login):
    from clusterwork.core import personal_data
    from tests.factories import end_current_roles

    w = trust_world
    login(w.users.viewer).post(reverse("reports:digest_settings"), {"weekly": "on"})
    person = w.users.viewer.person
    exported = personal_data.export_for(person)["reports: Weekly digest subscription"]
    assert exported == [{"weekly_digest": True, "last_sent_at": None}]
    end_current_roles(person)  # erasure refuses while a role is held
    assert personal_data.erase_for(person, None)["reports: Weekly digest subscription"] == 1
    assert DigestSubscription.objects.get(user=w.users.viewer).weekly is False
    assert "reports.DigestSubscription" in personal_data.covered_models()
