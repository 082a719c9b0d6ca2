import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from clusterwork.core.errors import ServiceError
from clusterwork.core.tasks import IMMEDIATE_BACKEND
from clusterwork.people.models import Role
from clusterwork.surveys import services
from clusterwork.surveys.models import Answer, Question, Response
from clusterwork.surveys.selectors import compare_rounds, returned_by_school, shared_needs
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}


@pytest.fixture
def leaders(world):
    """A subject leader (with an account) at each of alpha's and beta's schools."""
    return [
        make_persona(f"leader_{i}", Role.SUBJECT_LEADER, school=school)
        for i, school in enumerate(world.schools[:6])
    ]


@pytest.fixture
def questionnaire(world):
    return services.questionnaire_install_default(actor=None, programme=world.science)


def answer_all(response, rating_by_area, questionnaire):
    answers = {}
    for q in questionnaire.questions.select_related("area"):
        answers[q.pk] = rating_by_area.get(q.area.name, 3) if q.kind == Question.Kind.RATING else ""
    return services.response_submit(actor=response.person.user, response=response, answers=answers)


def test_round_goes_to_every_current_subject_leader_with_an_email(world, leaders, questionnaire):
    with django_capture_on_commit():
        round_ = services.round_open(
            actor=world.users.coordinator,
            questionnaire=questionnaire,
            cluster=world.alpha,
            deadline=TODAY + dt.timedelta(days=14),
        )
    assert round_.responses.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in leaders[:3])
    assert "by " in mail.outbox[0].subject


def django_capture_on_commit():
    # pytest-django's fixture needs a request; this lets a helper run on_commit callbacks.
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_round_refuses_past_deadlines_and_empty_clusters(world, questionnaire):
    with pytest.raises(ServiceError, match="deadline must be in the future"):
        services.round_open(actor=None, questionnaire=questionnaire, deadline=TODAY)
    with pytest.raises(ServiceError, match="No current subject leaders in Gamma"):
        services.round_open(
            actor=None,
            questionnaire=services.questionnaire_install_default(actor=None, programme=world.sport),
            cluster=world.gamma,
            deadline=TODAY + dt.timedelta(days=7),
        )


def test_out_of_range_answer_is_refused_and_nothing_written(world, leaders, questionnaire):
    round_ = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=7),
    )
    response = round_.responses.first()
    question = questionnaire.questions.filter(kind="rating").first()
    answers = {q.pk: 3 for q in questionnaire.questions.filter(kind="rating")}
    answers[question.pk] = 9
    with pytest.raises(ServiceError, match=r"'9' is outside the scale 1–5"):
        services.response_submit(actor=response.person.user, response=response, answers=answers)
    assert not Answer.objects.exists()
    response.refresh_from_db()
    assert response.submitted_at is None


def test_only_the_invitee_may_answer(world, leaders, questionnaire):
    round_ = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=7),
    )
    response = round_.responses.first()
    with pytest.raises(ServiceError, match="Only the person it was sent to"):
        services.response_submit(actor=world.users.coordinator, response=response, answers={})


def test_shared_needs_rank_areas_and_hide_fewer_than_three(world, leaders, questionnaire):
    round_ = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=7),
    )
    responses = list(round_.responses.order_by("school__name"))
    answer_all(responses[0], {"Assessment": 1, "Planning": 2}, questionnaire)
    answer_all(responses[1], {"Assessment": 2}, questionnaire)
    needs = shared_needs(world.alpha, round_)
    assert needs.suppressed and needs.areas == []  # two schools: nothing shown
    answer_all(responses[2], {"Assessment": 1, "Practical work": 5}, questionnaire)
    needs = shared_needs(world.alpha, round_)
    assert not needs.suppressed
    assert [(a.area, a.schools_needing_support) for a in needs.areas][:2] == [
        ("Assessment", 3),
        ("Planning", 1),
    ]
    assert needs.suggestions[0] == "Shared need: Assessment (3 of 3 schools want support)"


def test_rounds_compare_before_and_after(world, leaders, questionnaire):
    first = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=7),
        title="Autumn",
    )
    for response in first.responses.all():
        answer_all(response, {"Assessment": 2}, questionnaire)
    services.round_close(actor=None, round_=first)
    second = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=8),
        title="Summer",
    )
    for response in second.responses.all():
        answer_all(response, {"Assessment": 4}, questionnaire)
    comparison = compare_rounds(world.alpha, questionnaire)
    column = comparison.areas.index("Assessment")
    assert [(r.title, means[column]) for r, _, means in comparison.rows] == [
        ("Autumn", 2.0),
        ("Summer", 4.0),
    ]
    assert returned_by_school(world.alpha)[world.schools[0].pk] == (2, 2)


