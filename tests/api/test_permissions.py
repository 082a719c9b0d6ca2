"""Every API operation × every persona of the ``world`` fixture, from one table.

Each row names an operation as the OpenAPI schema does ("POST /api/v1/clusters/"), how to
build its URL and body from the world, and the status each persona must get. A route with no
row fails ``test_every_route_has_a_matrix_row``, so new endpoints cannot skip the check.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from clusterwork.api.main import api
from tests.factories import SchoolFactory, TrustFactory

from .conftest import PERSONAS, call

PREFIX = "/api/v1"


def _statuses(ok, *, coordinator, head, viewer, outsider):
    return {
        "programme_admin": ok,
        "coordinator": coordinator,
        "head": head,
        "viewer": viewer,
        "outsider": outsider,
        "superuser": ok,
        "anonymous": 401,
    }


# Anyone signed in: the directory, and lists (which are scoped, never refused).
SIGNED_IN = _statuses(200, coordinator=200, head=200, viewer=200, outsider=200)
# Reading something in cluster alpha (science programme): the sport outsider must not see it.
SEE_ALPHA = _statuses(200, coordinator=200, head=200, viewer=200, outsider=404)


def change_alpha(ok):
    """Changing alpha: its coordinator may; the head and viewer see it read-only."""
    return _statuses(ok, coordinator=ok, head=403, viewer=403, outsider=404)


def change_science(ok):
    """Programme-level changes: only the programme admin (and superuser)."""
    return _statuses(ok, coordinator=403, head=403, viewer=403, outsider=404)


@dataclass
class Row:
    method: str
    route: str  # as in the OpenAPI schema, without the /api/v1 prefix
    expected: dict
    url_args: Callable = lambda w: {}
    body: Callable | None = None
    note: str = field(default="")

    @property
    def key(self) -> str:
        return f"{self.method} {PREFIX}{self.route}"


def _alpha_membership(w):
    return w.alpha.memberships.order_by("pk").first().pk


def _coordinator_person(w):
    return w.users.coordinator.person.pk


MATRIX = [
    Row("GET", "/schools/", SIGNED_IN),
    Row("GET", "/schools/{urn}", SIGNED_IN, lambda w: {"urn": w.schools[0].urn}),
    Row("GET", "/trusts/", SIGNED_IN),
    Row("GET", "/trusts/{trust_id}", SIGNED_IN, lambda w: {"trust_id": TrustFactory().pk}),
    Row("GET", "/local-authorities/", SIGNED_IN),
    Row("GET", "/programmes/", SIGNED_IN),
    Row("GET", "/programmes/{programme_id}", SEE_ALPHA, lambda w: {"programme_id": w.science.pk}),
    Row("GET", "/clusters/", SIGNED_IN),
    Row(
        "POST",
        "/clusters/",
        change_science(201),
        body=lambda w: {"programme": w.science.pk, "name": "Delta", "kind": "subject_network"},
    ),
    Row("GET", "/clusters/{cluster_id}", SEE_ALPHA, lambda w: {"cluster_id": w.alpha.pk}),
    Row(
        "PATCH",
        "/clusters/{cluster_id}",
        change_alpha(200),
        lambda w: {"cluster_id": w.alpha.pk},
        body=lambda w: {"region": "Kent"},
    ),
    Row(
        "POST",
        "/clusters/{cluster_id}/archive",
        change_alpha(200),
        lambda w: {"cluster_id": w.alpha.pk},
        body=lambda w: {"reason": "merged"},
    ),
    Row("GET", "/memberships/", SIGNED_IN),
    Row(
        "POST",
        "/memberships/",
        change_alpha(201),
        body=lambda w: {"cluster": w.alpha.pk, "school_urn": SchoolFactory().urn},
    ),
    Row(
        "GET",
        "/memberships/{membership_id}",
        SEE_ALPHA,
        lambda w: {"membership_id": _alpha_membership(w)},
    ),
    Row(
        "POST",
        "/memberships/{membership_id}/end",
        change_alpha(200),
        lambda w: {"membership_id": _alpha_membership(w)},
        body=lambda w: {"reason": "left"},
    ),
    Row(
        # beta's school into alpha: the coordinator may change alpha but not beta (403 with a
        # reason, not a silent half-move); head and viewer are read-only on alpha.
        "POST",
        "/memberships/move",
        _statuses(200, coordinator=403, head=403, viewer=403, outsider=404),
        body=lambda w: {
            "school_urn": w.schools[3].urn,
            "to_cluster": w.alpha.pk,
            "on": dt.date.today().isoformat(),
        },
    ),
    Row("GET", "/people/", SIGNED_IN),
    Row("GET", "/people/{person_id}", SEE_ALPHA, lambda w: {"person_id": _coordinator_person(w)}),
    Row(
        "GET",
        "/people/{person_id}/roles",
        SEE_ALPHA,
        lambda w: {"person_id": _coordinator_person(w)},
    ),
    Row("GET", "/me", SIGNED_IN),
]


# ----- issue 4: stages, goals, self-assessment, changes ------------------------------------


def _staged_alpha(w, *, complete=False):
    """Alpha at Year 1 of the science programme's stages (its checklist done if asked)."""
    from clusterwork.stages import services as stage_services
    from clusterwork.stages.selectors import cluster_stage_status

    stages = {
        s.key: s for s in stage_services.stages_install_defaults(actor=None, programme=w.science)
    }
    if stage_services.current_stage(w.alpha) is None:
        stage_services.stage_start(actor=None, cluster=w.alpha, stage=stages["year1"])
    if complete:
        status = cluster_stage_status(w.alpha)
        for line in status.exit_items + status.entry_items:
            stage_services.checklist_set(actor=None, cluster=w.alpha, item=line.item, done=True)
    return stages["year1"]


