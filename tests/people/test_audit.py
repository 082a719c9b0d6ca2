"""The audit trail: built from the recorded history of every app, with sign-ins, filtered to
the admin's programmes, filterable and exportable; refused to anyone who runs nothing."""

import csv
import io

import pytest
from django.urls import reverse

from clusterwork.clusters import services as cluster_services
from clusterwork.goals import services as goal_services
from clusterwork.people import services as people_services
from clusterwork.people.audit import AuditTrail, scope_paths
from clusterwork.people.models import SignInEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(world):
    """A change in each programme, with its reason, by named people."""
    admin = world.users.programme_admin
    cluster_services.cluster_update(
        actor=admin, cluster=world.alpha, region="Sussex", reason="Moved region"
    )
    goal_services.goal_create(
        actor=world.users.coordinator, cluster=world.alpha, title="Fair tests", horizon="short"
    )
    cluster_services.cluster_update(
        actor=world.users.outsider, cluster=world.gamma, region="Gamma county"
    )
    return world


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_scope_paths_follow_each_models_own_links():
    from django.apps import apps

    assert scope_paths(apps.get_model("clusters", "Cluster")) == (("id", "cluster"),)
    invitation = dict(scope_paths(apps.get_model("meetings", "Invitation")))
    assert invitation == {"event__cluster_id": "cluster", "event__programme_id": "programme"}
    role = dict(scope_paths(apps.get_model("people", "RoleAssignment")))
    assert role["person_id"] == "person" and role["cluster_id"] == "cluster"
    assert scope_paths(apps.get_model("schools", "School")) == (("trust_id", "trust"),)
    assert scope_paths(apps.get_model("schools", "GiasImport")) == ()


def test_a_programme_admin_sees_their_programmes_changes_and_not_others(changes, login):
    page = _text(login(changes.users.programme_admin).get(reverse("audit_log")))
    assert "Sussex" in page and "Moved region" in page  # what changed, and why
    assert "Fair tests" in page and "Coordinator" in page
    assert "Gamma county" not in page and "Gamma" not in page
    assert "Sport Network" not in page


def test_the_superuser_sees_everything(changes, login):
    page = _text(login(changes.users.superuser).get(reverse("audit_log")))
    assert "Gamma county" in page and "Sussex" in page


def test_filters_by_person_app_kind_record_and_date(changes, login):
    client = login(changes.users.programme_admin)
    url = reverse("audit_log")
    by_coordinator = _text(client.get(url, {"who": "coordinator@"}))
    assert "Fair tests" in by_coordinator and "Sussex" not in by_coordinator
    goals_only = _text(client.get(url, {"app": "goals"}))
    assert "Fair tests" in goals_only and "Sussex" not in goals_only
    clusters = _text(client.get(url, {"model": "clusters.Cluster", "object_id": changes.alpha.pk}))
    assert "Sussex" in clusters and "Fair tests" not in clusters
    assert "No entries match." in _text(client.get(url, {"until": "2000-01-01"}))


def test_sign_ins_and_failed_sign_ins_are_recorded_and_shown(world, client, login):
    client.post(reverse("login"), {"username": "coordinator@example.org", "password": "wrong"})
    client.post(reverse("login"), {"username": "coordinator@example.org", "password": PASSWORD})
    kinds = list(SignInEvent.objects.order_by("id").values_list("kind", "email", "method"))
    assert kinds == [
        ("failed", "coordinator@example.org", "password"),
        ("signed_in", "coordinator@example.org", "password"),
    ]
    admin = login(world.users.programme_admin)
    page = _text(admin.get(reverse("audit_log"), {"app": "sign-in"}))
    assert "failed sign-in (password)" in page and "signed in (password)" in page
    # The outsider's sign-in is not in the science programme's trail.
    SignInEvent.objects.create(kind="signed_in", user=world.users.outsider, email="outsider@x")
    assert "outsider@x" not in _text(admin.get(reverse("audit_log"), {"app": "sign-in"}))


def test_the_trail_exports_as_csv_with_the_same_filters(changes, login):
    client = login(changes.users.programme_admin)
    response = client.get(reverse("audit_log"), {"app": "clusters", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["When", "Who", "Part", "Kind of record"]
    assert any("region: Surrey → Sussex" in row[7] for row in rows[1:])
    assert not any("Gamma" in cell for row in rows for cell in row)


def test_people_who_run_nothing_are_refused(world, login):
    for persona in ("coordinator", "head", "viewer", "outsider"):
        response = login(getattr(world.users, persona)).get(reverse("audit_log"))
        assert response.status_code == 403, persona


def test_a_trust_admin_audits_the_programmes_their_trust_runs(world, login):
    from tests.factories import TrustFactory

    trust = TrustFactory(name="Audit Trust")
    programme = cluster_services.programme_create(actor=None, name="Trust Hubs", trust=trust)
    hub = cluster_services.cluster_create(
        actor=None, programme=programme, name="Hub One", kind="mat_cluster"
    )
    person = people_services.person_create(
        actor=None, full_name="Tess Trust", email="tess@example.org", password=PASSWORD
    )
    people_services.role_assign(actor=None, person=person, role="trust_admin", trust=trust)
    cluster_services.cluster_update(actor=None, cluster=hub, region="Kent")
    cluster_services.cluster_update(actor=None, cluster=world.alpha, region="Sussex")
    page = _text(login(person.user).get(reverse("audit_log")))
    assert "Kent" in page and "Hub One" in page and "Sussex" not in page
    assert len(AuditTrail(person.user)) >= 1
