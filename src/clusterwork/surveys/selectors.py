"""Reads for self-assessment: shared needs, comparisons over time, a school's own results.

Privacy rule: cluster results are shown only when at least ``MIN_RESPONDENTS`` schools have
returned the round; a single school's answers are shown only to that school's own staff.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import mean

from django.db.models import Count, Q, QuerySet

from clusterwork.clusters.models import Cluster
from clusterwork.clusters.selectors import (
    clusters_visible_to,
    member_schools,
    programmes_visible_to,
)
from clusterwork.people.scopes import scope_for

from .models import MIN_RESPONDENTS, Answer, Question, Questionnaire, Response, Round


def questionnaires_visible_to(user) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(programme__in=programmes_visible_to(user))


def rounds_visible_to(user) -> QuerySet[Round]:
    programmes = programmes_visible_to(user)
    clusters = clusters_visible_to(user)
    return Round.objects.filter(
        Q(questionnaire__programme__in=programmes)
        & (Q(cluster__isnull=True) | Q(cluster__in=clusters))
    ).select_related("questionnaire__programme", "cluster")


def responses_of(user) -> QuerySet[Response]:
    """The user's own questionnaires to fill in (or already returned)."""
    person_id = scope_for(user).person_id
    if person_id is None:
        return Response.objects.none()
    return Response.objects.filter(person_id=person_id).select_related(
        "round__questionnaire", "school", "cluster"
    )


def is_school_staff(user, school_id: int) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or school_id in scope.ids("school")


def staff_schools(user, cluster: Cluster) -> list:
    """The cluster's member schools whose own results the user may see (as their staff)."""
    return [s for s in member_schools(cluster) if is_school_staff(user, s.pk)]


@dataclass
class AreaNeed:
    area: str
    schools_needing_support: int
    schools: int
    mean_rating: float

    @property
    def share(self) -> float:
        return self.schools_needing_support / self.schools if self.schools else 0.0


@dataclass
class SharedNeeds:
    round: Round
    respondents: int
    invited: int
    areas: list[AreaNeed]

    @property
    def suppressed(self) -> bool:
        return self.respondents < MIN_RESPONDENTS

    @property
    def suggestions(self) -> list[str]:
        """Agenda items for the next meeting: areas where at least a third of schools want help."""
        return [
            f"Shared need: {a.area} ({a.schools_needing_support} of {a.schools} schools "
            f"want support)"
            for a in self.areas
            if a.schools_needing_support and a.share >= 1 / 3
        ][:3]


def _school_area_ratings(round_: Round, cluster: Cluster | None, school_id: int | None = None):
    """{school_id: {area name: [(rating, threshold), …]}} for submitted rating answers."""
    answers = Answer.objects.filter(
        response__round=round_,
        response__submitted_at__isnull=False,
        question__kind=Question.Kind.RATING,
        rating__isnull=False,
    )
    if cluster is not None:
        answers = answers.filter(response__cluster=cluster)
    if school_id is not None:
        answers = answers.filter(response__school_id=school_id)
    ratings: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for school, area, _order, rating, threshold in answers.values_list(
        "response__school_id",
        "question__area__name",
        "question__area__order",
        "rating",
        "question__needs_support_at_or_below",
    ).order_by("question__area__order"):
        ratings[school][area].append((rating, threshold))
    return ratings


def shared_needs(cluster: Cluster, round_: Round) -> SharedNeeds:
    counts = Response.objects.filter(round=round_, cluster=cluster).aggregate(
        invited=Count("school", distinct=True),
        returned=Count("school", distinct=True, filter=Q(submitted_at__isnull=False)),
    )
    respondents = counts["returned"] or 0
    if respondents < MIN_RESPONDENTS:
        return SharedNeeds(round_, respondents, counts["invited"] or 0, [])
    per_school = _school_area_ratings(round_, cluster)
    by_area: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for areas in per_school.values():
        for area, pairs in areas.items():
            by_area[area].append((mean(r for r, _ in pairs), mean(t for _, t in pairs)))
    needs = [
        AreaNeed(
            area=area,
            schools_needing_support=sum(1 for m, t in pairs if m <= t),
            schools=len(pairs),
            mean_rating=round(mean(m for m, _ in pairs), 2),
        )
        for area, pairs in by_area.items()
    ]
    needs.sort(key=lambda a: (-a.schools_needing_support, a.mean_rating, a.area))
    return SharedNeeds(round_, respondents, counts["invited"] or 0, needs)


