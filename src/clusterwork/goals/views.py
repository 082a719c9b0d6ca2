"""A cluster's plan (vision, goals, projects, achievements) and its newsletter of successes."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import current_member_schools
from clusterwork.core.access import require_perm
from clusterwork.core.htmx import add_service_error
from clusterwork.people.models import Person

from . import services
from .access import access_goal, access_project
from .forms import (
    AchievementForm,
    GoalForm,
    ProgressForm,
    ProjectForm,
    ProjectStatusForm,
    VisionForm,
)
from .models import Goal
from .selectors import cluster_plan, successes


def _cluster_people(cluster):
    from clusterwork.people.models import RoleAssignment

    in_cluster = RoleAssignment.objects.current().filter(cluster=cluster).values("person_id")
    return Person.objects.filter(
        Q(pk__in=in_cluster) | Q(school__in=current_member_schools(cluster)),
        archived_at__isnull=True,
    ).order_by("full_name")


def plan(request, pk):
    cluster = access_cluster(request.user, pk)
    can_plan = request.user.has_perm("goals.plan_cluster", cluster)
    plan = cluster_plan(cluster)
    vision_form = VisionForm(
        initial={"statement": plan.vision.statement, "agreed_on": plan.vision.agreed_on}
        if plan.vision
        else None
    )
    if request.method == "POST":
        require_perm(request.user, "goals.plan_cluster", cluster)
        vision_form = VisionForm(request.POST)
        if vision_form.is_valid():
            try:
                services.vision_set(actor=request.user, cluster=cluster, **vision_form.cleaned_data)
            except ValidationError as error:
                add_service_error(vision_form, error)
            else:
                messages.success(request, "Vision saved.")
                return redirect("cluster_plan", pk=cluster.pk)
    return render(
        request,
        "goals/plan.html",
        {
            "cluster": cluster,
            "plan": plan,
            "can_plan": can_plan,
            "vision_form": vision_form,
        },
    )


def goal_new(request, pk):
    cluster = access_cluster(request.user, pk)
    require_perm(request.user, "goals.plan_cluster", cluster)
    form = GoalForm(request.POST or None, people=_cluster_people(cluster))
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(actor=request.user, cluster=cluster, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Goal “{goal}” added.")
            return redirect("cluster_plan", pk=cluster.pk)
    return render(
        request,
        "goals/form.html",
        {
            "cluster": cluster,
            "form": form,
            "heading": "New goal",
            "button": "Add goal",
        },
    )


def goal_detail(request, pk):
    goal = access_goal(request.user, pk)
    can_report = request.user.has_perm("goals.report_progress", goal)
    form = ProgressForm(request.POST or None, initial={"status": goal.status})
    if request.method == "POST":
        require_perm(request.user, "goals.report_progress", goal)
        if form.is_valid():
            try:
                services.goal_progress(actor=request.user, goal=goal, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Progress recorded.")
                return redirect("goal_detail", pk=goal.pk)
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "cluster": goal.cluster,
            "form": form,
            "can_report": can_report,
            "updates": goal.updates.select_related("author"),
        },
    )


def project_new(request, pk):
    cluster = access_cluster(request.user, pk)
    require_perm(request.user, "goals.plan_cluster", cluster)
    form = ProjectForm(
        request.POST or None,
        schools=current_member_schools(cluster),
        people=_cluster_people(cluster),
        goals=Goal.objects.filter(cluster=cluster, archived_at__isnull=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user, cluster=cluster, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Project “{project}” added.")
            return redirect("project_detail", pk=project.pk)
    return render(
        request,
        "goals/form.html",
        {
            "cluster": cluster,
            "form": form,
            "heading": "New project",
            "button": "Add project",
        },
    )


def project_detail(request, pk):
    project = access_project(request.user, pk)
    can_plan = request.user.has_perm("goals.plan_cluster", project.cluster)
    form = ProjectStatusForm(request.POST or None, initial={"status": project.status})
    if request.method == "POST":
        require_perm(request.user, "goals.plan_cluster", project.cluster)
        if form.is_valid():
            try:
                services.project_set_status(
                    actor=request.user, project=project, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Project updated.")
                return redirect("project_detail", pk=project.pk)
    return render(
        request,
        "goals/project_detail.html",
        {
            "project": project,
            "cluster": project.cluster,
            "form": form,
            "can_plan": can_plan,
        },
    )


def achievement_new(request, pk):
    cluster = access_cluster(request.user, pk)
    require_perm(request.user, "goals.plan_cluster", cluster)
    form = AchievementForm(
        request.POST or None,
        schools=current_member_schools(cluster),
        people=_cluster_people(cluster),
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        amount = data.pop("amount")
        data["amount_pence"] = int(amount * 100) if amount is not None else None
        try:
            services.achievement_record(actor=request.user, cluster=cluster, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Achievement recorded — one to celebrate.")
            return redirect("cluster_plan", pk=cluster.pk)
    return render(
        request,
        "goals/form.html",
        {
            "cluster": cluster,
            "form": form,
            "heading": "Record an achievement",
            "button": "Record achievement",
        },
    )


def _newsletter_context(cluster):
    return {
        "cluster": cluster,
        "items": successes(cluster),
        "vision": cluster_plan(cluster).vision,
        "today": timezone.localdate(),
        "pence": Decimal("0.01"),
    }


def timeline(request, pk):
    cluster = access_cluster(request.user, pk)
    return render(request, "goals/timeline.html", _newsletter_context(cluster))


def newsletter(request, pk, fmt):
    """The timeline of successes as a stand-alone newsletter (HTML or PDF) to share."""
    cluster = access_cluster(request.user, pk)
    if fmt not in {"html", "pdf"}:
        raise Http404("The newsletter comes as .html or .pdf.")
    html = render_to_string("goals/newsletter.html", _newsletter_context(cluster), request)
    filename = f"{cluster.name.lower().replace(' ', '-')}-successes"
    if fmt == "pdf":
        import weasyprint

        pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.html"'
    return response
