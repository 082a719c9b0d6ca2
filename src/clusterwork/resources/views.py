"""Shared resources: a cluster's items, an item's page with its availability calendar and
bookings, adding an item, and the steps of a loan."""

from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import member_schools
from clusterwork.core import uploads
from clusterwork.core.views import EmptyForm, ObjectDetailView, ServiceFormView
from clusterwork.people.models import Person

from . import forms, selectors, services
from .access import access_loan, access_resource
from .models import Condition


class ClusterResources(ObjectDetailView):
    access = access_cluster
    template_name = "resources/cluster_resources.html"

    def page_context(self):
        cluster, today = self.object, timezone.localdate()
        items = selectors.cluster_resources(cluster)
        rows = [(item, *selectors.status_today(item, today)) for item in items]
        loans = selectors.cluster_loans(cluster)
        return {
            "rows": rows,
            "loans": loans,
            "overdue": [loan for loan in loans if loan.is_overdue(today)],
            "today": today,
            "seen_clusters": set(
                selectors.clusters_visible_to(self.request.user).values_list("pk", flat=True)
            ),
            "can_add": self.request.user.has_perm("resources.add_resource", cluster),
        }


class ResourceCreate(ServiceFormView):
    access = access_cluster
    permission = "resources.add_resource"
    form_class = forms.ResourceForm
    service = services.resource_create
    title = "Add a shared resource to {object}"
    lede = "Centrally held kit, or a themed box the group has made."
    submit_label = "Add item"
    success_message = "“{result}” added; schools can book it now."

    def get_form_kwargs(self):
        cluster = self.object
        # Clusters of the same programme the user sees (a coordinator shares with none they
        # cannot see; the programme's admins with any).
        others = (
            selectors.clusters_visible_to(self.request.user)
            .filter(programme=cluster.programme)
            .exclude(pk=cluster.pk)
        )
        return {"schools": member_schools(cluster), "clusters": others.order_by("name")}


class ResourceDetail(ServiceFormView):
    """The item, its availability calendar and loans; a booking form for who may book."""

    access = access_resource
    open_to_viewers = True
    permission = "resources.book_resource"
    form_class = forms.BookingForm
    form_name = "booking_form"
    service = services.loan_book
    template_name = "resources/resource_detail.html"
    success_message = "Booked."

    def get_form_kwargs(self):
        resource = self.object
        schools = selectors.bookable_schools(self.request.user, resource)
        people = Person.objects.active().filter(school__in=schools).order_by("full_name")
        return {"schools": schools, "people": people}

    def page_context(self, **bound):
        resource, user, today = self.object, self.request.user, timezone.localdate()
        status, loan = selectors.status_today(resource, today)
        seen = selectors.visible_cluster_ids(user, resource)
        clusters = resource.clusters.filter(pk__in=seen).order_by("name")
        return {
            "resource": resource,
            "cluster": clusters.first(),
            "seen_clusters": seen,
            "status": status,
            "status_loan": loan,
            "clusters": clusters,
            "months": selectors.availability(resource),
            "loans": selectors.resource_loans(resource),
            "today": today,
            "can_book": user.has_perm(self.permission, resource),
            "can_lend": user.has_perm("resources.lend_resource", resource),
            "user_id": user.pk,
            "conditions": Condition.choices,
        }


def resource_photo(request, pk):
    resource = access_resource(request.user, pk)
    return uploads.serve(resource.photo, download_name=f"{resource.name}{_suffix(resource)}")


def _suffix(resource) -> str:
    name = resource.photo.name if resource.photo else ""
    return name[name.rfind(".") :] if "." in name else ""


class _LoanStep(ServiceFormView):
    http_method_names = ["post"]
    access = access_loan
    permission = "resources.lend_resource"
    service_argument = "loan"

    def get_success_url(self, result):
        return self.object.resource.get_absolute_url()


class LoanCheckOut(_LoanStep):
    form_class = EmptyForm
    service = services.loan_check_out
    title = "Check out"
    success_message = "Checked out to {result.school.name}."


class LoanReturn(_LoanStep):
    form_class = forms.ReturnForm
    service = services.loan_return
    title = "Record a return"
    submit_label = "Record return"
    success_message = "Return recorded."


class LoanCancel(_LoanStep):
    permission = "resources.cancel_loan"
    form_class = forms.CancelForm
    service = services.loan_cancel
    title = "Cancel a booking"
    submit_label = "Cancel booking"
    success_message = "Booking cancelled; the dates are free."
