"""Self-assessment pages: questionnaires, rounds, answering, and a cluster's shared needs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import clusters_visible_to, member_schools
from clusterwork.core.access import REFUSED
from clusterwork.core.views import ServiceFormView, by_action

from . import services
from .access import access_questionnaire, access_response, access_round
from .forms import QuestionForm, QuestionnaireForm, RoundForm, response_form
from .models import MIN_RESPONDENTS, Round
from .selectors import (
    compare_rounds,
    is_school_staff,
    questionnaires_visible_to,
    responses_of,
    round_progress,
    rounds_visible_to,
    shared_needs,
)

# ----- a programme's questionnaires ------------------------------------------------------------


class _ProgrammeSurveys(ServiceFormView):
    access = access_programme
    open_to_viewers = True
    permission = "surveys.add_questionnaire"
    template_name = "surveys/programme.html"

    def get_success_url(self, questionnaire):
        return reverse("questionnaire_detail", args=[questionnaire.pk])

    def get_context_data(self, **context):
        programme, user = self.object, self.request.user
        context.setdefault("form", QuestionnaireForm())
        return super().get_context_data(
            programme=programme,
            can_manage=user.has_perm(self.permission, programme),
            questionnaires=questionnaires_visible_to(user).filter(programme=programme),
            rounds=rounds_visible_to(user).filter(questionnaire__programme=programme),
            **context,
        )


class QuestionnaireCreate(_ProgrammeSurveys):
    form_class = QuestionnaireForm
    service = services.questionnaire_create
    object_argument = "programme"


class QuestionnaireInstall(_ProgrammeSurveys):
    form_context_name = "install_form"
    service = services.questionnaire_install_default
    object_argument = "programme"


programme_surveys = by_action(
    {"install-default": QuestionnaireInstall.as_view(), None: QuestionnaireCreate.as_view()}
)


# ----- one questionnaire -----------------------------------------------------------------------


class _QuestionnairePage(ServiceFormView):
    access = access_questionnaire
    open_to_viewers = True
    template_name = "surveys/questionnaire.html"

    def clusters(self, questionnaire=None):
        questionnaire = questionnaire or self.object
        visible = clusters_visible_to(self.request.user)
        return visible.filter(programme=questionnaire.programme).order_by("name")

    def get_context_data(self, **context):
        questionnaire, user = self.object, self.request.user
        clusters = self.clusters()
        context.setdefault("question_form", QuestionForm(areas=questionnaire.areas.all()))
        context.setdefault("round_form", RoundForm(clusters=clusters))
        can_manage = user.has_perm("surveys.manage_questionnaire", questionnaire)
        return super().get_context_data(
            questionnaire=questionnaire,
            areas=questionnaire.areas.prefetch_related("questions"),
            can_manage=can_manage,
            can_send=can_manage or any(user.has_perm("surveys.send_round", c) for c in clusters),
            **context,
        )


class QuestionAdd(_QuestionnairePage):
    permission = "surveys.manage_questionnaire"
    form_class = QuestionForm
    form_context_name = "question_form"
    service = services.question_add
    object_argument = "questionnaire"
    success_url = "questionnaire_detail"
    success_message = "Question added."

    def get_form_kwargs(self):
        return {"areas": self.object.areas.all()}


class RoundSend(_QuestionnairePage):
    """Send a round: to every cluster by those who manage the questionnaire, to their own
    cluster by its coordinator."""

    form_class = RoundForm
    form_context_name = "round_form"

    def get_object(self, *, perm, lock):
        questionnaire = super().get_object(perm=None, lock=lock)
        user = self.request.user
        may_send_somewhere = user.has_perm("surveys.manage_questionnaire", questionnaire) or any(
            user.has_perm("surveys.send_round", c) for c in self.clusters(questionnaire)
        )
        if lock and not may_send_somewhere:
            raise PermissionDenied(REFUSED)
        return questionnaire

    def get_form_kwargs(self):
        return {"clusters": self.clusters()}

    def perform(self, form):
        user, cluster = self.request.user, form.cleaned_data["cluster"]
        if not user.has_perm("surveys.manage_questionnaire", self.object) and (
            cluster is None or not user.has_perm("surveys.send_round", cluster)
        ):
            raise PermissionDenied(REFUSED)
        return services.round_open(actor=user, questionnaire=self.object, **form.cleaned_data)

    def get_success_message(self, round_):
        return f"Sent to {round_.responses.count()} subject leaders."

    def get_success_url(self, round_):
        return reverse("round_detail", args=[round_.pk])


questionnaire_detail = by_action({"send-round": RoundSend.as_view(), None: QuestionAdd.as_view()})


# ----- a round ---------------------------------------------------------------------------------


class _RoundPage(ServiceFormView):
    access = access_round
    open_to_viewers = True
    permission = "surveys.manage_round"
    object_argument = "round_"
    template_name = "surveys/round.html"
    success_url = "round_detail"

    def get_context_data(self, **context):
        round_, user = self.object, self.request.user
        visible = set(clusters_visible_to(user).values_list("pk", flat=True))
        return super().get_context_data(
            round=round_,
            can_manage=user.has_perm(self.permission, round_),
            progress=[p for p in round_progress(round_) if p["cluster_id"] in visible],
            **context,
        )


class RoundClose(_RoundPage):
    service = services.round_close
    success_message = "Round closed."


class RoundRemind(_RoundPage):
    service = services.round_remind

    def get_success_message(self, waiting):
        return f"Reminders are on their way to {waiting} people."


round_detail = by_action({"close": RoundClose.as_view(), None: RoundRemind.as_view()})


# ----- answering -------------------------------------------------------------------------------


def my_questionnaires(request):
    return render(request, "surveys/mine.html", {"responses": responses_of(request.user)})


class ResponseFill(ServiceFormView):
    """A subject leader's own questionnaire: nobody else sees a single school's answers."""

    template_name = "surveys/response.html"
    success_message = "Thank you — your self-assessment has been returned."

    def get_object(self, *, perm, lock):
        response = access_response(self.request.user, self.kwargs["pk"])
        self.questions = list(
            response.round.questionnaire.questions.select_related("area").order_by(
                "area__order", "order"
            )
        )
        return response

    def get_initial(self):
        initial = {}
        for answer in self.object.answers.all():
            value = answer.rating if answer.rating is not None else (answer.choice or answer.text)
            initial[f"q{answer.question_id}"] = str(value)
        return initial

    def get_form(self, data=None, files=None):
        return response_form(self.questions, data=data, initial=self.get_initial())

    def perform(self, form):
        answers = {q.pk: form.cleaned_data.get(f"q{q.pk}") for q in self.questions}
        return services.response_submit(
            actor=self.request.user, response=self.object, answers=answers
        )

    def get_success_url(self, response):
        return reverse("my_questionnaires")

    def get_context_data(self, **context):
        return super().get_context_data(
            response=self.object, closed=self.object.round.status != Round.Status.OPEN, **context
        )


# ----- a cluster's shared needs ----------------------------------------------------------------


def cluster_needs(request, pk):
    cluster = access_cluster(request.user, pk)
    rounds = list(
        rounds_visible_to(request.user)
        .filter(questionnaire__programme=cluster.programme)
        .filter(responses__cluster=cluster)
        .distinct()
        .order_by("-opens_on", "-id")
    )
    chosen = next((r for r in rounds if str(r.pk) == request.GET.get("round")), None)
    if chosen is None and rounds:
        # Open on the newest round that has results to show, not an empty one just sent.
        with_results = (r for r in rounds if not shared_needs(cluster, r).suppressed)
        chosen = next(with_results, rounds[0])
    needs = shared_needs(cluster, chosen) if chosen else None
    comparison = compare_rounds(cluster, chosen.questionnaire) if chosen else None
    own = None
    school_id = request.GET.get("school")
    if chosen and school_id and school_id.isdigit():
        if not is_school_staff(request.user, int(school_id)):
            raise PermissionDenied("A school's own answers are shown only to its staff.")
        own = compare_rounds(cluster, chosen.questionnaire, school_id=int(school_id))
    return render(
        request,
        "surveys/needs.html",
        {
            "cluster": cluster,
            "rounds": rounds,
            "round": chosen,
            "needs": needs,
            "comparison": comparison,
            "own": own,
            "min_respondents": MIN_RESPONDENTS,
            "own_schools": [
                s for s in member_schools(cluster) if is_school_staff(request.user, s.pk)
            ],
        },
    )
