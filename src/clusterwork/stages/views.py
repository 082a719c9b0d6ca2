"""Programme board, a cluster's stage and checklist, applications and the panel."""

from django.shortcuts import get_object_or_404

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.views import EmptyForm, ObjectDetailView, ServiceFormView, by_action

from . import forms, selectors, services
from .access import access_application


class ProgrammeBoard(ObjectDetailView):
    access = access_programme
    template_name = "stages/board.html"

    def page_context(self):
        programme, user = self.object, self.request.user
        return {
            "board": selectors.programme_board(user, programme),
            "can_change": user.has_perm("stages.add_application", programme),
            "applications": selectors.applications_visible_to(user).filter(programme=programme)[
                :50
            ],
        }


class _StagePage(ServiceFormView):
    """A cluster's stage page and its forms: move on, place at a stage, tick an item."""

    access = access_cluster
    open_to_viewers = True
    permission = "stages.advance_stage"
    template_name = "stages/cluster_stage.html"
    partial = "checklist"
    success_url = "cluster_stage"

    def place_stages(self):
        return self.object.programme.stages.filter(is_pre_cluster=False).order_by("order")

    def page_context(self, **bound):
        cluster, user = self.object, self.request.user
        return {
            "status": selectors.cluster_stage_status(cluster),
            "can_tick": user.has_perm("stages.tick_checklist", cluster),
            "can_advance": user.has_perm("stages.advance_stage", cluster),
            "advance_form": forms.AdvanceForm(),
            "place_form": forms.StagePlaceForm(stages=self.place_stages()),
        }


class ClusterStage(_StagePage):
    form_class = forms.AdvanceForm
    form_name = "advance_form"
    service = services.stage_advance
    success_message = "{object} moved on to “{result.stage}”."


class StagePlace(_StagePage):
    http_method_names = ["post"]
    form_class = forms.StagePlaceForm
    form_name = "place_form"
    service = services.stage_start
    success_message = "{object} is now at “{result.stage}”."

    def get_form_kwargs(self):
        return {"stages": self.place_stages()}


class ChecklistTick(_StagePage):
    """Tick (or untick) one checklist item; with htmx the checklist is swapped in place."""

    http_method_names = ["post"]
    permission = "stages.tick_checklist"
    form_class = forms.ChecklistTickForm
    form_name = "tick_form"

    def perform(self, form):
        item = get_object_or_404(
            selectors.checklist_items(self.object.programme), pk=self.kwargs["item_pk"]
        )
        return services.checklist_set(
            actor=self.request.user, cluster=self.object, item=item, **form.cleaned_data
        )


class _ProgrammeStages(ServiceFormView):
    access = access_programme
    open_to_viewers = True
    permission = "stages.manage_stages"
    template_name = "stages/programme_stages.html"

    def get_form_kwargs(self):
        return {"stages": self.object.stages.all()}

    def page_context(self, **bound):
        programme = self.object
        return {
            "stages": selectors.stages_of(programme),
            "form": forms.ChecklistItemForm(stages=programme.stages.all()),
            "install_form": EmptyForm(),
        }


class ChecklistItemAdd(_ProgrammeStages):
    form_class = forms.ChecklistItemForm
    success_message = "Checklist item added."

    def perform(self, form):
        return services.checklist_item_add(actor=self.request.user, **form.cleaned_data)


class StagesInstall(_ProgrammeStages):
    form_name = "install_form"
    service = services.stages_install_defaults
    success_message = "The standard stages and checklists were added."

    def get_form_kwargs(self):
        return {}


programme_stages = by_action(
    {"install-defaults": StagesInstall.as_view(), None: ChecklistItemAdd.as_view()}
)


class ApplicationCreate(ServiceFormView):
    access = access_programme
    permission = "stages.add_application"
    form_class = forms.ApplicationForm
    service = services.application_submit
    title = "Record an application"
    lede = "A group of schools applying to {object} as a cluster. The panel decides next."
    submit_label = "Submit to the panel"
    success_message = "Application recorded; it now waits for the panel."
    back_url = "programme_board"


class ApplicationDetail(ServiceFormView):
    access = access_application
    open_to_viewers = True
    permission = "stages.decide_application"
    form_class = forms.DecisionForm
    service = services.application_decide
    template_name = "stages/application_detail.html"

    def get_success_message(self, application):
        return f"Decision recorded: {application.get_status_display()}."

    def page_context(self, **bound):
        application = self.object
        return {
            "programme": application.programme,
            "schools": application.schools.select_related("local_authority").order_by("name"),
        }
