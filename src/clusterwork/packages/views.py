"""Support packages: a cluster's package (agreed vs delivered), agreeing and renegotiating it,
the delivery log, schools' membership, the programme's view and catalogue, the caseload."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import cluster_people, member_schools
from clusterwork.core import exports
from clusterwork.core.dated import in_force
from clusterwork.core.views import ObjectDetailView, ServiceFormView
from clusterwork.meetings.models import Event
from clusterwork.people.models import Person, Role

from . import forms, selectors, services
from .access import access_delivery, access_package
from .models import PackageItem, Unit


def _catalogue(programme):
    return PackageItem.objects.filter(programme=programme, archived_at__isnull=True)


def _managers(cluster):
    """People who are development managers of the cluster or its programme today."""
    return (
        Person.objects.active()
        .filter(
            in_force(timezone.localdate(), "roles__"),
            roles__role=Role.DEVELOPMENT_MANAGER,
        )
        .filter(Q(roles__programme_id=cluster.programme_id) | Q(roles__cluster=cluster))
        .distinct()
        .order_by("full_name")
    )


class ClusterPackages(ObjectDetailView):
    """The cluster's packages: agreed, delivered and remaining per item, with the burn-down."""

    access = access_cluster
    template_name = "packages/cluster_packages.html"

    def page_context(self):
        cluster, user = self.object, self.request.user
        rows = selectors.cluster_packages(cluster)
        today = timezone.localdate()
        current = next((r for r in rows if r.package.is_current(today)), None)
        return {
            "rows": rows,
            "current": current,
            "chart": selectors.burn_down(current.package, current) if current else None,
            "can_agree": user.has_perm("packages.agree_package", cluster),
        }


class PackageDetail(ObjectDetailView):
    access = access_package
    template_name = "packages/package_detail.html"

    def page_context(self):
        package, user = self.object, self.request.user
        summary = selectors.package_summary(package)
        return {
            "cluster": package.cluster,
            "summary": summary,
            "chart": selectors.burn_down(package, summary),
            "versions": package.versions.select_related("agreed_by").prefetch_related(
                "lines__item"
            ),
            "deliveries": selectors.deliveries_of(package),
            "memberships": package.memberships.select_related("school"),
            "can_agree": user.has_perm("packages.agree_package", package),
            "can_log": user.has_perm("packages.log_delivery", package),
            "can_record_membership": user.has_perm("packages.record_membership", package),
        }


class PackageCreate(ServiceFormView):
    access = access_cluster
    permission = "packages.agree_package"
    form_class = forms.PackageForm
    service = services.package_agree
    title = "Agree a support package with {object}"
    lede = "Give a quantity for each item the cluster takes; the price defaults to the list price."
    submit_label = "Agree package"
    success_message = "Package “{result}” agreed."
    template_name = "packages/package_form.html"

    def get_form_kwargs(self):
        return {"items": _catalogue(self.object.programme), "managers": _managers(self.object)}

    def page_context(self, **bound):
        back = reverse("packages:cluster_packages", args=[self.object.pk])
        return {"breadcrumbs": [(self.object.name, back)], "cancel_url": back}


