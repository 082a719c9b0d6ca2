"""Self-assessment pages: questionnaires, rounds, answering, and a cluster's shared needs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.views import EmptyForm, ObjectDetailView, ServiceFormView, by_action

from . import charts, forms, selectors, services
from .access import (
    access_questionnaire,
    access_questionnaire_to_send,
    access_response,
    access_round,
)
from .models import MIN_RESPONDENTS, Round


class _ProgrammeSurveys(ServiceFormView):
    access = access_programme
    open_to_viewers = True
    permission = "surveys.add_questionnaire"
    template_name = "surveys/programme.html"

    def page_context(self, **bound):
        programme, user = self.object, self.request.user
        return {
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

    def page_context(self, **bound):
        questionnaire = self.object
        round_form = forms.RoundForm(user=self.request.user, questionnaire=questionnaire)
        return {
            "programme": questionnaire.programme,
            "areas": questionnaire.areas.prefetch_related("questions"),
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
    service = services.round_open

    def get_object(self, *, perm, lock):
        return access_questionnaire_to_send(self.request.user, self.kwargs["pk"], lock=lock)

    def get_form_kwargs(self):
        return {"user": self.request.user, "questionnaire": self.object}

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
        return {
            "programme": round_.questionnaire.programme,
            "progress": selectors.round_progress(round_, user),
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
    title = "{object.round.title}"
    submit_label = "Return my self-assessment"
    success_message = "Thank you — your self-assessment has been returned."

    def get_form(self, data=None, files=None):
        return forms.response_form(self.object, data=data)

    def perform(self, form):
        return services.response_submit(
            actor=self.request.user, response=self.object, answers=form.answers()
        )

    def get_success_url(self, response):
        return reverse("my_questionnaires")

    def page_context(self, **bound):
        closed = self.object.round.status != Round.Status.OPEN
        breadcrumbs = [("My self-assessments", reverse("my_questionnaires"))]
        return {"submit_label": "" if closed else self.submit_label, "breadcrumbs": breadcrumbs}


class ClusterNeeds(ObjectDetailView):
    """A cluster's shared needs, before and after; a school's own results only for its staff."""

    access = access_cluster
    template_name = "surveys/needs.html"

    def page_context(self):
        cluster, user, asked = self.object, self.request.user, self.request.GET
        rounds = selectors.cluster_rounds(user, cluster)
        chosen = selectors.round_to_show(cluster, rounds, asked.get("round", ""))
        page = {
            "rounds": rounds,
            "round": chosen,
            "min_respondents": MIN_RESPONDENTS,
            "own_schools": selectors.staff_schools(user, cluster),
        }
        if chosen:
            questionnaire = chosen.questionnaire
            page["needs"] = selectors.shared_needs(cluster, chosen)
            comparison = selectors.compare_rounds(cluster, questionnaire)
            page["comparison"] = charts.comparison_chart(comparison, "Mean rating per area")
            school = asked.get("school", "")
            if school.isdigit():
                if not selectors.is_school_staff(user, int(school)):
                    raise PermissionDenied("A school's own answers are shown only to its staff.")
                own = selectors.compare_rounds(cluster, questionnaire, school_id=int(school))
                page["own"] = charts.comparison_chart(own, "Your school's mean rating per area")
        return page
