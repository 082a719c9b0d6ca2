import datetime as dt

import pytest
from django.urls import reverse

from clusterwork.clusters.models import Cluster
from clusterwork.core.errors import ServiceError
from clusterwork.people.models import Role, RoleAssignment
from clusterwork.stages import services
from clusterwork.stages.models import Application, ChecklistItem, ClusterStage
from clusterwork.stages.selectors import cluster_stage_status, programme_board
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staged(world):
    stages = services.stages_install_defaults(actor=None, programme=world.science)
    by_key = {s.key: s for s in stages}
    services.stage_start(
        actor=None, cluster=world.alpha, stage=by_key["year1"], on=dt.date(2024, 9, 1)
    )
    return by_key


def test_default_stages_follow_the_five_year_programme(world):
    stages = services.stages_install_defaults(actor=None, programme=world.science)
    assert [s.key for s in stages] == [
        "application",
        "panel",
        "setup",
        "year1",
        "developing",
        "transition",
        "independent",
    ]
    # Installing twice changes nothing.
    assert services.stages_install_defaults(actor=None, programme=world.science) == stages


def test_stage_move_is_refused_while_the_checklist_is_open(world, staged):
    with pytest.raises(ServiceError) as caught:
        services.stage_advance(actor=world.users.programme_admin, cluster=world.alpha)
    message = caught.value.text
    assert "cannot move on to “Years 2–4 — developing and maturing” yet" in message
    assert (
        "Shared vision agreed" in message and "Short-, medium- and long-term goals set" in message
    )
    assert ClusterStage.objects.filter(cluster=world.alpha).count() == 1


def test_stage_moves_on_when_the_checklist_is_done_and_history_is_kept(world, staged):
    for item in staged["year1"].items.filter(when=ChecklistItem.When.EXIT):
        services.checklist_set(
            actor=world.users.coordinator, cluster=world.alpha, item=item, done=True
        )
    row = services.stage_advance(
        actor=world.users.programme_admin, cluster=world.alpha, on=dt.date(2025, 9, 1)
    )
    assert row.stage.key == "developing"
    rows = list(ClusterStage.objects.filter(cluster=world.alpha).order_by("entered_on"))
    assert [(r.stage.key, r.left_on) for r in rows] == [
        ("year1", dt.date(2025, 9, 1)),
        ("developing", None),
    ]
    status = cluster_stage_status(world.alpha)
    assert status.row.stage.key == "developing"
    assert status.blockers == ["Succession plan agreed"]


def test_unticking_keeps_the_row_and_blocks_again(world, staged):
    item = staged["year1"].items.filter(when=ChecklistItem.When.EXIT).first()
    services.checklist_set(actor=None, cluster=world.alpha, item=item, done=True)
    tick = services.checklist_set(actor=None, cluster=world.alpha, item=item, done=False)
    assert not tick.done and tick.history.count() == 2
    assert item.text in cluster_stage_status(world.alpha).blockers


def test_last_stage_makes_the_cluster_self_running(world, staged):
    services.stage_start(actor=None, cluster=world.beta, stage=staged["transition"])
    for item in staged["transition"].items.all():
        services.checklist_set(actor=None, cluster=world.beta, item=item, done=True)
    services.stage_advance(actor=None, cluster=world.beta)
    world.beta.refresh_from_db()
    assert world.beta.status == Cluster.Status.INDEPENDENT
    with pytest.raises(ServiceError, match="last stage"):
        services.stage_advance(actor=None, cluster=world.beta)


def test_accepted_application_creates_cluster_members_coordinator_and_stage(world):
    schools = SchoolFactory.create_batch(4)
    application = services.application_submit(
        actor=world.users.programme_admin,
        programme=world.science,
        cluster_name="Delta",
        aims="Practical science in every classroom",
        schools=schools,
        coordinator_name="Dana Whitfield",
        coordinator_email="dana@example.org",
        lead_school=schools[0],
    )
    services.application_decide(
        actor=world.users.programme_admin,
        application=application,
        accept=True,
        notes="Strong plan; nearby schools.",
        on=dt.date(2025, 7, 1),
    )
    application.refresh_from_db()
    cluster = application.cluster
    assert application.status == Application.Status.ACCEPTED
    assert cluster.name == "Delta" and cluster.lead_school == schools[0]
    assert sorted(m.school_id for m in cluster.memberships.all()) == sorted(s.id for s in schools)
    coordinator = RoleAssignment.objects.get(cluster=cluster, role=Role.CLUSTER_COORDINATOR)
    assert coordinator.person.email == "dana@example.org"
    status = cluster_stage_status(cluster)
    assert status.row.stage.key == "setup"
    assert "Panel accepted the application" not in status.blockers