class PackageRenegotiate(ServiceFormView):
    access = access_package
    permission = "packages.agree_package"
    form_class = forms.RenegotiateForm
    service = services.package_renegotiate
    title = "Renegotiate {object}"
    lede = "The lines as renegotiated; the earlier version is kept, deliveries carry over."
    submit_label = "Save new version"
    success_message = "Package renegotiated: version {result.number}."
    template_name = "packages/package_form.html"

    def get_form_kwargs(self):
        return {
            "items": _catalogue(self.object.programme),
            "managers": _managers(self.object.cluster),
        }

    def get_initial(self):
        initial = {}
        version = services.current_version(self.object)
        for line in version.lines.all():
            initial[f"qty_{line.item_id}"] = line.quantity
            initial[f"price_{line.item_id}"] = line.price_pence / 100
        return initial

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class DeliveryCreate(ServiceFormView):
    access = access_package
    permission = "packages.log_delivery"
    form_class = forms.DeliveryForm
    service = services.delivery_log
    title = "Log a delivery of {object}"
    submit_label = "Log delivery"
    success_message = "Delivery logged."

    def get_initial(self):
        return {"on": timezone.localdate()}

    def get_form_kwargs(self):
        package = self.object
        version = services.current_version(package)
        items = PackageItem.objects.filter(lines__version=version).exclude(unit=Unit.PER_SCHOOL)
        return {
            "items": items,
            "managers": _managers(package.cluster),
            "events": Event.objects.filter(cluster=package.cluster, archived_at__isnull=True)
            .filter(starts_at__date__gte=package.start, starts_at__date__lt=package.end)
            .order_by("-starts_at"),
            "people": cluster_people(package.cluster),
        }

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class DeliveryWithdraw(ServiceFormView):
    http_method_names = ["post"]
    access = access_delivery
    permission = "packages.log_delivery"
    form_class = forms.WithdrawForm
    service = services.delivery_withdraw
    title = "Withdraw a delivery"
    submit_label = "Withdraw"
    success_message = "Delivery withdrawn; it no longer counts."

    def get_success_url(self, result):
        return self.object.package.get_absolute_url()


class MembershipCreate(ServiceFormView):
    access = access_package
    permission = "packages.record_membership"
    form_class = forms.MembershipForm
    service = services.memberships_record
    title = "Record schools' membership with {object}"
    submit_label = "Record membership"
    success_message = "Membership recorded."

    def get_initial(self):
        return {"start": max(self.object.start, timezone.localdate().replace(day=1))}

    def get_form_kwargs(self):
        taken = self.object.memberships.values("school_id")
        return {"schools": member_schools(self.object.cluster).exclude(pk__in=taken)}

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class Catalogue(ServiceFormView):
    """The programme's catalogue of package items, with a form for those who keep it."""

    access = access_programme
    open_to_viewers = True
    permission = "packages.manage_catalogue"
    form_class = forms.ItemForm
    service = services.item_create
    template_name = "packages/catalogue.html"
    success_message = "“{result.name}” added to the catalogue."

    def page_context(self, **bound):
        return {
            "items": _catalogue(self.object),
            "can_manage": self.request.user.has_perm(self.permission, self.object),
        }


EXPORT_COLUMNS = (
    ("Cluster", lambda r: r.package.cluster.name),
    ("Package", lambda r: r.package.title),
    ("Term", lambda r: r.package.term),
    ("Start", lambda r: r.package.start),
    ("End (first day out)", lambda r: r.package.end),
    ("Version", lambda r: r.version.number if r.version else ""),
    ("Development manager", lambda r: str(r.package.development_manager or "")),
    ("Days agreed", lambda r: r.days_agreed),
    ("Days delivered", lambda r: r.days_delivered),
    ("Days remaining", lambda r: r.days_remaining),
    ("Price (pence)", lambda r: r.price_pence),
    ("Status", lambda r: r.status),
    ("Beyond agreement", lambda r: "yes" if r.over else ""),
)


def programme_packages(request, pk):
    """Agreed vs delivered vs remaining for every cluster of the programme the user sees."""
    programme = access_programme(request.user, pk)
    rows = selectors.programme_summaries(request.user, programme)
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in exports.FORMATS:
            raise Http404("No such export.")
        return exports.export_response(fmt, rows, EXPORT_COLUMNS, f"{programme.name}-packages")
    links = [(f.upper(), f"?export={f}") for f in exports.FORMATS]
    return render(
        request,
        "packages/programme_packages.html",
        {
            "programme": programme,
            "rows": rows,
            "totals": selectors.totals(rows),
            "export_links": links,
            "can_manage": request.user.has_perm("packages.manage_catalogue", programme),
        },
    )


def caseload(request):
    """A development manager's clusters: what is behind or overdue first."""
    rows = selectors.caseload(request.user)
    return render(
        request,
        "packages/caseload.html",
        {"rows": rows, "totals": selectors.totals(rows), "today": timezone.localdate()},
    )
