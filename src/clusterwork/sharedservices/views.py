"""Pages: a cluster's (and a trust's) shared services, a service with its split, and the
statements per academy and year. Teacher deployment pages are in ``views_deployments``."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core import exports
from clusterwork.core.documents import document_response
from clusterwork.core.views import ObjectDetailView, ObjectHistoryView, ServiceFormView
from clusterwork.core.views.history import related_entries

from . import forms, selectors, services
from .access import access_service
from .costs import member_spans, split_service
from .models import Method, ServiceTerms
from .years import year_label, year_of, year_span

MANAGE = "sharedservices.manage_service"


def asked_year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return year_of(timezone.localdate())
    return year if 2000 <= year <= 2100 else year_of(timezone.localdate())


def year_choices(around: int):
    return [(y, year_label(y)) for y in range(around - 3, around + 3)]


def service_rows(services_list, year):
    rows = []
    for service in services_list:
        terms = [t for t in service.terms.all() if t.end is None] or list(service.terms.all())
        rows.append(
            {
                "service": service,
                "terms": terms[-1] if terms else None,
                "split": split_service(service, year),
            }
        )
    return rows


class ClusterServices(ObjectDetailView):
    access = access_cluster
    template_name = "sharedservices/cluster_services.html"

    def page_context(self):
        cluster, year = self.object, asked_year(self.request)
        lo, hi = year_span(year)
        rows = service_rows(selectors.cluster_services(cluster), year)
        members = cluster.memberships.overlapping(lo, hi).select_related("school")
        return {
            "year": year,
            "year_label": year_label(year),
            "years": year_choices(year),
            "trust_rows": [r for r in rows if not r["service"].cluster_id],
            "cluster_rows": [r for r in rows if r["service"].cluster_id],
            "schools": sorted({m.school for m in members}, key=lambda s: s.name),
            "can_manage": self.request.user.has_perm(MANAGE, cluster),
        }


class ProgrammeServices(ObjectDetailView):
    access = access_programme
    template_name = "sharedservices/programme_services.html"

    def page_context(self):
        programme, year = self.object, asked_year(self.request)
        rows = service_rows(selectors.programme_services(programme, self.request.user), year)
        return {
            "year": year,
            "year_label": year_label(year),
            "years": year_choices(year),
            "trust_rows": [r for r in rows if not r["service"].cluster_id],
            "cluster_rows": [r for r in rows if r["service"].cluster_id],
            "can_manage": self.request.user.has_perm(MANAGE, programme),
        }


class ServiceNew(ServiceFormView):
    access = access_cluster
    permission = MANAGE
    form_class = forms.ServiceForm
    title = "New shared service for {object}"
    lede = (
        "An operating function or an additional service agreed at cluster level: its annual "
        "cost is shared by the cluster's academies. It is charged once it is agreed."
    )
    submit_label = "Propose"
    success_message = "Service “{result}” proposed."

    def get_initial(self):
        today = timezone.localdate()
        return {"start": year_span(year_of(today))[0], "census_date": None}

    def get_form_kwargs(self):
        from clusterwork.clusters.selectors import member_schools

        return {"schools": member_schools(self.object)}

    def perform(self, form):
        return services.service_create(
            actor=self.request.user,
            programme=self.object.programme,
            cluster=self.object,
            **form.cleaned_data,
        )


class ProgrammeServiceNew(ServiceNew):
    access = access_programme
    title = "New trust core service for {object}"
    lede = (
        "A core service delivered at trust level: its annual cost is shared by every academy "
        "in the trust's clusters."
    )

    def get_form_kwargs(self):
        from clusterwork.schools.models import School

        return {
            "schools": School.objects.filter(cluster_memberships__programme=self.object).distinct()
        }

    def perform(self, form):
        return services.service_create(
            actor=self.request.user, programme=self.object, **form.cleaned_data
        )


class ServiceDetail(ObjectDetailView):
    access = access_service
    template_name = "sharedservices/service_detail.html"

    def page_context(self):
        service, year = self.object, asked_year(self.request)
        split = split_service(service, year)
        terms = list(service.terms.prefetch_related("shares__school").order_by("start"))
        lo, hi = year_span(year)
        return {
            "service": service,
            "base_template": "clusters/cluster_page.html"
            if service.cluster_id
            else "clusters/programme_page.html",
            "cluster": service.cluster,
            "programme": service.programme,
            "year": year,
            "year_label": year_label(year),
            "years": year_choices(year),
            "split": split,
            "period_rows": split.period_rows(),
            "terms_list": terms,
            "current": services.current_terms(service),
            "hours": service.hours.filter(year=year).select_related("school"),
            "can_manage": self.request.user.has_perm(MANAGE, service),
            "members_in_year": len(member_spans(service, lo, hi)),
            "Method": Method,
        }


class ServiceAgree(ServiceFormView):
    access = access_service
    permission = MANAGE
    service_argument = "service"
    title = "Agree {object}"
    lede = (
        "From today its cost is charged to the academies, split as its terms say. Above the "
        "scheme of delegation's threshold the board's decision must be recorded first."
    )
    submit_label = "Agree"
    success_message = "“{result}” agreed."

    def perform(self, form):
        return services.service_agree(actor=self.request.user, service=self.object)


class ServiceTermsChange(ServiceFormView):
    access = access_service
    permission = MANAGE
    form_class = forms.TermsForm
    service = services.service_change_terms
    service_argument = "service"
    title = "Change the cost or method of {object}"
    lede = "The terms in force end the day before; both stay on the service's record."
    submit_label = "Change"
    success_message = "New terms recorded."

    def get_initial(self):
        current = services.current_terms(self.object)
        if current is None:
            return {}
        return {
            "annual_cost_pence": current.annual_cost_pence / 100,
            "method": current.method,
            "census_date": current.census_date,
        }

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class ServicePercentages(ServiceFormView):
    access = access_service
    permission = MANAGE
    form_class = forms.PercentagesForm
    service = services.service_set_percentages
    service_argument = "service"
    title = "Agreed percentages of {object}"
    lede = "Every academy in the service today, together exactly 100%."
    success_message = "Percentages saved."

    def get_form_kwargs(self):
        current = services.current_terms(self.object)
        shares = {s.school_id: s.percent for s in current.shares.all()} if current else {}
        day = timezone.localdate()
        if current is not None:
            day = max(day, current.start)
        schools = sorted(services._members_on(self.object, day).values(), key=lambda s: s.name)
        return {"schools": schools, "current": shares}

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class ServiceHours(ServiceFormView):
    access = access_service
    permission = MANAGE
    form_class = forms.HoursForm
    service = services.hours_record
    service_argument = "service"
    title = "Hours used of {object}"
    lede = "For a split by hours used: the hours each academy used in the academic year."
    success_message = "Hours recorded."

    def get_initial(self):
        return {"year": asked_year(self.request)}

    def get_form_kwargs(self):
        from clusterwork.schools.models import School

        year = year_of(timezone.localdate())
        lo, _ = year_span(year - 3)
        _, hi = year_span(year + 1)
        return {
            "schools": School.objects.filter(pk__in=list(member_spans(self.object, lo, hi))),
            "years": year_choices(year),
        }

    def get_success_url(self, result):
        return f"{self.object.get_absolute_url()}?year={result.year}"


class ServiceEnd(ServiceFormView):
    access = access_service
    permission = MANAGE
    form_class = forms.EndForm
    service = services.service_end
    service_argument = "service"
    title = "End {object}"
    submit_label = "End the service"
    success_message = "“{result}” ended."


class ServiceHistory(ObjectHistoryView):
    access = access_service

    def related(self):
        records = ServiceTerms.history.filter(service_id=self.object.pk).order_by("-history_date")
        return related_entries(records, lambda r: f"Terms from {r.start}")


# ----- statements ----------------------------------------------------------------------------


def _statement_school(request, urn):
    school = selectors.statement_schools_visible_to(request.user).filter(urn=urn).first()
    if school is None:
        raise Http404("No such school.")
    return school


STATEMENT_COLUMNS = (
    ("Academy", lambda r: r["school"].name),
    ("URN", lambda r: r["school"].urn),
    ("Year", lambda r: r["year"]),
    ("Level", lambda r: r["level"]),
    ("Service", lambda r: r["service"]),
    ("Kind", lambda r: r["kind"]),
    ("From", lambda r: r["start"]),
    ("To (last day)", lambda r: r["last_day"]),
    ("Days", lambda r: r["days"]),
    ("Annual cost (£)", lambda r: r["annual"]),
    ("Period cost (£)", lambda r: r["period_cost"]),
    ("Method", lambda r: r["method"]),
    ("Basis", lambda r: r["basis"]),
    ("Academies sharing", lambda r: r["sharing"]),
    ("Share (£)", lambda r: r["share"]),
)


def statement_rows(statement):
    for line in statement.lines:
        for row in line.periods:
            period = row["period"]
            yield {
                "school": statement.school,
                "year": year_label(statement.year),
                "level": "Trust" if not line.service.cluster_id else "Cluster",
                "service": line.service.name,
                "kind": line.service.get_kind_display(),
                "start": period.start,
                "last_day": row["last_day"],
                "days": period.days,
                "annual": selectors.pounds(period.annual_cost_pence),
                "period_cost": selectors.pounds(period.cost_pence),
                "method": period.note,
                "basis": row["line"]["basis"],
                "sharing": len(period.weights),
                "share": selectors.pounds(row["line"]["pence"]),
            }
    yield {
        "school": statement.school,
        "year": year_label(statement.year),
        "level": "Total",
        "service": "",
        "kind": "",
        "start": None,
        "last_day": None,
        "days": None,
        "annual": None,
        "period_cost": None,
        "method": "",
        "basis": "",
        "sharing": None,
        "share": selectors.pounds(statement.total),
    }


def statement(request, urn: int, year: int, fmt: str):
    school = _statement_school(request, urn)
    found = selectors.statement_for(request.user, school, year)
    filename = f"shared-services-{school.urn}-{year_label(year).replace('/', '-')}"
    if fmt == "csv":
        return exports.csv_response(statement_rows(found), STATEMENT_COLUMNS, filename)
    context = {
        "school": school,
        "statement": found,
        "year_label": year_label(year),
        "today": timezone.localdate(),
        "csv_url": reverse("sharedservices:statement", args=[urn, year, "csv"]),
        "pdf_url": reverse("sharedservices:statement", args=[urn, year, "pdf"]),
    }
    return document_response(
        request, "sharedservices/statement.html", context, filename=filename, fmt=fmt
    )
