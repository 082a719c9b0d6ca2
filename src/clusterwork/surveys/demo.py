"""Demo: the standard self-assessment, sent twice (autumn and summer) to the Bristol and Leeds
clusters, with returns showing improvement; a third round is open now."""

import datetime as dt

from clusterwork.core.demo import demo_step

from . import services
from .models import Question

# Ratings per area: autumn, then summer (1 = need a lot of support … 5 = confident).
AUTUMN = {"Planning": 3, "Assessment": 2, "Practical work": 2, "Subject leadership": 3}
SUMMER = {"Planning": 4, "Assessment": 3, "Practical work": 4, "Subject leadership": 3}


def _answers(questionnaire, ratings, school_index):
    answers = {}
    for question in questionnaire.questions.select_related("area"):
        if question.kind == Question.Kind.RATING:
            # Schools differ a little, deterministically.
            answers[question.pk] = max(
                1, min(5, ratings[question.area.name] + (school_index % 3) - 1)
            )
        else:
            answers[question.pk] = "Time out of class to monitor science teaching."
    return answers


@demo_step(order=62, name="surveys")
def build(ctx) -> str:
    programme = ctx.objects["science.programme"]
    questionnaire = services.questionnaire_install_default(actor=ctx.actor, programme=programme)
    today = dt.date.today()
    year = today.year if today.month >= 9 else today.year - 1
    rounds = 0
    for name in ("Bristol", "Leeds"):
        cluster = ctx.objects["science.clusters"][name]
        for title, opens, ratings in (
            ("Autumn self-assessment", dt.date(year - 1, 10, 1), AUTUMN),
            ("Summer self-assessment", dt.date(year, 5, 1), SUMMER),
        ):
            round_ = services.round_open(
                actor=ctx.actor,
                questionnaire=questionnaire,
                cluster=cluster,
                title=f"{title} {opens.year}",
                opens_on=opens,
                deadline=opens + dt.timedelta(days=28),
                backdated=True,
            )
            responses = list(round_.responses.order_by("school__name"))
            # One school never returns it: an engagement signal for the coordinator.
            for index, response in enumerate(responses[:-1]):
                services.response_submit(
                    actor=ctx.actor,
                    response=response,
                    on_behalf=True,
                    answers=_answers(questionnaire, ratings, index),
                )
            services.round_close(actor=ctx.actor, round_=round_)
            rounds += 1
    services.round_open(
        actor=ctx.actor,
        questionnaire=questionnaire,
        cluster=ctx.objects["science.clusters"]["Bristol"],
        title="Autumn self-assessment (now open)",
        deadline=today + dt.timedelta(days=21),
    )
    return f"Self-assessment: {rounds} past rounds with returns, 1 open round (Bristol)."
