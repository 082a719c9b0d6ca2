"""Permission-matrix rows for the self-assessment pages (run by tests/web)."""

import datetime as dt

from clusterwork.people import services as people_services
from clusterwork.surveys import services
from clusterwork.surveys.models import Round
from tests.web.matrix import ALPHA_READ, ANY_USER, SCIENCE_READ, Route, profile

NOBODY_BUT_THE_RESPONDENT = profile(
    programme_admin=404, coordinator=404, head=404, viewer=404, outsider=404, superuser=404
)


def _questionnaire(w):
    return services.questionnaire_install_default(actor=None, programme=w.science)


def _round(w):
    existing = Round.objects.filter(cluster=w.alpha).first()
    if existing:
        return existing
    leader = people_services.person_create(actor=None, full_name="Lee Leader")
    people_services.role_assign(
        actor=None, person=leader, role="subject_leader", school=w.schools[0]
    )
    return services.round_open(
        actor=None,
        questionnaire=_questionnaire(w),
        cluster=w.alpha,
        deadline=dt.date.today() + dt.timedelta(days=10),
    )


ROUTES = [
    Route("programme_surveys", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_READ),
    Route("my_questionnaires", expect=ANY_USER),
    Route(
        "questionnaire_detail", kwargs=lambda w: {"pk": _questionnaire(w).pk}, expect=SCIENCE_READ
    ),
    Route("round_detail", kwargs=lambda w: {"pk": _round(w).pk}, expect=ALPHA_READ),
    Route(
        "survey_response",
        kwargs=lambda w: {"pk": _round(w).responses.first().pk},
        expect=NOBODY_BUT_THE_RESPONDENT,
    ),
    Route("cluster_needs", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_READ),
]