def test_application_with_a_school_already_in_the_programme_is_refused(world):
    with pytest.raises(ServiceError, match="Already in a cluster of Science Clusters"):
        services.application_submit(
            actor=None,
            programme=world.science,
            cluster_name="Clash",
            aims="x",
            schools=[world.schools[0]],
            coordinator_name="A",
            coordinator_email="a@example.org",
        )
    assert not Application.objects.exists()


def test_declined_application_needs_reasons_and_creates_nothing(world):
    school = SchoolFactory()
    application = services.application_submit(
        actor=None,
        programme=world.science,
        cluster_name="Epsilon",
        aims="x",
        schools=[school],
        coordinator_name="A",
        coordinator_email="a@example.org",
    )
    with pytest.raises(ServiceError, match="panel's reasons"):
        services.application_decide(actor=None, application=application, accept=False, notes=" ")
    services.application_decide(
        actor=None, application=application, accept=False, notes="Too few schools"
    )
    assert not Cluster.objects.filter(name="Epsilon").exists()


def test_board_shows_each_cluster_by_stage_with_blockers(
    world, staged, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        board = programme_board(world.users.programme_admin, world.science)
        columns = {c.stage.key: c for c in board.columns}
        cards = columns["year1"].clusters
    assert [c.cluster.name for c in cards] == ["Alpha"]
    assert "Shared vision agreed" in cards[0].blockers
    assert [c.name for c in board.unplaced] == ["Beta"]


def test_board_lists_only_clusters_the_user_may_see(world, staged):
    board = programme_board(world.users.coordinator, world.science)
    assert [c.name for c in board.unplaced] == []
    assert [card.cluster.name for col in board.columns for card in col.clusters] == ["Alpha"]


PAGES = [
    ("programme_board", "science"),
    ("programme_stages", "science"),
    ("application_new", "science"),
    ("cluster_stage", "alpha"),
]
EXPECTED = {
    # persona: (board, stages, application form, alpha stage page)
    "programme_admin": (200, 200, 200, 200),
    "coordinator": (200, 200, 403, 200),
    "head": (200, 200, 403, 200),
    "viewer": (200, 200, 403, 200),
    "outsider": (404, 404, 404, 404),
    "superuser": (200, 200, 200, 200),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_stage_pages_permission_matrix(world, staged, login, persona, client):
    client = login(getattr(world.users, persona))
    for (name, target), expected in zip(PAGES, EXPECTED[persona], strict=True):
        response = client.get(reverse(name, args=[getattr(world, target).pk]))
        assert response.status_code == expected, (persona, name)


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(reverse("programme_board", args=[world.science.pk]))
    assert response.status_code == 302 and "/login" in response.url


@pytest.mark.parametrize(
    ("persona", "expected"), [("coordinator", 302), ("head", 403), ("outsider", 404)]
)
def test_ticking_the_checklist(world, staged, login, persona, expected):
    item = staged["year1"].items.first()
    client = login(getattr(world.users, persona))
    response = client.post(reverse("checklist_tick", args=[world.alpha.pk, item.pk]), {"done": "1"})
    assert response.status_code == expected


@pytest.mark.parametrize(("persona", "expected"), [("programme_admin", 200), ("coordinator", 403)])
def test_only_the_programme_moves_a_cluster_on(world, staged, login, persona, expected):
    client = login(getattr(world.users, persona))
    response = client.post(reverse("cluster_stage", args=[world.alpha.pk]), {"note": ""})
    assert response.status_code == expected
    if expected == 200:  # refused by the open checklist, shown on the page
        assert "the checklist is incomplete" in response.content.decode()


def test_panel_flow_through_the_pages(world, login):
    schools = SchoolFactory.create_batch(3)
    client = login(world.users.programme_admin)
    response = client.post(
        reverse("application_new", args=[world.science.pk]),
        {
            "cluster_name": "Zeta",
            "aims": "Outdoor science",
            "region": "Kent",
            "school_urns": " ".join(str(s.urn) for s in schools),
            "lead_school_urn": schools[0].urn,
            "coordinator_name": "Zoe Marsh",
            "coordinator_email": "zoe@example.org",
        },
    )
    application = Application.objects.get(cluster_name="Zeta")
    assert response.status_code == 302
    response = client.post(
        reverse("application_detail", args=[application.pk]),
        {"decision": "accept", "notes": "Good"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.cluster.memberships.count() == 3
    bad = client.post(
        reverse("application_new", args=[world.science.pk]),
        {
            "cluster_name": "Eta",
            "aims": "x",
            "school_urns": "12x 999999999",
            "coordinator_name": "Q",
            "coordinator_email": "q@example.org",
        },
    )
    assert "Not URNs (numbers): 12x" in bad.content.decode()