def _application(w):
    from clusterwork.stages import services as stage_services

    return stage_services.application_submit(
        actor=None,
        programme=w.science,
        cluster_name="Applicants",
        aims="Science together",
        schools=[SchoolFactory()],
        coordinator_name="Ann Applicant",
        coordinator_email="ann@example.org",
    ).pk


def _goal(w):
    from clusterwork.goals import services as goal_services

    return goal_services.goal_create(
        actor=None, cluster=w.alpha, title="Fair tests everywhere", horizon="short"
    ).pk


def _alpha_round(w):
    from clusterwork.people import services as people_services
    from clusterwork.surveys import services as survey_services
    from clusterwork.surveys.models import Round

    existing = Round.objects.filter(cluster=w.alpha).first()
    if existing:
        return existing
    leader = people_services.person_create(actor=None, full_name="Lee Leader")
    people_services.role_assign(
        actor=None, person=leader, role="subject_leader", school=w.schools[0]
    )
    questionnaire = survey_services.questionnaire_install_default(actor=None, programme=w.science)
    return survey_services.round_open(
        actor=None,
        questionnaire=questionnaire,
        cluster=w.alpha,
        deadline=dt.date.today() + dt.timedelta(days=14),
    )


def _head_role(w):
    return w.users.head.person.roles.get().pk


ONLY_PROGRAMME_ADMINS = _statuses(200, coordinator=404, head=404, viewer=404, outsider=404)

