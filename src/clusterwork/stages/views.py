"""Programme board, a cluster's stage and checklist, applications and the panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.access import require_perm
from clusterwork.core.htmx import add_service_error, render_page

from . import services
from .access import access_application
from .forms import AdvanceForm, ApplicationForm, ChecklistItemForm, DecisionForm
from .models import ChecklistItem, StageDefinition
from .selectors import applications_visible_to, cluster_stage_status, programme_board, stages_of


def board(request, pk):
    programme = access_programme(request.user, pk)
    return render(
        request,
        "stages/board.html",
        {
            "programme": programme,
            "board": programme_board(request.user, programme),
            "can_change": request.user.has_perm("clusters.change_programme", programme),
            "applications": applications_visible_to(request.user).filter(programme=programme)[:50],
        },
    )


def cluster_stage(request, pk):
    cluster = access_cluster(request.user, pk)
    advance_form = AdvanceForm(request.POST or None) if request.method == "POST" else AdvanceForm()
    if request.method == "POST":
        require_perm(request.user, "stages.advance_stage", cluster)
        if advance_form.is_valid():
            try:
                row = services.stage_advance(
                    actor=request.user,
                    cluster=cluster,
                    on=advance_form.cleaned_data["on"],
                    note=advance_form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_error(advance_form, error)
            else:
                messages.success(request, f"{cluster} moved on to “{row.stage}”.")
                return redirect("cluster_stage", pk=cluster.pk)
    return _render_stage(request, cluster, advance_form)


def _render_stage(request, cluster, advance_form, status=200):
    return render_page(
        request,
        "stages/cluster_stage.html",
        {
            "cluster": cluster,
            "status": cluster_stage_status(cluster),
            "advance_form": advance_form,
            "can_tick": request.user.has_perm("stages.tick_checklist", cluster),
            "can_advance": request.user.has_perm("stages.advance_stage", cluster),
            "place_stages": [s for s in stages_of(cluster.programme) if not s.is_pre_cluster],
        },
        partial="checklist",
        status=status,
    )


@require_POST
def checklist_tick(request, pk, item_pk):
    cluster = access_cluster(request.user, pk)
    require_perm(request.user, "stages.tick_checklist", cluster)
    item = ChecklistItem.objects.filter(
        pk=item_pk, stage__programme=cluster.programme, archived_at__isnull=True
    ).first()
    if item is None:
        from django.http import Http404

        raise Http404("No such checklist item.")
    services.checklist_set(
        actor=request.user,
        cluster=cluster,
        item=item,
        done=request.POST.get("done") == "1",
        note=request.POST.get("note", "")[:300],
    )
    if not getattr(request, "htmx", False):
        return redirect("cluster_stage", pk=cluster.pk)
    return _render_stage(request, cluster, AdvanceForm())


@require_POST
def stage_place(request, pk):
    cluster = access_cluster(request.user, pk)
    require_perm(request.user, "stages.advance_stage", cluster)
    stage = StageDefinition.objects.filter(
        pk=request.POST.get("stage"), programme=cluster.programme
    ).first()
    if stage is None:
        messages.error(request, "Choose one of the programme's stages.")
        return redirect("cluster_stage", pk=cluster.pk)
    try:
        services.stage_start(actor=request.user, cluster=cluster, stage=stage)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{cluster} is now at “{stage}”.")
    return redirect("cluster_stage", pk=cluster.pk)


def programme_stages(request, pk):
    programme = access_programme(request.user, pk)
    can_change = request.user.has_perm("clusters.change_programme", programme)
    form = ChecklistItemForm(stages=programme.stages.all())
    if request.method == "POST":
        require_perm(request.user, "clusters.change_programme", programme)
        if request.POST.get("action") == "install-defaults":
            services.stages_install_defaults(actor=request.user, programme=programme)
            messages.success(request, "The standard stages and checklists were added.")
            return redirect("programme_stages", pk=programme.pk)
        form = ChecklistItemForm(request.POST, stages=programme.stages.all())
        if form.is_valid():
            try:
                services.checklist_item_add(
                    actor=request.user,
                    stage=form.cleaned_data["stage"],
                    text=form.cleaned_data["text"],
                    when=form.cleaned_data["when"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Checklist item added.")
                return redirect("programme_stages", pk=programme.pk)
    return render(
        request,
        "stages/programme_stages.html",
        {
            "programme": programme,
            "stages": stages_of(programme),
            "form": form,
            "can_change": can_change,
        },
    )


def application_new(request, pk):
    programme = access_programme(request.user, pk, for_write=request.method == "POST")
    require_perm(request.user, "clusters.change_programme", programme)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                actor=request.user,
                programme=programme,
                cluster_name=data["cluster_name"],
                aims=data["aims"],
                schools=data["school_urns"],
                region=data["region"],
                coordinator_name=data["coordinator_name"],
                coordinator_email=data["coordinator_email"],
                lead_school=data["lead_school_urn"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Application recorded; it now waits for the panel.")
            return redirect("application_detail", pk=application.pk)
    return render(request, "stages/application_form.html", {"programme": programme, "form": form})


def application_detail(request, pk):
    application = access_application(request.user, pk)
    can_decide = request.user.has_perm("stages.decide_application", application)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "stages.decide_application", application)
        if form.is_valid():
            try:
                application = services.application_decide(
                    actor=request.user,
                    application=application,
                    accept=form.cleaned_data["decision"] == "accept",
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Decision recorded: {application.get_status_display()}.")
                return redirect("application_detail", pk=application.pk)
    return render(
        request,
        "stages/application_detail.html",
        {
            "application": application,
            "form": form,
            "can_decide": can_decide,
            "schools": application.schools.select_related("local_authority").order_by("name"),
        },
    )
