"""The funding pages: a cluster's budgets, a budget year, claims from draft to reimbursed, the
claims register, the programme's funding model and money at risk, the lead school's queue and
a member school's statement."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import clusters_visible_to, member_schools
from clusterwork.core import documents
from clusterwork.core.access import require_perm
from clusterwork.core.uploads import serve
from clusterwork.core.views import EmptyForm, ObjectDetailView, ScopedListView, ServiceFormView

from . import forms, selectors, services
from .access import access_budget, access_claim, access_funded_programme, access_lead_school
from .models import BudgetLine, Category, Claim, FundingRules
from .money import pounds

# ----- a cluster's money ------------------------------------------------------------------------


def cluster_funding(request, pk):
    """The cluster's Funding tab: every budget year with its lines and forecast."""
    cluster = access_cluster(request.user, pk)
    user = request.user
    return render(
        request,
        "funding/cluster_funding.html",
        {
            "cluster": cluster,
            "forecasts": selectors.cluster_budgets(cluster),
            "can_claim": user.has_perm("funding.add_claim", cluster),
            "can_manage": user.has_perm("funding.manage_funding", cluster),
            "has_model": FundingRules.objects.filter(programme=cluster.programme_id).exists(),
        },
    )


class BudgetCreate(ServiceFormView):
    access = access_cluster
    permission = "funding.manage_funding"
    form_class = forms.BudgetForm
    service = services.budget_create
    title = "New budget year for {object}"
    lede = (
        "Allocate money to each category the cluster may spend on; leave a category blank "
        "for no line."
    )
    submit_label = "Set the budget"
    success_message = "Budget set: {result}."

    def get_object(self, *, perm, lock):
        cluster = super().get_object(perm=perm, lock=lock)
        if not FundingRules.objects.filter(programme=cluster.programme_id).exists():
            raise Http404("The programme has no funding model yet.")
        return cluster

    def get_form_kwargs(self):
        return {
            "schools": member_schools(self.object),
            "categories": selectors.categories_of(self.object.programme),
        }

    def get_initial(self):
        last = self.object.budgets.order_by("-year").first()
        if last is None:
            start = self.object.started_on or timezone.localdate()
            return {"year": 1, "start": start, "end": start.replace(year=start.year + 1)}
        return {
            "year": last.year + 1,
            "start": last.end,
            "end": last.end.replace(year=last.end.year + 1),
        }

    def page_context(self, **bound):
        url = reverse("funding:cluster_funding", args=[self.object.pk])
        return {"breadcrumbs": [(self.object.name, url)], "cancel_url": url}


class BudgetDetail(ObjectDetailView):
    access = access_budget
    template_name = "funding/budget_detail.html"

    def page_context(self):
        budget, user = self.object, self.request.user
        return {
            **selectors.budget_page(budget, user),
            "cluster": budget.cluster,
            "can_manage": user.has_perm("funding.manage_funding", budget),
            "can_claim": user.has_perm("funding.add_claim", budget.cluster),
        }


class _ManageBudget(ServiceFormView):
    access = access_budget
    permission = "funding.manage_funding"

    def page_context(self, **bound):
        url = self.object.get_absolute_url()
        return {
            "breadcrumbs": [
                (
                    self.object.cluster.name,
                    reverse("funding:cluster_funding", args=[self.object.cluster_id]),
                ),
                (f"Year {self.object.year}", url),
            ],
            "cancel_url": url,
        }


class VariationCreate(_ManageBudget):
    form_class = forms.VariationForm
    title = "Vary the allocations of {object}"
    lede = (
        "Move money between lines (or into another year of the cluster), or increase or "
        "decrease a line. The original allocation is kept beside the varied one."
    )
    submit_label = "Record the variation"
    success_message = "Variation recorded: {result}."

    def get_success_url(self, result):
        return self.object.get_absolute_url()

    def get_form_kwargs(self):
        lines = (
            BudgetLine.objects.filter(
                budget__cluster=self.object.cluster, budget__closed_at__isnull=True
            )
            .select_related("budget", "stream", "category")
            .order_by("budget__year", "pk")
        )
        return {"lines": lines}

    def perform(self, form):
        data = form.cleaned_data
        return services.variation_record(actor=self.request.user, **data)


