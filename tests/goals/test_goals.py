import datetime as dt

import pytest
from django.urls import reverse

from clusterwork.core.errors import ServiceError
from clusterwork.goals import services
from clusterwork.goals.models import Goal, Project
from clusterwork.goals.selectors import cluster_plan, successes
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(world):
    return services.goal_create(
        actor=world.users.coordinator,
        cluster=world.alpha,
        title="Every class does a fair test",
        horizon=Goal.Horizon.SHORT,
        owner=world.users.head.person,
        target_date=dt.date(2025, 7, 1),
    )


def test_goal_progress_is_dated_and_moves_the_status(world, goal):
    services.goal_progress(
        actor=world.users.head,
        goal=goal,
        text="Half the classes done",
        status="on_track",
        on=dt.date(2025, 3, 1),
    )
    services.goal_progress(
        actor=world.users.head,
        goal=goal,
        text="All done",
        status="achieved",
        on=dt.date(2025, 6, 20),
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED and goal.achieved_on == dt.date(2025, 6, 20)
    assert [u.text for u in goal.updates.all()] == ["All done", "Half the classes done"]
    assert goal.history.first().history_user == world.users.head


def test_progress_in_the_future_is_refused(world, goal):
    with pytest.raises(ServiceError, match="today or an earlier day"):
        services.goal_progress(
            actor=None,
            goal=goal,
            text="x",
            status="on_track",
            on=dt.date.today() + dt.timedelta(days=3),
        )
    assert goal.updates.count() == 0


def test_goal_owner_must_belong_to_the_cluster(world):
    with pytest.raises(ServiceError, match="neither works at a member school"):
        services.goal_create(
            actor=None,
            cluster=world.alpha,
            title="x",
            horizon="long",
            owner=world.users.outsider.person,
        )


def test_outreach_project_names_its_partner_and_schools_must_be_members(world):
    with pytest.raises(ServiceError, match="names who it reaches beyond the cluster"):
        services.project_create(
            actor=None, cluster=world.alpha, title="Science fair", kind=Project.Kind.OUTREACH
        )
    with pytest.raises(ServiceError, match="Not member schools of Alpha"):
        services.project_create(
            actor=None,
            cluster=world.alpha,
            title="Mars Rover Challenge",
            kind=Project.Kind.CLUSTER_GENERATED,
            schools=[SchoolFactory()],
        )
    project = services.project_create(
        actor=None,
        cluster=world.alpha,
        title="Science fair with the university",
        kind=Project.Kind.OUTREACH,
        partner_kind="university",
        partner_name="University of Surrey",
        schools=world.schools[:2],
    )
    assert project.schools.count() == 2


def test_completing_a_project_needs_its_outcomes(world):
    project = services.project_create(
        actor=None, cluster=world.alpha, title="10 Key Words", kind="cluster"
    )
    with pytest.raises(ServiceError, match="Record what the project achieved"):
        services.project_set_status(actor=None, project=project, status="completed")
    services.project_set_status(
        actor=None, project=project, status="completed", outcomes="Vocabulary up in every school"
    )
    project.refresh_from_db()
    assert project.ends_on == dt.date.today()


def test_successes_timeline_gathers_achievements_goals_and_projects(world, goal):
    services.achievement_record(
        actor=None,
        cluster=world.alpha,
        title="PSQM Gilt",
        kind="quality_mark",
        school=world.schools[1],
        on=dt.date(2025, 5, 1),
    )
    services.achievement_record(
        actor=None,
        cluster=world.alpha,
        title="Royal Society grant",
        kind="grant",
        school=world.schools[2],
        on=dt.date(2025, 2, 1),
        amount_pence=300_000,
    )
    services.goal_progress(
        actor=None, goal=goal, text="Done", status="achieved", on=dt.date(2025, 6, 1)
    )
    titles = [s.title for s in successes(world.alpha)]
    assert titles == ["Every class does a fair test", "PSQM Gilt", "Royal Society grant"]
    assert [s.title for s in successes(world.beta)] == []


def test_money_is_whole_pence(world):
    with pytest.raises(ServiceError, match="whole number of pence"):
        services.achievement_record(
            actor=None,
            cluster=world.alpha,
            title="Grant",
            kind="grant",
            school=world.schools[0],
            amount_pence=12.5,
        )


def test_plan_reads_in_a_constant_number_of_queries(world, goal, django_assert_max_num_queries):
    for i in range(5):
        services.goal_create(actor=None, cluster=world.alpha, title=f"Goal {i}", horizon="medium")
    with django_assert_max_num_queries(6):
        plan = cluster_plan(world.alpha)
        sum(len(goals) for _, goals in plan.goals_by_horizon)


EXPECTED = {
    # persona: plan, successes, newsletter.html, new goal form, goal page
    "programme_admin": (200, 200, 200, 200, 200),
    "coordinator": (200, 200, 200, 200, 200),
    "head": (200, 200, 200, 403, 200),
    "viewer": (200, 200, 200, 403, 200),
    "outsider": (404, 404, 404, 404, 404),
    "superuser": (200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_goal_pages_permission_matrix(world, goal, login, persona):
    client = login(getattr(world.users, persona))
    urls = [
        reverse("cluster_plan", args=[world.alpha.pk]),
        reverse("cluster_successes", args=[world.alpha.pk]),
        reverse("cluster_newsletter", args=[world.alpha.pk, "html"]),
        reverse("goal_new", args=[world.alpha.pk]),
        reverse("goal_detail", args=[goal.pk]),
    ]
    got = tuple(client.get(url).status_code for url in urls)
    assert got == EXPECTED[persona]


def test_goal_owner_may_report_progress_but_not_plan(world, goal, login):
    client = login(world.users.head)  # read-only in the cluster, but owns this goal
    response = client.post(
        reverse("goal_detail", args=[goal.pk]), {"text": "Started", "status": "on_track"}
    )
    assert response.status_code == 302
    assert (
        client.post(reverse("cluster_plan", args=[world.alpha.pk]), {"statement": "x"}).status_code
        == 403
    )
    viewer = login(world.users.viewer)
    response = viewer.post(
        reverse("goal_detail", args=[goal.pk]), {"text": "x", "status": "on_track"}
    )
    assert response.status_code == 403


def test_newsletter_pdf_is_a_real_pdf(world, login):
    services.achievement_record(
        actor=None,
        cluster=world.alpha,
        title="BP Enthuse Award",
        kind="award",
        school=world.schools[0],
    )
    response = login(world.users.coordinator).get(
        reverse("cluster_newsletter", args=[world.alpha.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = login(world.users.coordinator).get(
        reverse("cluster_newsletter", args=[world.alpha.pk, "html"])
    )
    assert "BP Enthuse Award" in html.content.decode()


def test_vision_and_goal_through_the_pages(world, login):
    client = login(world.users.coordinator)
    client.post(reverse("cluster_plan", args=[world.alpha.pk]), {"statement": "Curious scientists"})
    response = client.post(
        reverse("goal_new", args=[world.alpha.pk]),
        {
            "title": "Outdoor learning in every school",
            "horizon": "long",
            "ambition": "ambitious",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cluster_plan", args=[world.alpha.pk])).content.decode()
    assert "Curious scientists" in page and "Outdoor learning in every school" in page
