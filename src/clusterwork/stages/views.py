"""Programme board, a cluster's stage and checklist, applications and the panel."""

from django.http import Http404
from django.urls import reverse

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.views import ObjectDetailView, ServiceFormView, by_action

from . import services
from .access import access_application
from .forms import (
    AdvanceForm,
    ApplicationForm,
    ChecklistItemForm,
    ChecklistTickForm,
    DecisionForm,
    StagePlaceForm,
)
from .models import ChecklistItem, StageDefinition
from .selectors import applications_visible_to, cluster_stage_status, programme_board, stages_of


class ProgrammeBoard(ObjectDetailView):
    access = access_programme
    template_name = "stages/board.html"

    def get_context_data(self, **context):
        programme, user = self.object, self.request.user
        return super().get_context_data(
            programme=programme,
            board=programme_board(user, programme),
            can_change=user.has_perm("stages.add_application", programme),
            applications=applications_visible_to(user).filter(programme=programme)[:50],
            **context,
        )


# ----- a cluster's stage ---------------------------------------------------------------------


def _place_stages(cluster):
    return StageDefinition.objects.filter(programme=cluster.programme, is_pre_cluster=False)


class _StagePage(ServiceFormView):
    """The cluster's stage page, with its forms (move on, place, tick an item)."""

    access = access_cluster
    permission = "stages.advance_stage"
    template_name = "stages/cluster_stage.html"
    success_url = "cluster_stage"

    def get_context_data(self, **context):
        cluster, user = self.object, self.request.user
        context.setdefault("advance_form", AdvanceForm())
        context.setdefault("place_form", StagePlaceForm(stages=_place_stages(cluster)))
        return super().get_context_data(
            cluster=cluster,
            status=cluster_stage_status(cluster),
            can_tick=user.has_perm("stages.tick_checklist", cluster),
            can_advance=user.has_perm("stages.advance_stage", cluster),
            place_stages=[s for s in stages_of(cluster.programme) if not s.is_pre_cluster],
            **context,
        )


class ClusterStage(_StagePage):
    open_to_viewers = True
    partial = "checklist"
    form_class = AdvanceForm
    form_context_name = "advance_form"
    service = services.stage_advance
    object_argument = "cluster"

    def get_success_message(self, row):
        return f"{self.object} moved on to “{row.stage}”."


class StagePlace(_StagePage):
    http_method_names = ["post"]
    form_class = StagePlaceForm
    form_context_name = "place_form"
    service = services.stage_start
    object_argument = "cluster"

    def get_form_kwargs(self):
        return {"stages": _place_stages(self.object)}

    def get_success_message(self, row):
        return f"{self.object} is now at “{row.stage}”."


class ChecklistTick(_StagePage):
    """Tick (or untick) one checklist item; with htmx the checklist is swapped in place."""

    http_method_names = ["post"]
    permission = "stages.tick_checklist"
    form_class = ChecklistTickForm
    form_context_name = "tick_form"
    partial = "checklist"

    def get_object(self, *, perm, lock):
        cluster = super().get_object(perm=perm, lock=lock)
        self.item = ChecklistItem.objects.filter(
            pk=self.kwargs["item_pk"], stage__programme=cluster.programme, archived_at__isnull=True
        ).first()
        if self.item is None:
            raise Http404("No such checklist item.")
        return cluster

    def perform(self, form):
        return services.checklist_set(
            actor=self.request.user, cluster=self.object, item=self.item, **form.cleaned_data
        )


# ----- setting up the programme's stages -------------------------------------------------------


class _ProgrammeStages(ServiceFormView):
    access = access_programme
    open_to_viewers = True
    permission = "stages.manage_stages"
    template_name = "stages/programme_stages.html"
    success_url = "programme_stages"

    def get_form_kwargs(self):
        return {"stages": self.object.stages.all()}

    def get_context_data(self, **context):
        programme = self.object
        context.setdefault("form", ChecklistItemForm(stages=programme.stages.all()))
        return super().get_context_data(
            programme=programme,
            stages=stages_of(programme),
            can_change=self.request.user.has_perm(self.permission, programme),
            **context,
        )


class ChecklistItemAdd(_ProgrammeStages):
    form_class = ChecklistItemForm
    success_message = "Checklist item added."

    def perform(self, form):
        return services.checklist_item_add(actor=self.request.user, **form.cleaned_data)


class StagesInstall(_ProgrammeStages):
    form_context_name = "install_form"
    service = services.stages_install_defaults
    object_argument = "programme"
    success_message = "The standard stages and checklists were added."

    def get_form_kwargs(self):
        return {}


programme_stages = by_action(
    {"install-defaults": StagesInstall.as_view(), None: ChecklistItemAdd.as_view()}
)


# ----- applications and the panel ---------------------------------------------------------------


class ApplicationCreate(ServiceFormView):
    access = access_programme
    permission = "stages.add_application"
    form_class = ApplicationForm
    title = "Record an application"
    submit_label = "Submit to the panel"
    success_message = "Application recorded; it now waits for the panel."

    def perform(self, form):
        data = form.cleaned_data
        return services.application_submit(
            actor=self.request.user,
            programme=self.object,
            cluster_name=data["cluster_name"],
            aims=data["aims"],
            schools=data["school_urns"],
            region=data["region"],
            coordinator_name=data["coordinator_name"],
            coordinator_email=data["coordinator_email"],
            lead_school=data["lead_school_urn"],
        )

    def get_success_url(self, application):
        return reverse("application_detail", args=[application.pk])

    def get_context_data(self, **context):
        programme = self.object
        return super().get_context_data(
            lede=f"A group of schools applying to {programme.name} as a cluster. "
            "The panel decides next.",
            breadcrumbs=[
                (programme.name, reverse("programme_detail", args=[programme.pk])),
                ("Board", reverse("programme_board", args=[programme.pk])),
            ],
            cancel_url=reverse("programme_board", args=[programme.pk]),
            **context,
        )


class ApplicationDetail(ServiceFormView):
    access = access_application
    open_to_viewers = True
    permission = "stages.decide_application"
    form_class = DecisionForm
    template_name = "stages/application_detail.html"
    success_url = "application_detail"

    def perform(self, form):
        return services.application_decide(
            actor=self.request.user,
            application=self.object,
            accept=form.cleaned_data["decision"] == "accept",
            notes=form.cleaned_data["notes"],
        )

    def get_success_message(self, application):
        return f"Decision recorded: {application.get_status_display()}."

    def get_context_data(self, **context):
        application = self.object
        return super().get_context_data(
            application=application,
            can_decide=self.request.user.has_perm(self.permission, application),
            schools=application.schools.select_related("local_authority").order_by("name"),
            **context,
        )