class BudgetCarryOver(_ManageBudget):
    form_class = forms.CarryOverForm
    title = "Close {object} and carry money over"
    submit_label = "Close the year and carry over"
    success_message = "Year closed; unspent money carried over by the programme's rule."
    service = services.carry_over

    def get_success_url(self, result):
        return self.object.get_absolute_url()

    def page_context(self, **bound):
        rules = FundingRules.objects.filter(programme=self.object.cluster.programme_id).first()
        lines = list(self.object.lines.select_related("stream", "category"))
        preview = [
            (line, services.carry_over_amount(line, rules) if rules else 0) for line in lines
        ]
        return {**super().page_context(**bound), "preview": preview, "rules": rules}

    template_name = "funding/carry_over.html"


class BudgetClose(_ManageBudget):
    form_class = EmptyForm
    service = services.budget_close
    title = "Close {object}"
    lede = "No new claims or variations once it closes; approved claims may still be paid."
    submit_label = "Close the year"
    success_message = "Year closed."

    def get_success_url(self, result):
        return self.object.get_absolute_url()


# ----- claims -------------------------------------------------------------------------------


class ClaimCreate(ServiceFormView):
    access = access_cluster
    permission = "funding.add_claim"
    form_class = forms.ClaimForm
    title = "New claim to the lead school of {object}"
    lede = (
        "Claim an amount (attach the invoice or receipt), supply cover in whole or half days, "
        "or the coordinator's allowance in days, half days or hours."
    )
    submit_label = "Save the claim"
    template_name = "funding/claim_form.html"

    def get_form_kwargs(self):
        from clusterwork.goals.models import Project
        from clusterwork.meetings.models import Event

        cluster = self.object
        return {
            "categories": selectors.categories_of(cluster.programme),
            "schools": selectors.claimable_schools(self.request.user, cluster),
            "events": Event.objects.filter(cluster=cluster, archived_at__isnull=True).order_by(
                "-starts_at"
            ),
            "projects": Project.objects.filter(cluster=cluster, archived_at__isnull=True),
        }

    def get_initial(self):
        schools = selectors.claimable_schools(self.request.user, self.object)
        return {"school": schools.first() if schools.count() == 1 else None}

    def perform(self, form):
        data = dict(form.cleaned_data)
        category = data["category"]
        claimant = None
        if category.counting == Category.Counting.ALLOWANCE:
            claimant = selectors.coordinator_person(self.object, self.request.user)
        elif data.get("school") is not None:
            allowed = selectors.claimable_schools(self.request.user, self.object)
            if not allowed.filter(pk=data["school"].pk).exists():
                raise PermissionDenied("You may claim for your own school only.")
        return services.claim_create(
            actor=self.request.user, cluster=self.object, claimant=claimant, **data
        )

    def get_success_message(self, result):
        verb = (
            "submitted to the lead school"
            if result.status == Claim.Status.SUBMITTED
            else "saved as a draft"
        )
        warning = selectors.claim_fit(result)
        return f"{result.reference} ({result.amount}) {verb}." + (f" {warning}" if warning else "")

    def page_context(self, **bound):
        url = reverse("funding:cluster_funding", args=[self.object.pk])
        return {"breadcrumbs": [(self.object.name, url)], "cancel_url": url}


class ClaimDetail(ObjectDetailView):
    access = access_claim
    template_name = "funding/claim_detail.html"

    def page_context(self):
        claim, user = self.object, self.request.user
        can = {
            verb: user.has_perm(f"funding.{verb}_claim", claim)
            for verb in ("submit", "approve", "pay", "reimburse")
        }
        return {
            "cluster": claim.budget.cluster,
            "can": can,
            "warning": selectors.claim_fit(claim),
            "steps": selectors.claim_steps(claim),
            "empty": EmptyForm(),
            "reject_form": forms.RejectForm(),
            "pay_form": forms.PayForm(),
            "reimburse_form": forms.ReimburseForm(),
            "evidence_form": forms.EvidenceForm(),
            "late": (claim.submitted_at or timezone.now()).date() > claim.activity_on
            and ((claim.submitted_at or timezone.now()).date() - claim.activity_on).days
            > getattr(
                FundingRules.objects.filter(programme=claim.budget.cluster.programme_id).first(),
                "prompt_days",
                30,
            ),
        }


class _ClaimStep(ServiceFormView):
    """One step of a claim, posted from its page (a refused step shows the page's form)."""

    access = access_claim
    form_class = EmptyForm
    http_method_names = ["post"]
    template_name = "core/form.html"

    def get_success_url(self, result):
        return result.get_absolute_url()

    def page_context(self, **bound):
        url = self.object.get_absolute_url()
        return {
            "breadcrumbs": [(self.object.reference, url)],
            "cancel_url": url,
            "title": f"{self.title} {self.object.reference}",
        }