MATRIX += [
    Row(
        "GET",
        "/stages/programmes/{programme_id}/board",
        SEE_ALPHA,
        lambda w: {"programme_id": w.science.pk},
    ),
    Row("GET", "/stages/clusters/{cluster_id}", SEE_ALPHA, lambda w: {"cluster_id": w.alpha.pk}),
    Row(
        "POST",
        "/stages/clusters/{cluster_id}/checklist/{item_id}",
        change_alpha(200),
        lambda w: {"cluster_id": w.alpha.pk, "item_id": _staged_alpha(w).items.first().pk},
        body=lambda w: {"done": True},
    ),
    Row(
        "POST",
        "/stages/clusters/{cluster_id}/advance",
        change_science(200),
        lambda w: {"cluster_id": w.alpha.pk, "_": _staged_alpha(w, complete=True)},
        body=lambda w: {"note": "ready"},
    ),
    Row("GET", "/applications/", SIGNED_IN),
    Row(
        "GET",
        "/applications/{application_id}",
        ONLY_PROGRAMME_ADMINS,
        lambda w: {"application_id": _application(w)},
    ),
    Row(
        "POST",
        "/applications/",
        change_science(201),
        body=lambda w: {
            "programme": w.science.pk,
            "cluster_name": "New group",
            "aims": "x",
            "school_urns": [SchoolFactory().urn],
            "coordinator_name": "C",
            "coordinator_email": "c@example.org",
        },
    ),
    Row(
        "POST",
        "/applications/{application_id}/decision",
        ONLY_PROGRAMME_ADMINS,
        lambda w: {"application_id": _application(w)},
        body=lambda w: {"accept": False, "notes": "Too small for now"},
    ),
    Row("GET", "/goals/clusters/{cluster_id}", SEE_ALPHA, lambda w: {"cluster_id": w.alpha.pk}),
    Row(
        "GET",
        "/goals/clusters/{cluster_id}/successes",
        SEE_ALPHA,
        lambda w: {"cluster_id": w.alpha.pk},
    ),
    Row(
        "POST",
        "/goals/",
        change_alpha(201),
        body=lambda w: {"cluster": w.alpha.pk, "title": "Outdoor learning", "horizon": "long"},
    ),
    Row("GET", "/goals/{goal_id}", SEE_ALPHA, lambda w: {"goal_id": _goal(w)}),
    Row(
        "POST",
        "/goals/{goal_id}/progress",
        change_alpha(200),
        lambda w: {"goal_id": _goal(w)},
        body=lambda w: {"text": "Started", "status": "on_track"},
    ),
    Row("GET", "/self-assessment/rounds", SIGNED_IN),
    Row(
        "GET",
        "/self-assessment/rounds/{round_id}",
        SEE_ALPHA,
        lambda w: {"round_id": _alpha_round(w).pk},
    ),
    Row(
        "GET",
        "/self-assessment/clusters/{cluster_id}/needs",
        SEE_ALPHA,
        lambda w: {"cluster_id": w.alpha.pk},
        body=lambda w: {"round": _alpha_round(w).pk},
    ),
    Row("GET", "/self-assessment/responses/mine", SIGNED_IN),
    # A response is only ever its respondent's: no persona here is the invited subject leader.
    Row(
        "POST",
        "/self-assessment/responses/{response_id}",
        _statuses(404, coordinator=404, head=404, viewer=404, outsider=404),
        lambda w: {"response_id": _alpha_round(w).responses.first().pk},
        body=lambda w: {"answers": {}},
    ),
    Row("GET", "/changes/clusters/{cluster_id}", SEE_ALPHA, lambda w: {"cluster_id": w.alpha.pk}),
    Row(
        "POST",
        "/changes/clusters/{cluster_id}/circumstances",
        change_alpha(201),
        lambda w: {"cluster_id": w.alpha.pk},
        body=lambda w: {"kind": "priorities", "title": "New school improvement plan"},
    ),
    Row(
        "POST",
        "/changes/clusters/{cluster_id}/staff-changes",
        change_alpha(201),
        lambda w: {"cluster_id": w.alpha.pk},
        body=lambda w: {
            "role_assignment_id": _head_role(w),
            "kind": "temporary_cover",
            "starts_on": dt.date.today().isoformat(),
            "ends_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
    ),
]


# ----- meetings ----------------------------------------------------------------------------


def _alpha_meeting(w, *, past=False):
    """An alpha meeting with the head invited, scheduled through the services. Invitations
    are only for future events, so a past one is invited first and then moved back in time,
    as time passing would."""
    from django.utils import timezone

    from clusterwork.meetings import services as meeting_services
    from clusterwork.meetings.models import Event

    title = "Past matrix meeting" if past else "Matrix meeting"
    event = Event.objects.filter(title=title).first()
    if event:
        return event
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    event = meeting_services.event_create(
        actor=None,
        cluster=w.alpha,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="The library",
    )
    meeting_services.invite_person(actor=None, event=event, person=w.users.head.person)
    if past:
        start -= dt.timedelta(days=8)
        Event.objects.filter(pk=event.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )
        event.refresh_from_db()
    return event


def _next_week():
    from django.utils import timezone

    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    return {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=2)).isoformat()}


