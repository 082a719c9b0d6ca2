"""The scheme of delegation (versions, the matrix, the lookup), intervention (triggers,
partners, categories, cases) and move proposals."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.models import Cluster
from clusterwork.clusters.selectors import cluster_people, clusters_visible_to, member_schools
from clusterwork.core.views import ServiceFormView, by_action
from clusterwork.schools.models import School

from . import forms, intervention, moves, scheme, selectors
from .access import access_case, access_move, access_trust, access_version
from .models import Mou, Partner, SchoolCategory


def _trust_clusters(trust):
    return Cluster.objects.filter(programme__trust=trust, archived_at__isnull=True).order_by("name")


def _trust_schools(trust):
    return (
        School.objects.filter(
            cluster_memberships__programme__trust=trust, cluster_memberships__end__isnull=True
        )
        .distinct()
        .order_by("name")
    )


class _TrustForm(ServiceFormView):
    access = access_trust
    service_argument = "trust"

    def page_context(self, **bound):
        url = reverse("governance:scheme", args=[self.object.pk])
        return {"breadcrumbs": [(f"{self.object} — scheme of delegation", url)], "cancel_url": url}


class Scheme(_TrustForm):
    """A trust's scheme: its versions by layer, the matrix in force, and the lookup."""

    open_to_viewers = True
    permission = "governance.manage_scheme"
    form_class = forms.VersionForm
    form_name = "version_form"
    service = scheme.version_create
    template_name = "governance/scheme.html"
    success_message = "Draft {result} started."

    def get_form_kwargs(self):
        return {"clusters": _trust_clusters(self.object), "schools": _trust_schools(self.object)}

    def page_context(self, **bound):
        trust, user = self.object, self.request.user
        day = timezone.localdate()
        context = selectors.scheme_overview(trust, day, user)
        lookup = forms.LookupForm(self.request.GET or None)
        answer, lookup_error = None, ""
        if self.request.GET and lookup.is_valid():
            data = lookup.cleaned_data
            school = School.objects.filter(
                urn=data["school"],
                cluster_memberships__cluster__in=clusters_visible_to(user),
                cluster_memberships__programme__trust=trust,
            ).first()
            if school is None:
                lookup_error = f"No school with URN {data['school']} in {trust}'s clusters you see."
            else:
                amount = data.get("amount")
                answer = scheme.who_decides(
                    data["area"],
                    on=data.get("on") or day,
                    school=school,
                    amount_pence=int(amount * 100) if amount is not None else None,
                )
                if answer is None:
                    lookup_error = f"{trust} has no approved scheme covering {school.name} then."
        return {
            **context,
            "trust": trust,
            "matrix": selectors.matrix(context["default"]) if context["default"] else [],
            "lookup_form": lookup,
            "answer": answer,
            "lookup_error": lookup_error,
            "can_manage": user.has_perm(self.permission, trust),
        }

    def get_success_url(self, result):
        return result.get_absolute_url()


class _VersionForm(ServiceFormView):
    access = access_version
    permission = "governance.manage_scheme"
    open_to_viewers = True
    template_name = "governance/scheme_version.html"
    service_argument = "version"

    def page_context(self, **bound):
        version, user = self.object, self.request.user
        forms_ = {
            "cell_form": forms.CellForm(),
            "threshold_form": forms.ThresholdForm(),
            "approve_form": forms.ApproveForm(initial={"approved_on": timezone.localdate()}),
        }
        return {
            **{k: v for k, v in forms_.items() if k not in bound},
            "version": version,
            "trust": version.trust,
            "rows": selectors.matrix(version),
            "levels": scheme.Level.choices,
            "thresholds": version.thresholds.select_related("area"),
            "problems": scheme.check_matrix(version) if version.approved_on is None else [],
            "can_manage": user.has_perm(self.permission, version) and not version.approved_on,
            "breadcrumbs": [
                (
                    f"{version.trust} — scheme of delegation",
                    reverse("governance:scheme", args=[version.trust_id]),
                )
            ],
        }

    def get_success_url(self, result):
        return reverse("governance:scheme_version", args=[self.object.pk])


class VersionCell(_VersionForm):
    form_class = forms.CellForm
    form_name = "cell_form"
    service = scheme.cell_set
    success_message = "Cell set."


class VersionThreshold(_VersionForm):
    form_class = forms.ThresholdForm
    form_name = "threshold_form"
    service = scheme.threshold_set
    success_message = "Threshold added."


class VersionApprove(_VersionForm):
    form_class = forms.ApproveForm
    form_name = "approve_form"
    service = scheme.version_approve
    success_message = "{object} approved."


scheme_version = by_action(
    {
        None: VersionCell.as_view(),
        "cell": VersionCell.as_view(),
        "threshold": VersionThreshold.as_view(),
        "approve": VersionApprove.as_view(),
    }
)


# ----- intervention ---------------------------------------------------------------------------


class _InterventionForm(_TrustForm):
    open_to_viewers = True
    permission = "governance.manage_triggers"
    template_name = "governance/intervention.html"

    def page_context(self, **bound):
        trust, user = self.object, self.request.user
        day = timezone.localdate()
        forms_ = {
            "rule_form": forms.RuleForm(),
            "evaluate_form": forms.EvaluateForm(),
            "partner_form": forms.PartnerForm(),
            "category_form": forms.CategoryForm(
                schools=_trust_schools(trust), clusters=_trust_clusters(trust)
            ),
        }
        return {
            **{k: v for k, v in forms_.items() if k not in bound},
            "trust": trust,
            "rules": intervention.TriggerRule.objects.filter(trust=trust),
            "cases": selectors.cases_visible_to(user).filter(cluster__programme__trust=trust),
            "partners": Partner.objects.filter(trust=trust).prefetch_related("mous"),
            "mous_in_force": set(
                Mou.objects.on(day)
                .filter(partner__trust=trust)
                .values_list("partner_id", flat=True)
            ),
            "categories": SchoolCategory.objects.filter(
                school__in=_trust_schools(trust).filter(
                    cluster_memberships__cluster__in=clusters_visible_to(user)
                )
            ).select_related("school", "cluster"),
            "can_manage": user.has_perm(self.permission, trust),
            "breadcrumbs": [],
        }

    def get_success_url(self, result):
        return reverse("governance:intervention", args=[self.object.pk])