class ClaimSubmit(_ClaimStep):
    permission = "funding.submit_claim"
    service = services.claim_submit
    title = "Submit"
    submit_label = "Submit"
    success_message = "{result.reference} submitted to the lead school."


class ClaimWithdraw(_ClaimStep):
    permission = "funding.submit_claim"
    service = services.claim_withdraw
    title = "Withdraw"
    submit_label = "Withdraw"
    success_message = "{result.reference} withdrawn."


class ClaimEvidence(_ClaimStep):
    permission = "funding.submit_claim"
    form_class = forms.EvidenceForm
    service = services.claim_attach_evidence
    title = "Attach evidence to"
    submit_label = "Attach"
    success_message = "Evidence attached to {result.reference}."


class ClaimApprove(_ClaimStep):
    permission = "funding.approve_claim"
    service = services.claim_approve
    title = "Approve"
    submit_label = "Approve"
    success_message = "{result.reference} approved: {result.amount} committed."


class ClaimReject(_ClaimStep):
    permission = "funding.approve_claim"
    form_class = forms.RejectForm
    service = services.claim_reject
    title = "Reject"
    submit_label = "Reject"
    success_message = "{result.reference} rejected; the school sees the reason."


class ClaimPay(_ClaimStep):
    permission = "funding.pay_claim"
    form_class = forms.PayForm
    service = services.claim_pay
    title = "Record payment of"
    submit_label = "Record payment"
    success_message = "{result.reference} paid ({result.amount})."


class ClaimReimburse(_ClaimStep):
    permission = "funding.reimburse_claim"
    form_class = forms.ReimburseForm
    service = services.claim_reimburse
    title = "Record reimbursement of"
    submit_label = "Record reimbursement"
    success_message = "{result.reference} reimbursed by the programme."


def claim_evidence_file(request, pk):
    """The claim's invoice or receipt, to whoever may see the claim."""
    claim = access_claim(request.user, pk)
    return serve(claim.evidence, download_name=f"{claim.reference}-evidence{_suffix(claim)}")


def _suffix(claim) -> str:
    name = claim.evidence.name or ""
    return name[name.rfind(".") :] if "." in name else ""


class ClaimRegister(ScopedListView):
    """The claims register for the finance team (CSV and XLSX)."""

    template_name = "funding/claim_list.html"
    filter_form_class = forms.ClaimFilterForm
    sortable = {
        "date": ("activity_on", "id"),
        "amount": ("amount_pence", "id"),
        "school": ("school__name", "id"),
        "status": ("status", "id"),
    }
    export_filename = "claims-register"
    export_columns = (
        ("Reference", "reference"),
        ("Cluster", "budget.cluster.name"),
        ("Programme year", lambda c: c.budget.year),
        ("Lead school", "budget.lead_school.name"),
        ("Claiming school", "school.name"),
        ("Claiming school URN", "school.urn"),
        ("Stream", "category.stream.name"),
        ("Category", "category.name"),
        ("Activity date", "activity_on"),
        ("Description", "description"),
        ("Counted as", "get_unit_display"),
        ("Quantity", "quantity"),
        ("Rate (pence)", "rate_pence"),
        ("Amount (pence)", "amount_pence"),
        ("Amount (£)", lambda c: pounds(c.amount_pence).replace("£", "").replace(",", "")),
        ("Status", "get_status_display"),
        ("Submitted", "submitted_at"),
        ("Decided", "decided_at"),
        ("Rejection reason", "rejection_reason"),
        ("Paid on", "paid_on"),
        ("Payment reference", "paid_reference"),
        ("Reimbursed on", "reimbursed_on"),
    )

    def get_filter_form_kwargs(self):
        return {"clusters": clusters_visible_to(self.request.user).order_by("name")}

    def get_queryset(self, filters):
        return selectors.claim_list(self.request.user, filters)


