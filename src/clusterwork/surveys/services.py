"""Writes for questionnaires, rounds and responses."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.errors import ServiceError
from clusterwork.people.models import Role, RoleAssignment

from .models import Answer, Area, Question, Questionnaire, Response, Round

# A science subject-leader self-assessment in the areas seed 001's clusters worked on.
DEFAULT_QUESTIONNAIRE = {
    "title": "Science subject leader self-assessment",
    "areas": {
        "Planning": [
            ("rating", "Our long-term science plan shows clear progression across year groups"),
            ("rating", "Teachers plan lessons with investigative, hands-on science"),
        ],
        "Assessment": [
            ("rating", "We assess working scientifically as well as knowledge"),
            ("rating", "Moderation of science work happens at least once a year"),
        ],
        "Practical work": [
            ("rating", "Every class does practical science at least fortnightly"),
            ("rating", "We have the basic resources practical science needs"),
        ],
        "Subject leadership": [
            ("rating", "I have time to monitor science teaching across the school"),
            ("rating", "Senior leaders and governors hear about science regularly"),
            ("text", "What one thing would most help you lead science this year?"),
        ],
    },
}


@transaction.atomic
def questionnaire_create(
    *, actor, programme: Programme, title: str, description: str = "", areas: list[str] = ()
) -> Questionnaire:
    if not title.strip():
        raise ServiceError("Give the questionnaire a title.", field="title")
    questionnaire = Questionnaire(programme=programme, title=title.strip(), description=description)
    audited_save(questionnaire, actor)
    for order, name in enumerate(areas):
        area_add(actor=actor, questionnaire=questionnaire, name=name, order=order)
    return questionnaire


@transaction.atomic
def area_add(*, actor, questionnaire: Questionnaire, name: str, order: int | None = None) -> Area:
    name = name.strip()
    if not name:
        raise ServiceError("Name the area.", field="name")
    if questionnaire.areas.filter(name__iexact=name).exists():
        raise ServiceError(f"There is already an area called “{name}”.", field="name")
    area = Area(
        questionnaire=questionnaire,
        name=name,
        order=questionnaire.areas.count() if order is None else order,
    )
    audited_save(area, actor)
    return area


def _locked(questionnaire: Questionnaire) -> None:
    # Changing questions after answers exist would make rounds incomparable.
    if Answer.objects.filter(question__questionnaire=questionnaire).exists():
        raise ServiceError(
            "This questionnaire already has answers; copy it to change its questions."
        )


@transaction.atomic
def question_add(
    *,
    actor,
    questionnaire: Questionnaire,
    area: Area,
    text: str,
    kind: str,
    scale_max: int = 5,
    choices: list[str] | None = None,
    required: bool = True,
    needs_support_at_or_below: int = 2,
) -> Question:
    _locked(questionnaire)
    if area.questionnaire_id != questionnaire.pk:
        raise ServiceError("That area belongs to another questionnaire.", field="area")
    if kind not in Question.Kind.values:
        raise ServiceError("Choose the kind of question.", field="kind")
    choices = [c.strip() for c in (choices or []) if c.strip()]
    if kind == Question.Kind.CHOICE and len(choices) < 2:
        raise ServiceError(
            "A multiple-choice question needs at least two options.", field="choices"
        )
    if kind == Question.Kind.RATING and not (2 <= scale_max <= 10):
        raise ServiceError("A rating scale runs from 1 to between 2 and 10.", field="scale_max")
    if kind == Question.Kind.RATING and not (1 <= needs_support_at_or_below < scale_max):
        raise ServiceError(
            "The 'needs support' threshold must lie within the scale.",
            field="needs_support_at_or_below",
        )
    question = Question(
        questionnaire=questionnaire,
        area=area,
        text=text.strip(),
        kind=kind,
        scale_max=scale_max,
        choices=choices,
        required=required,
        needs_support_at_or_below=needs_support_at_or_below,
        order=questionnaire.questions.filter(area=area).count(),
    )
    audited_save(question, actor)
    return question


@transaction.atomic
def questionnaire_install_default(*, actor, programme: Programme) -> Questionnaire:
    spec = DEFAULT_QUESTIONNAIRE
    existing = programme.questionnaires.filter(title=spec["title"]).first()
    if existing:
        return existing
    questionnaire = questionnaire_create(
        actor=actor,
        programme=programme,
        title=spec["title"],
        areas=list(spec["areas"]),
        description="Rate each statement for your school: 1 = we need a lot of support, "
        "5 = confident, we could support others.",
    )
    areas = {a.name: a for a in questionnaire.areas.all()}
    for area_name, questions in spec["areas"].items():
        for kind, text in questions:
            question_add(
                actor=actor,
                questionnaire=questionnaire,
                area=areas[area_name],
                text=text,
                kind=kind,
                required=kind != "text",
            )
    return questionnaire


def _subject_leaders(programme: Programme, cluster: Cluster | None, on: dt.date):
    """(person, school, cluster) for every current subject leader of a member school."""
    memberships = ClusterMembership.objects.on(on).filter(programme=programme)
    if cluster is not None:
        memberships = memberships.filter(cluster=cluster)
    memberships = memberships.filter(cluster__archived_at__isnull=True).select_related("cluster")
    by_school = {m.school_id: m.cluster for m in memberships}
    leaders = (
        RoleAssignment.objects.current(on)
        .filter(role=Role.SUBJECT_LEADER, school_id__in=by_school)
        .select_related("person", "school")
        .order_by("school__name")
    )
    return [(r.person, r.school, by_school[r.school_id]) for r in leaders]


@transaction.atomic
def round_open(
    *,
    actor,
    questionnaire: Questionnaire,
    deadline: dt.date,
    title: str = "",
    cluster: Cluster | None = None,
    opens_on: dt.date | None = None,
    backdated: bool = False,
) -> Round:
    """Send the questionnaire to every current subject leader (of ``cluster``, or of every
    cluster of the programme), with a deadline; invitations go out by email after commit.

    ``backdated`` records a round that already happened (importing past paper rounds): its
    dates may lie in the past and no email is sent."""
    from .tasks import send_round_emails

    today = timezone.localdate()
    opens_on = opens_on or today
    if questionnaire.is_archived:
        raise ServiceError("This questionnaire is archived.")
    if not questionnaire.questions.exists():
        raise ServiceError("Add questions before sending the questionnaire.")
    if deadline <= opens_on or (deadline < today and not backdated):
        raise ServiceError(
            "The deadline must be in the future, after the round opens.", field="deadline"
        )
    programme = questionnaire.programme
    if cluster is not None and cluster.programme_id != programme.pk:
        raise ServiceError(f"{cluster} is not in {programme}.", field="cluster")
    recipients = _subject_leaders(programme, cluster, opens_on)
    if not recipients:
        where = cluster or programme
        raise ServiceError(f"No current subject leaders in {where} to send it to.")
    round_ = Round(
        questionnaire=questionnaire,
        cluster=cluster,
        opens_on=opens_on,
        deadline=deadline,
        title=title.strip() or f"{questionnaire.title} — {opens_on:%B %Y}",
        created_by=user_or_none(actor),
    )
    audited_save(round_, actor)
    Response.objects.bulk_create(
        [Response(round=round_, person=p, school=s, cluster=c) for p, s, c in recipients]
    )
    if not backdated:
        transaction.on_commit(lambda: send_round_emails.enqueue(round_.pk, "invitation"))
    return round_


@transaction.atomic
def round_remind(*, actor, round_: Round) -> int:
    from .tasks import send_round_emails

    if round_.status != Round.Status.OPEN:
        raise ServiceError("This round is closed.")
    waiting = round_.responses.filter(submitted_at__isnull=True).count()
    if not waiting:
        raise ServiceError("Everyone has returned the questionnaire.")
    transaction.on_commit(lambda: send_round_emails.enqueue(round_.pk, "reminder"))
    return waiting


@transaction.atomic
def round_close(*, actor, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    round_.status = Round.Status.CLOSED
    audited_save(round_, actor, "closed")
    return round_


def _clean_answer(question: Question, raw) -> dict:
    value = "" if raw is None else str(raw).strip()
    if not value:
        if question.required:
            raise ServiceError(f"Please answer “{question.text}”.", field=f"q{question.pk}")
        return {}
    if question.kind == Question.Kind.RATING:
        if not value.isdigit() or not (question.scale_min <= int(value) <= question.scale_max):
            raise ServiceError(
                f"“{question.text}”: {value!r} is outside the scale "
                f"{question.scale_min}–{question.scale_max}.",
                field=f"q{question.pk}",
            )
        return {"rating": int(value)}
    if question.kind == Question.Kind.CHOICE:
        if value not in question.choices:
            raise ServiceError(
                f"“{question.text}”: {value!r} is not one of the options.", field=f"q{question.pk}"
            )
        return {"choice": value}
    return {"text": value[:5000]}


@transaction.atomic
def response_submit(
    *,
    actor,
    response: Response,
    answers: dict,
    on_behalf: bool = False,
    submitted_at: dt.datetime | None = None,
) -> Response:
    """Save a subject leader's answers (``{question_id: value}``) all at once, or nothing.

    ``on_behalf`` lets whoever manages the round type in a paper return (the caller checks
    that permission); otherwise only the person it was sent to may answer."""
    response = (
        Response.objects.select_for_update().select_related("round", "person").get(pk=response.pk)
    )
    is_respondent = response.person.user_id is not None and response.person.user_id == getattr(
        actor, "pk", None
    )
    if not (is_respondent or on_behalf):
        raise ServiceError("Only the person it was sent to can answer this questionnaire.")
    if response.round.status != Round.Status.OPEN:
        raise ServiceError("This round is closed; answers can no longer be changed.")
    questions = list(response.round.questionnaire.questions.all())
    cleaned = {q.pk: _clean_answer(q, answers.get(q.pk, answers.get(str(q.pk)))) for q in questions}
    for question in questions:
        Answer.objects.update_or_create(
            response=response,
            question=question,
            defaults={"rating": None, "choice": "", "text": "", **cleaned[question.pk]},
        )
    response.submitted_at = submitted_at or timezone.now()
    audited_save(
        response, actor, "entered on behalf" if on_behalf and not is_respondent else "submitted"
    )
    return response