def test_needs_page_permissions_and_privacy(world, leaders, questionnaire, login):
    round_ = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=7),
    )
    url = reverse("cluster_needs", args=[world.alpha.pk])
    assert login(world.users.outsider).get(url).status_code == 404
    page = login(world.users.coordinator).get(url).content.decode()
    assert "Results appear once at least 3 schools" in page
    school = world.schools[0]
    # Only the school's own staff may see its own answers.
    assert (
        login(world.users.coordinator)
        .get(f"{url}?round={round_.pk}&school={school.pk}")
        .status_code
        == 403
    )
    assert (
        login(world.users.head).get(f"{url}?round={round_.pk}&school={school.pk}").status_code
        == 200
    )


def test_respondent_fills_in_through_the_page(world, leaders, questionnaire, login):
    round_ = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=7),
    )
    response = Response.objects.get(round=round_, person=leaders[0].person)
    url = reverse("survey_response", args=[response.pk])
    assert login(world.users.coordinator).get(url).status_code == 404  # not theirs
    client = login(leaders[0])
    data = {f"q{q.pk}": "4" for q in questionnaire.questions.filter(kind="rating")}
    incomplete = dict(data)
    incomplete.pop(next(iter(incomplete)))
    page = client.post(url, incomplete).content.decode()
    assert "Please answer" in page
    assert client.post(url, data).status_code == 302
    response.refresh_from_db()
    assert response.submitted_at is not None


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("programme_admin", 200), ("coordinator", 200), ("head", 200), ("outsider", 404)],
)
def test_programme_and_questionnaire_pages(world, questionnaire, login, persona, expected):
    client = login(getattr(world.users, persona))
    assert client.get(reverse("programme_surveys", args=[world.science.pk])).status_code == expected
    assert (
        client.get(reverse("questionnaire_detail", args=[questionnaire.pk])).status_code == expected
    )


def test_head_cannot_build_questionnaires(world, questionnaire, login):
    response = login(world.users.head).post(
        reverse("programme_surveys", args=[world.science.pk]), {"action": "install-default"}
    )
    assert response.status_code == 403


def test_needs_page_draws_before_and_after_and_a_schools_own_results(
    world, leaders, questionnaire, login
):
    for title, rating in (("Autumn", 2), ("Summer", 4)):
        round_ = services.round_open(
            actor=None,
            questionnaire=questionnaire,
            cluster=world.alpha,
            deadline=TODAY + dt.timedelta(days=7),
            title=title,
        )
        for response in round_.responses.all():
            answer_all(response, {"Assessment": rating}, questionnaire)
        services.round_close(actor=None, round_=round_)
    url = reverse("cluster_needs", args=[world.alpha.pk])
    page = login(world.users.coordinator).get(url).content.decode()
    assert "Before and after" in page and "<svg" in page
    # The chart's figures: one column per round (with how many returned it), one row per area.
    assert "Autumn (3 returned)" in page and "Summer (3 returned)" in page
    assert '<th scope="row">Assessment</th><td>2</td><td>4</td>' in page
    assert "Your school's own results" not in page  # the coordinator is no school's staff
    school = world.schools[0]
    own = login(world.users.head).get(f"{url}?school={school.pk}").content.decode()
    assert "Your school&#x27;s mean rating per area" in own
    assert "Autumn (1 returned)" in own


def test_response_page_groups_the_questions_by_area_and_closes_with_its_round(
    world, leaders, questionnaire, login
):
    round_ = services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=world.alpha,
        deadline=TODAY + dt.timedelta(days=7),
    )
    response = Response.objects.get(round=round_, person=leaders[0].person)
    client = login(leaders[0])
    page = client.get(reverse("survey_response", args=[response.pk])).content.decode()
    for area in questionnaire.areas.all():
        assert f"<legend>{area.name}</legend>" in page
    assert "Return my self-assessment" in page
    services.round_close(actor=None, round_=round_)
    page = client.get(reverse("survey_response", args=[response.pk])).content.decode()
    assert "This round is closed." in page and "Return my self-assessment" not in page