class ClaimsFromRegister(ServiceFormView):
    """Supply-cover claims started from a meeting's register."""

    permission = "funding.add_claim"
    form_class = forms.RegisterClaimForm
    title = "Supply-cover claims for {object}"
    lede = "One draft claim per school whose people attended, for a whole or a half day each."
    submit_label = "Draft the claims"
    service_argument = "event"
    success_message = "Draft claims made for the schools that attended."

    @staticmethod
    def access(user, pk, *, perm=None, lock=False):
        from clusterwork.meetings.access import access_event

        event = access_event(user, pk, lock=lock)
        if event.cluster_id is None:
            raise Http404("Supply cover is claimed for a cluster's meeting.")
        if perm:
            require_perm(user, perm, event.cluster)
        return event

    def get_form_kwargs(self):
        return {
            "categories": selectors.categories_of(self.object.cluster.programme).filter(
                counting=Category.Counting.SUPPLY
            )
        }

    def perform(self, form):
        allowed = selectors.claimable_schools(self.request.user, self.object.cluster)
        return services.claims_from_register(
            actor=self.request.user,
            event=self.object,
            schools=set(allowed.values_list("pk", flat=True)),
            **form.cleaned_data,
        )

    def get_success_url(self, result):
        return reverse("funding:cluster_funding", args=[self.object.cluster_id])

    def get_success_message(self, result):
        return (
            f"{len(result)} draft claim{'s' if len(result) != 1 else ''} made: "
            + ", ".join(f"{c.school.name} {c.amount}" for c in result)
            + ". Each school submits its own."
        )


# ----- the programme ------------------------------------------------------------------------


def programme_funding(request, pk):
    """The programme's funding model (streams, categories, rates) and its money at a glance."""
    programme = access_funded_programme(request.user, pk)
    rows = selectors.money_at_risk(programme, request.user)
    return render(
        request,
        "funding/programme_funding.html",
        {
            "programme": programme,
            **selectors.funding_model(programme),
            "summary": selectors.unspent_summary(rows),
            "can_manage": request.user.has_perm("funding.manage_funding", programme),
            "empty": EmptyForm(),
        },
    )


def programme_unspent(request, pk):
    """Where is money unspent: every cluster's year in force, the most money at risk first,
    with the lines that still have money."""
    programme = access_funded_programme(request.user, pk)
    only = request.GET.get("only") == "at_risk"
    rows = selectors.money_at_risk(programme, request.user, only_at_risk=only)
    return render(
        request,
        "funding/programme_unspent.html",
        {
            "programme": programme,
            "rows": rows,
            "summary": selectors.unspent_summary(rows),
            "only": only,
        },
    )


class FundingModelInstall(ServiceFormView):
    access = access_funded_programme
    permission = "funding.manage_funding"
    form_class = EmptyForm
    service = services.model_install_defaults
    title = "Set up the funding model of {object}"
    lede = (
        "Part A, Part B and the coordinator's allowance with the seed's categories and default "
        "rates; change the rates next."
    )
    submit_label = "Set up"
    success_message = "Funding model set up."
    success_url = "funding:programme_funding"


class RulesEdit(ServiceFormView):
    access = access_funded_programme
    permission = "funding.manage_funding"
    form_class = forms.RulesForm
    service = services.rules_update
    title = "Rates and rules of {object}"
    submit_label = "Save"
    success_message = "Rates and rules saved."
    success_url = "funding:programme_funding"

    def get_initial(self):
        rules = FundingRules.objects.filter(programme=self.object).first()
        if rules is None:
            return {}
        return {name: getattr(rules, name) for name in services.RULE_FIELDS}

    def page_context(self, **bound):
        url = reverse("funding:programme_funding", args=[self.object.pk])
        return {"breadcrumbs": [(self.object.name, url)], "cancel_url": url}


# ----- the lead school ----------------------------------------------------------------------


def my_lead_schools(request):
    """The lead schools whose claims the user may see (a way in from the menu)."""
    schools = selectors.lead_schools_visible_to(request.user).order_by("name")
    return render(request, "funding/lead_schools.html", {"schools": schools})


def lead_school(request, pk):
    school = access_lead_school(request.user, pk)
    queue = selectors.lead_school_queue(school, request.user)
    clusters = {b.cluster for b in queue["budgets"]}
    can_decide = any(
        request.user.has_perm("funding.approve_claim", c) for c in queue["to_decide"][:1]
    )
    return render(
        request,
        "funding/lead_school.html",
        {
            "school": school,
            **queue,
            "clusters": sorted(clusters, key=lambda c: c.name),
            "can_decide": can_decide,
        },
    )


def member_statement(request, pk, school_pk, fmt):
    """A member school's statement for the cluster: its claims and what it is owed."""
    cluster = access_cluster(request.user, pk)
    from clusterwork.schools.models import School

    school = get_object_or_404(School, pk=school_pk)
    if not selectors.sees_claims_of(request.user, cluster, school):
        raise Http404("No such member school.")
    context = selectors.statement(cluster, school, request.user)
    return documents.document_response(
        request,
        "funding/statement.html",
        context,
        filename=f"{cluster.name}-{school.name}-statement",
        fmt=fmt,
    )
