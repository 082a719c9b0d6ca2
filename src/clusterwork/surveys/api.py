"""JSON API for self-assessment: rounds, a cluster's shared needs, your own questionnaires."""

import datetime as dt

from ninja import Router, Schema

from clusterwork.clusters.access import access_cluster
from clusterwork.core.schemas import Ref, SchoolRef, listing, reading, writing

from . import services
from .access import access_response, access_round
from .models import MIN_RESPONDENTS
from .selectors import responses_of, round_progress, rounds_visible_to, shared_needs

router = Router(tags=["self-assessment"])


class RoundOut(Schema):
    id: int
    title: str
    questionnaire: str
    cluster: Ref | None
    opens_on: dt.date
    deadline: dt.date
    status: str

    @staticmethod
    def resolve_questionnaire(obj) -> str:
        return obj.questionnaire.title


class ProgressOut(Schema):
    cluster_id: int
    cluster: str
    invited: int
    returned: int


class RoundDetailOut(RoundOut):
    progress: list[ProgressOut]


class AreaNeedOut(Schema):
    area: str
    schools_needing_support: int
    schools: int
    mean_rating: float


class NeedsOut(Schema):
    round: RoundOut
    respondents: int
    invited: int
    suppressed: bool
    minimum_respondents: int
    areas: list[AreaNeedOut]
    suggested_agenda: list[str]


@router.get("rounds", response=listing(RoundOut), summary="List rounds")
def list_rounds(request):
    return list(rounds_visible_to(request.auth).order_by("-opens_on", "-id")[:200])


@router.get("rounds/{int:round_id}", response=reading(RoundDetailOut), summary="Get a round")
def get_round(request, round_id: int):
    round_ = access_round(request.auth, round_id)
    round_.progress = [
        {
            "cluster_id": p["cluster_id"],
            "cluster": p["cluster__name"],
            "invited": p["invited"],
            "returned": p["returned"],
        }
        for p in round_progress(round_, request.auth)
    ]
    return round_


@router.get(
    "clusters/{int:cluster_id}/needs",
    response=reading(NeedsOut),
    summary="A cluster's shared needs",
)
def get_shared_needs(request, cluster_id: int, round: int):
    """Areas ranked by how many schools want support; empty (suppressed) until at least
    three schools have returned the round."""
    cluster = access_cluster(request.auth, cluster_id)
    needs = shared_needs(cluster, access_round(request.auth, round))
    return {
        "round": needs.round,
        "respondents": needs.respondents,
        "invited": needs.invited,
        "suppressed": needs.suppressed,
        "minimum_respondents": MIN_RESPONDENTS,
        "areas": needs.areas,
        "suggested_agenda": needs.suggestions,
    }


class MyResponseOut(Schema):
    id: int
    round: RoundOut
    school: SchoolRef
    submitted_at: dt.datetime | None


@router.get("responses/mine", response=listing(MyResponseOut), summary="My questionnaires")
def list_my_responses(request):
    return list(responses_of(request.auth).order_by("-round__opens_on"))


class AnswersIn(Schema):
    answers: dict[int, str | int | None]


@router.post(
    "responses/{int:response_id}", response=writing(MyResponseOut), summary="Return my answers"
)
def submit_response(request, response_id: int, payload: AnswersIn):
    """All answers at once; an out-of-range or missing answer is refused (400) naming the
    question, and nothing is saved."""
    response = access_response(request.auth, response_id)
    return services.response_submit(actor=request.auth, response=response, answers=payload.answers)


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/self-assessment/", router)]