@dataclass
class Comparison:
    areas: list[str]
    rows: list[tuple[Round, int, list[float | None]]]  # round, respondents, mean per area


def compare_rounds(cluster: Cluster, questionnaire: Questionnaire, *, school_id=None) -> Comparison:
    """Area means per round, before and after. For the cluster, a round with fewer than
    ``MIN_RESPONDENTS`` schools shows no numbers; ``school_id`` gives one school's own view."""
    areas = list(questionnaire.areas.order_by("order").values_list("name", flat=True))
    rounds = (
        Round.objects.filter(questionnaire=questionnaire)
        .filter(Q(cluster=cluster) | Q(cluster__isnull=True))
        .order_by("opens_on", "id")
    )
    rows = []
    for round_ in rounds:
        ratings = _school_area_ratings(round_, cluster, school_id)
        respondents = len(ratings)
        if respondents == 0 or (school_id is None and respondents < MIN_RESPONDENTS):
            rows.append((round_, respondents, [None] * len(areas)))
            continue
        means = []
        for area in areas:
            values = [mean(r for r, _ in s[area]) for s in ratings.values() if area in s]
            means.append(round(mean(values), 2) if values else None)
        rows.append((round_, respondents, means))
    return Comparison(areas, rows)


def round_progress(round_: Round, user) -> list[dict]:
    """Per cluster the user may see: how many schools were sent the round and how many
    returned it."""
    return list(
        Response.objects.filter(round=round_, cluster__in=clusters_visible_to(user))
        .values("cluster__name", "cluster_id")
        .annotate(
            invited=Count("school", distinct=True),
            returned=Count("school", distinct=True, filter=Q(submitted_at__isnull=False)),
        )
        .order_by("cluster__name")
    )


def returned_by_school(cluster: Cluster) -> dict[int, tuple[int, int]]:
    """{school_id: (rounds returned, rounds sent)} — an engagement signal for coordinators."""
    rows = (
        Response.objects.filter(cluster=cluster)
        .values("school_id")
        .annotate(
            sent=Count("round", distinct=True),
            returned=Count("round", distinct=True, filter=Q(submitted_at__isnull=False)),
        )
    )
    return {r["school_id"]: (r["returned"], r["sent"]) for r in rows}


def cluster_rounds(user, cluster: Cluster) -> list[Round]:
    """The rounds the user may see that were sent to ``cluster``'s schools, newest first."""
    return list(
        rounds_visible_to(user)
        .filter(questionnaire__programme=cluster.programme, responses__cluster=cluster)
        .distinct()
        .order_by("-opens_on", "-id")
    )


def round_to_show(cluster: Cluster, rounds: list[Round], asked: str = "") -> Round | None:
    """The round asked for, else the newest one that has results to show (not an empty one
    just sent), else the newest."""
    chosen = next((r for r in rounds if str(r.pk) == asked), None)
    if chosen is None and rounds:
        with_results = (r for r in rounds if not shared_needs(cluster, r).suppressed)
        chosen = next(with_results, rounds[0])
    return chosen


def questions_of(response: Response) -> list[Question]:
    questionnaire = response.round.questionnaire
    return list(questionnaire.questions.select_related("area").order_by("area__order", "order"))


def answers_of(response: Response) -> dict[str, str]:
    """The response's answers so far, as the answer form's initial values (``q<id>``)."""
    return {
        f"q{a.question_id}": str(a.rating if a.rating is not None else (a.choice or a.text))
        for a in response.answers.all()
    }


def sendable_clusters(user, questionnaire: Questionnaire):
    """The clusters the user may send ``questionnaire`` to: every cluster of its programme
    for those who manage it, else the clusters they coordinate."""
    clusters = clusters_visible_to(user).filter(programme=questionnaire.programme)
    if not user.has_perm("surveys.manage_questionnaire", questionnaire):
        clusters = clusters.filter(scope_for(user).changeable_cluster_filter())
    return clusters.order_by("name")


def home_to_return(request, user) -> dict | None:
    """The home page's "Self-assessments to return": open rounds the user has not answered."""
    waiting = list(
        responses_of(user).filter(submitted_at__isnull=True, round__status=Round.Status.OPEN)
    )
    return {"responses": waiting} if waiting else None
