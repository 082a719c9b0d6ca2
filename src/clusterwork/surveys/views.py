"""Self-assessment pages: questionnaires, rounds, answering, and a cluster's shared needs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import clusters_visible_to, member_schools
from clusterwork.core.access import REFUSED
from clusterwork.core.views import EmptyForm, ServiceFormView, by_action

from . import forms, selectors, services
from .access import access_questionnaire, access_response, access_round
from .models import MIN_RESPONDENTS, Round


class _ProgrammeSurveys(ServiceFormView):
    access = access_programme
    open_to_viewers = True
    permission = "surveys.add_questionnaire"
    template_name = "surveys/programme.html"

    def page_context(self, **bound):
        programme, user = self.object, self.request.user
        return {
            "can_manage": user.has_perm(self.permission, programme),
            "questionnaires": selectors.questionnaires_visible_to(user).filter(programme=programme),
            "rounds": selectors.rounds_visible_to(user).filter(questionnaire__programme=programme),
            "form": forms.QuestionnaireForm(),
            "install_form": EmptyForm(),
        }


class QuestionnaireCreate(_ProgrammeSurveys):
    form_class = forms.QuestionnaireForm
    service = services.questionnaire_create


class QuestionnaireInstall(_ProgrammeSurveys):
    form_name = "install_form"
    service = services.questionnaire_install_default


programme_surveys = by_action(
    {"install-default": QuestionnaireInstall.as_view(), None: QuestionnaireCreate.as_view()}
)


class _QuestionnairePage(ServiceFormView):
    """A questionnaire: its questions for those who build it, rounds for those who send it —
    to every cluster (the programme) or to their own (a coordinator)."""

    access = access_questionnaire
    open_to_viewers = True
    permission = "surveys.manage_questionnaire"
    template_name = "surveys/questionnaire.html"

    def round_form_kwargs(self):
        manages = self.request.user.has_perm(self.permission, self.object)
        return {
            "clusters": selectors.sendable_clusters(self.request.user, self.object),
            "every_cluster": manages,
        }

    def page_context(self, **bound):
        questionnaire, round_form = self.object, forms.RoundForm(**self.round_form_kwargs())
        return {
            "programme": questionnaire.programme,
            "areas": questionnaire.areas.prefetch_related("questions"),
            "can_manage": self.request.user.has_perm(self.permission, questionnaire),
            "can_send": round_form.fields["cluster"].queryset.exists(),
            "question_form": forms.QuestionForm(areas=questionnaire.areas.all()),
            "round_form": round_form,
        }


class QuestionAdd(_QuestionnairePage):
    form_class = forms.QuestionForm
    form_name = "question_form"
    service = services.question_add
    success_message = "Question added."

    def get_form_kwargs(self):
        return {"areas": self.object.areas.all()}


class RoundSend(_QuestionnairePage):
    """The form offers only where the user may send it; nowhere at all is a 403."""

    form_class = forms.RoundForm
    form_name = "round_form"

    def get_object(self, *, perm, lock):
        self.object = super().get_object(perm=None, lock=lock)
        if lock and not selectors.sendable_clusters(self.request.user, self.object).exists():
            raise PermissionDenied(REFUSED)
        return self.object

    service = services.round_open

    def get_form_kwargs(self):
        return self.round_form_kwargs()

    def get_success_message(self, round_):
        return f"Sent to {round_.responses.count()} subject leaders."


questionnaire_detail = by_action({"send-round": RoundSend.as_view(), None: QuestionAdd.as_view()})


class _RoundPage(ServiceFormView):
    access = access_round
    open_to_viewers = True
    permission = "surveys.manage_round"
    service_argument = "round_"
    template_name = "surveys/round.html"

    def page_context(self, **bound):
        round_, user = self.object, self.request.user
        visible = set(clusters_visible_to(user).values_list("pk", flat=True))
        return {
            "programme": round_.questionnaire.programme,
            "can_manage": user.has_perm(self.permission, round_),
            "progress": [p for p in selectors.round_progress(round_) if p["cluster_id"] in visible],
        }


class RoundClose(_RoundPage):
    service = services.round_close
    success_message = "Round closed."


class RoundRemind(_RoundPage):
    service = services.round_remind
    success_message = "Reminders are on their way to {result} people."


round_detail = by_action({"close": RoundClose.as_view(), None: RoundRemind.as_view()})


def my_questionnaires(request):
    return render(request, "surveys/mine.html", {"responses": selectors.responses_of(request.user)})


class ResponseFill(ServiceFormView):
    """A subject leader's own questionnaire: nobody else sees a single school's answers."""

    access = access_response
    template_name = "surveys/response.html"
    success_message = "Thank you — your self-assessment has been returned."

    def get_form(self, data=None, files=None):
        return forms.response_form(
            selectors.questions_of(self.object),
            data=data,
            initial=selectors.answers_of(self.object),
        )

    def perform(self, form):
        answers = {
            q.pk: form.cleaned_data.get(f"q{q.pk}") for q in selectors.questions_of(self.object)
        }
        return services.response_submit(
            actor=self.request.user, response=self.object, answers=answers
        )

    def get_success_url(self, response):
        return reverse("my_questionnaires")

    def page_context(self, **bound):
        return {"response": self.object, "closed": self.object.round.status != Round.Status.OPEN}


def cluster_needs(request, pk):
    cluster, user = access_cluster(request.user, pk), request.user
    rounds = selectors.cluster_rounds(user, cluster)
    chosen = selectors.round_to_show(cluster, rounds, request.GET.get("round", ""))
    own, school = None, request.GET.get("school", "")
    if chosen and school.isdigit():
        if not selectors.is_school_staff(user, int(school)):
            raise PermissionDenied("A school's own answers are shown only to its staff.")
        own = selectors.compare_rounds(cluster, chosen.questionnaire, school_id=int(school))
    return render(
        request,
        "surveys/needs.html",
        {
            "cluster": cluster,
            "rounds": rounds,
            "round": chosen,
            "needs": selectors.shared_needs(cluster, chosen) if chosen else None,
            "comparison": selectors.compare_rounds(cluster, chosen.questionnaire)
            if chosen
            else None,
            "own": own,
            "min_respondents": MIN_RESPONDENTS,
            "own_schools": [
                s for s in member_schools(cluster) if selectors.is_school_staff(user, s.pk)
            ],
        },
    )
