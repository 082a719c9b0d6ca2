"""Self-assessment pages: questionnaires, rounds, answering, and a cluster's shared needs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import clusters_visible_to, member_schools
from clusterwork.core.access import REFUSED
from clusterwork.core.views import EmptyForm, ServiceFormView, by_action

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


class _ProgrammeSurveys(ServiceFormView):
    access = access_programme
    open_to_viewers = True
    permission = "surveys.add_questionnaire"
    template_name = "surveys/programme.html"

    def get_success_url(self, questionnaire):
        return questionnaire.get_absolute_url()

    def page_context(self, **forms):
        programme, user = self.object, self.request.user
        return {
            "programme": programme,
            "can_manage": user.has_perm(self.permission, programme),
            "questionnaires": questionnaires_visible_to(user).filter(programme=programme),
            "rounds": rounds_visible_to(user).filter(questionnaire__programme=programme),
            "form": QuestionnaireForm(),
            "install_form": EmptyForm(),
        }


class QuestionnaireCreate(_ProgrammeSurveys):
    form_class = QuestionnaireForm
    service = services.questionnaire_create


class QuestionnaireInstall(_ProgrammeSurveys):
    form_name = "install_form"
    service = services.questionnaire_install_default


programme_surveys = by_action(
    {"install-default": QuestionnaireInstall.as_view(), None: QuestionnaireCreate.as_view()}
)


ANY_CLUSTER = object()


class _QuestionnairePage(ServiceFormView):
    """A questionnaire: its questions for those who build it, rounds for those who send it —
    to every cluster (the programme) or to their own (a coordinator)."""

    access = access_questionnaire
    open_to_viewers = True
    permission = "surveys.manage_questionnaire"
    template_name = "surveys/questionnaire.html"

    def clusters(self):
        visible = clusters_visible_to(self.request.user)
        return visible.filter(programme=self.object.programme).order_by("name")

    def may_send(self, to=ANY_CLUSTER) -> bool:
        """To every cluster (``to`` None): who manages the questionnaire; to one: its
        coordinator as well."""
        user = self.request.user
        if user.has_perm(self.permission, self.object):
            return True
        clusters = self.clusters() if to is ANY_CLUSTER else [to] if to else []
        return any(user.has_perm("surveys.send_round", c) for c in clusters)

    def page_context(self, **forms):
        questionnaire = self.object
        return {
            "questionnaire": questionnaire,
            "areas": questionnaire.areas.prefetch_related("questions"),
            "can_manage": self.request.user.has_perm(self.permission, questionnaire),
            "can_send": self.may_send(),
            "question_form": QuestionForm(areas=questionnaire.areas.all()),
            "round_form": RoundForm(clusters=self.clusters()),
        }


class QuestionAdd(_QuestionnairePage):
    form_class = QuestionForm
    form_name = "question_form"
    service = services.question_add
    success_message = "Question added."

    def get_form_kwargs(self):
        return {"areas": self.object.areas.all()}


class RoundSend(_QuestionnairePage):
    form_class = RoundForm
    form_name = "round_form"

    def get_object(self, *, perm, lock):
        # Who may send depends on where to, so the page's permission is not asked here.
        self.object = super().get_object(perm=None, lock=lock)
        if lock and not self.may_send():
            raise PermissionDenied(REFUSED)
        return self.object

    def get_form_kwargs(self):
        return {"clusters": self.clusters()}

    def perform(self, form):
        if not self.may_send(form.cleaned_data["cluster"]):
            raise PermissionDenied(REFUSED)
        return services.round_open(
            actor=self.request.user, questionnaire=self.object, **form.cleaned_data
        )

    def get_success_message(self, round_):
        return f"Sent to {round_.responses.count()} subject leaders."

    def get_success_url(self, round_):
        return round_.get_absolute_url()


questionnaire_detail = by_action({"send-round": RoundSend.as_view(), None: QuestionAdd.as_view()})


class _RoundPage(ServiceFormView):
    access = access_round
    open_to_viewers = True
    permission = "surveys.manage_round"
    service_argument = "round_"
    template_name = "surveys/round.html"

    def page_context(self, **forms):
        round_, user = self.object, self.request.user
        visible = set(clusters_visible_to(user).values_list("pk", flat=True))
        return {
            "round": round_,
            "can_manage": user.has_perm(self.permission, round_),
            "progress": [p for p in round_progress(round_) if p["cluster_id"] in visible],
        }


class RoundClose(_RoundPage):
    service = services.round_close
    success_message = "Round closed."


class RoundRemind(_RoundPage):
    service = services.round_remind
    success_message = "Reminders are on their way to {result} people."


round_detail = by_action({"close": RoundClose.as_view(), None: RoundRemind.as_view()})


def my_questionnaires(request):
    return render(request, "surveys/mine.html", {"responses": responses_of(request.user)})


class ResponseFill(ServiceFormView):
    """A subject leader's own questionnaire: nobody else sees a single school's answers."""

    access = access_response
    template_name = "surveys/response.html"
    success_message = "Thank you — your self-assessment has been returned."

    def questions(self):
        questionnaire = self.object.round.questionnaire
        return list(questionnaire.questions.select_related("area").order_by("area__order", "order"))

    def get_initial(self):
        return {
            f"q{a.question_id}": str(a.rating if a.rating is not None else (a.choice or a.text))
            for a in self.object.answers.all()
        }

    def get_form(self, data=None, files=None):
        return response_form(self.questions(), data=data, initial=self.get_initial())

    def perform(self, form):
        answers = {q.pk: form.cleaned_data.get(f"q{q.pk}") for q in self.questions()}
        return services.response_submit(
            actor=self.request.user, response=self.object, answers=answers
        )

    def get_success_url(self, response):
        return reverse("my_questionnaires")

    def page_context(self, **forms):
        return {"response": self.object, "closed": self.object.round.status != Round.Status.OPEN}


def cluster_needs(request, pk):
    cluster = access_cluster(request.user, pk)
    rounds = list(
        rounds_visible_to(request.user)
        .filter(questionnaire__programme=cluster.programme, responses__cluster=cluster)
        .distinct()
        .order_by("-opens_on", "-id")
    )
    chosen = next((r for r in rounds if str(r.pk) == request.GET.get("round")), None)
    if chosen is None and rounds:
        # Open on the newest round that has results to show, not an empty one just sent.
        with_results = (r for r in rounds if not shared_needs(cluster, r).suppressed)
        chosen = next(with_results, rounds[0])
    own, school_id = None, request.GET.get("school", "")
    if chosen and school_id.isdigit():
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
            "needs": shared_needs(cluster, chosen) if chosen else None,
            "comparison": compare_rounds(cluster, chosen.questionnaire) if chosen else None,
            "own": own,
            "min_respondents": MIN_RESPONDENTS,
            "own_schools": [
                s for s in member_schools(cluster) if is_school_staff(request.user, s.pk)
            ],
        },
    )
