"""A cluster's plan (vision, goals, projects, achievements) and its newsletter of successes."""

from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import cluster_people, member_schools
from clusterwork.core import documents
from clusterwork.core.views import ServiceFormView

from . import forms, selectors, services
from .access import access_goal, access_project
from .models import Goal


class ClusterPlan(ServiceFormView):
    """The plan page; its vision form is for those who plan the cluster's work."""

    access = access_cluster
    open_to_viewers = True
    permission = "goals.plan_cluster"
    form_class = forms.VisionForm
    form_name = "vision_form"
    service = services.vision_set
    template_name = "goals/plan.html"
    success_message = "Vision saved."

    def get_initial(self):
        vision = selectors.cluster_plan(self.object).vision
        return {"statement": vision.statement, "agreed_on": vision.agreed_on} if vision else {}

    def page_context(self, **bound):
        return {"plan": selectors.cluster_plan(self.object)}


class _NewOnPlan(ServiceFormView):
    """A form page that adds something to the cluster's plan."""

    access = access_cluster
    permission = "goals.plan_cluster"
    success_url = back_url = "cluster_plan"

    def get_form_kwargs(self):
        return {"people": cluster_people(self.object), "schools": member_schools(self.object)}


class GoalCreate(_NewOnPlan):
    form_class = forms.GoalForm
    service = services.goal_create
    title = "New goal for {object}"
    submit_label = "Add goal"
    success_message = "Goal “{result}” added."

    def get_form_kwargs(self):
        return {"people": cluster_people(self.object)}


class ProjectCreate(_NewOnPlan):
    form_class = forms.ProjectForm
    service = services.project_create
    title = "New project for {object}"
    submit_label = "Add project"
    success_message = "Project “{result}” added."
    success_url = None  # to the new project's page

    def get_form_kwargs(self):
        goals = Goal.objects.filter(cluster=self.object, archived_at__isnull=True)
        return {**super().get_form_kwargs(), "goals": goals}


class AchievementCreate(_NewOnPlan):
    form_class = forms.AchievementForm
    service = services.achievement_record
    title = "Record an achievement of {object}"
    submit_label = "Record achievement"
    success_message = "Achievement recorded — one to celebrate."

    def get_initial(self):
        return {"on": timezone.localdate()}


class GoalDetail(ServiceFormView):
    access = access_goal
    open_to_viewers = True
    permission = "goals.report_progress"
    form_class = forms.ProgressForm
    service = services.goal_progress
    template_name = "goals/goal_detail.html"
    success_message = "Progress recorded."

    def get_initial(self):
        return {"status": self.object.status}

    def page_context(self, **bound):
        goal = self.object
        return {
            "goal": goal,
            "cluster": goal.cluster,
            "updates": goal.updates.select_related("author"),
        }


class ProjectDetail(ServiceFormView):
    access = access_project
    open_to_viewers = True
    permission = "goals.plan_cluster"
    form_class = forms.ProjectStatusForm
    service = services.project_set_status
    template_name = "goals/project_detail.html"
    success_message = "Project updated."

    def get_initial(self):
        return {"status": self.object.status}

    def page_context(self, **bound):
        return {"cluster": self.object.cluster}


def _newsletter_context(cluster):
    return {
        "cluster": cluster,
        "items": selectors.successes(cluster),
        "vision": selectors.cluster_plan(cluster).vision,
        "today": timezone.localdate(),
        "pence": Decimal("0.01"),
    }


def timeline(request, pk):
    cluster = access_cluster(request.user, pk)
    return render(request, "goals/timeline.html", _newsletter_context(cluster))


def newsletter(request, pk, fmt):
    """The timeline of successes as a stand-alone newsletter (HTML or PDF) to share."""
    cluster = access_cluster(request.user, pk)
    return documents.document_response(
        request,
        "goals/newsletter.html",
        _newsletter_context(cluster),
        filename=f"{cluster.name}-successes",
        fmt=fmt,
        attachment=True,
    )