class RuleCreate(_InterventionForm):
    form_class = forms.RuleForm
    form_name = "rule_form"
    service = intervention.rule_create
    success_message = "Trigger “{result}” added."


class Evaluate(_InterventionForm):
    form_class = forms.EvaluateForm
    form_name = "evaluate_form"
    service = intervention.evaluate
    success_message = "Triggers evaluated."

    def succeeded(self, result):
        self.success_message = f"Triggers evaluated: {len(result)} case(s) opened."
        return super().succeeded(result)


class PartnerCreate(_InterventionForm):
    form_class = forms.PartnerForm
    form_name = "partner_form"
    service = intervention.partner_add
    success_message = "Partner “{result}” added."


class CategoryMark(_InterventionForm):
    form_class = forms.CategoryForm
    form_name = "category_form"
    service = intervention.category_mark
    success_message = "Category recorded."

    def get_form_kwargs(self):
        return {"schools": _trust_schools(self.object), "clusters": _trust_clusters(self.object)}

    def perform(self, form):
        return self.service(actor=self.request.user, **form.cleaned_data)


intervention_page = by_action(
    {
        None: RuleCreate.as_view(),
        "rule": RuleCreate.as_view(),
        "evaluate": Evaluate.as_view(),
        "partner": PartnerCreate.as_view(),
        "category": CategoryMark.as_view(),
    }
)


class _CaseForm(ServiceFormView):
    access = access_case
    permission = "governance.manage_case"
    open_to_viewers = True
    template_name = "governance/case_detail.html"
    service_argument = "case"

    def people(self):
        return cluster_people(self.object.cluster)

    def page_context(self, **bound):
        case = self.object
        forms_ = {
            "update_form": forms.CaseUpdateForm(
                people=self.people(), initial={"status": case.status}
            ),
            "note_form": forms.CaseNoteForm(people=self.people()),
        }
        return {
            **{k: v for k, v in forms_.items() if k not in bound},
            "case": case,
            "cluster": case.cluster,
            "notes": case.notes.select_related("action_owner", "written_by"),
            "support": intervention.proposed_support(case),
            "agenda": case.agenda_items.select_related("meeting"),
            "can_manage": self.request.user.has_perm(self.permission, case) and case.is_open,
        }

    def get_success_url(self, result):
        return reverse("governance:case_detail", args=[self.object.pk])


class CaseUpdate(_CaseForm):
    form_class = forms.CaseUpdateForm
    form_name = "update_form"
    service = intervention.case_update
    success_message = "Case updated."

    def get_form_kwargs(self):
        return {"people": self.people()}


class CaseNoteAdd(_CaseForm):
    form_class = forms.CaseNoteForm
    form_name = "note_form"
    service = intervention.note_add
    success_message = "Note added."

    def get_form_kwargs(self):
        return {"people": self.people()}


case_detail = by_action(
    {
        None: CaseUpdate.as_view(),
        "update": CaseUpdate.as_view(),
        "note": CaseNoteAdd.as_view(),
    }
)


# ----- moves ---------------------------------------------------------------------------------


class MoveCreate(ServiceFormView):
    """Propose moving one of the cluster's academies: a first submit (preview) shows the
    impact, with every app's section; "Propose" saves it."""

    access = access_cluster
    permission = "governance.propose_move"
    form_class = forms.MoveForm
    template_name = "governance/move_new.html"
    service = moves.move_propose
    success_message = "Move proposed; it goes to both boards."

    def get_form_kwargs(self):
        others = Cluster.objects.filter(
            programme=self.object.programme, archived_at__isnull=True
        ).exclude(pk=self.object.pk)
        return {"schools": member_schools(self.object), "clusters": others}

    def get_initial(self):
        return {"effective_on": timezone.localdate() + dt.timedelta(days=30)}

    def perform(self, form):
        return self.service(actor=self.request.user, from_cluster=self.object, **form.cleaned_data)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "preview":
            self.object = self.get_object(perm=self.permission, lock=False)
            form = self.get_form(request.POST)
            preview = None
            if form.is_valid():
                data = form.cleaned_data
                preview = moves.MovePreview(
                    school=data["school"],
                    from_cluster=self.object,
                    to_cluster=data["to_cluster"],
                    effective_on=data["effective_on"],
                )
            return self.render(
                form, preview=preview, impact=moves.impact(preview) if preview else None
            )
        return super().post(request, *args, **kwargs)


class MoveDetail(ServiceFormView):
    access = access_move
    permission = "governance.propose_move"
    open_to_viewers = True
    form_class = forms.RejectForm
    form_name = "reject_form"
    service = moves.move_reject
    service_argument = "proposal"
    template_name = "governance/move_detail.html"
    success_message = "Proposal withdrawn."

    def page_context(self, **bound):
        proposal = self.object
        return {
            "proposal": proposal,
            "preview": proposal,
            "impact": moves.impact(proposal),
            "decisions": moves.decisions_for(proposal),
            "boards": moves.boards_concerned(proposal),
            "can_change": self.request.user.has_perm(self.permission, proposal)
            and proposal.status == proposal.Status.PROPOSED,
        }