# Coordinators, programme admins and viewers of the cluster see engagement; headteachers
# see their cluster but not how the other schools take part.
SEE_ALPHA_ENGAGEMENT = _statuses(200, coordinator=200, head=403, viewer=200, outsider=404)
# Engagement across the programme needs a role on the programme itself.
SEE_SCIENCE_ENGAGEMENT = change_science(200)

MATRIX += [
    Row("GET", "/meetings/", SIGNED_IN),
    Row(
        "POST",
        "/meetings/",
        change_alpha(201),
        body=lambda w: {
            "cluster": w.alpha.pk,
            "title": "Planning",
            "location": "Hall",
            **_next_week(),
        },
    ),
    Row("GET", "/meetings/{event_id}", SEE_ALPHA, lambda w: {"event_id": _alpha_meeting(w).pk}),
    Row(
        "POST",
        "/meetings/{event_id}/invitations",
        change_alpha(201),
        lambda w: {"event_id": _alpha_meeting(w).pk},
        body=lambda w: {"role": "headteacher"},
    ),
    Row(
        "POST",
        "/meetings/{event_id}/attendance",
        change_alpha(200),
        lambda w: {"event_id": _alpha_meeting(w, past=True).pk},
        body=lambda w: [{"person": w.users.head.person.pk, "status": "attended"}],
    ),
    # Only the invitee (the head) may reply; others who see the meeting are told why not.
    Row(
        "POST",
        "/meetings/{event_id}/rsvp",
        _statuses(400, coordinator=400, head=200, viewer=400, outsider=404),
        lambda w: {"event_id": _alpha_meeting(w).pk},
        body=lambda w: {"response": "yes"},
    ),
    Row(
        "GET",
        "/meetings/engagement/clusters/{cluster_id}",
        SEE_ALPHA_ENGAGEMENT,
        lambda w: {"cluster_id": w.alpha.pk},
    ),
    Row(
        "GET",
        "/meetings/engagement/programmes/{programme_id}",
        SEE_SCIENCE_ENGAGEMENT,
        lambda w: {"programme_id": w.science.pk},
    ),
]


def contributed_rows() -> list[Row]:
    """Rows other apps keep next to their own tests, in tests/<app>/api_matrix_rows.py
    (``ROWS``), as tests/web/matrix.py collects the page rows."""
    import importlib
    from pathlib import Path

    rows = []
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/api_matrix_rows.py")):
        rows += importlib.import_module(f"tests.{path.parent.name}.api_matrix_rows").ROWS
    return rows


MATRIX = MATRIX + contributed_rows()


def test_every_route_has_a_matrix_row():
    schema_ops = {
        f"{method.upper()} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    matrix_ops = {row.key for row in MATRIX}
    assert len(matrix_ops) == len(MATRIX), "duplicate rows in the matrix"
    assert schema_ops - matrix_ops == set(), "API routes without a permission-matrix row"
    assert matrix_ops - schema_ops == set(), "matrix rows for routes the API does not have"


def test_every_row_covers_every_persona():
    for row in MATRIX:
        assert set(row.expected) == set(PERSONAS), row.key


def test_permission_matrix(world, as_persona):
    """One world for the whole table (building it is the slow part); every request runs in a
    savepoint that is rolled back, so each persona acts on the same untouched world."""
    mismatches = {}
    for row in MATRIX:
        for persona in PERSONAS:
            with transaction.atomic():
                url = PREFIX + row.route.format(**row.url_args(world))
                body = row.body(world) if row.body else None
                response = call(as_persona(persona), row.method, url, body)
                if response.status_code >= 400:
                    assert "detail" in response.json(), (row.key, persona, response.content)
                if response.status_code != row.expected[persona]:
                    mismatches.setdefault(row.key, {})[persona] = (
                        f"expected {row.expected[persona]}, got {response.status_code}: "
                        f"{response.content[:200]!r}"
                    )
                transaction.set_rollback(True)
    assert mismatches == {}
