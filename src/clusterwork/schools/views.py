"""School directory pages: search, a school, its history, a trust."""

from django.core.paginator import Paginator
from django.shortcuts import render

from clusterwork.core.views import ObjectHistoryView, ScopedListView
from clusterwork.people.selectors import school_people

from . import selectors
from .access import access_school_by_urn, access_trust
from .forms import SchoolFilterForm

PAGE_SIZE = 50


class SchoolList(ScopedListView):
    template_name = "schools/school_list.html"
    filter_form_class = SchoolFilterForm
    registry_name = "school_list"  # clusters adds its "Cluster" filter
    paginate_by = PAGE_SIZE
    sortable = {
        "name": ("name", "urn"),
        "urn": ("urn",),
        "la": ("local_authority__name", "name"),
        "town": ("town", "name"),
    }
    export_filename = "schools"
    export_columns = (
        ("URN", "urn"),
        ("School", "name"),
        ("Phase", "phase"),
        ("Type", "establishment_type"),
        ("Local authority", "local_authority.name"),
        ("Trust", "trust.name"),
        ("Town", "town"),
        ("Postcode", "postcode"),
        ("Status", "status"),
        ("Pupils", "number_of_pupils"),
    )

    def get_filter_form_kwargs(self):
        return {"la_queryset": selectors.local_authority_choices()}

    def get_queryset(self, filters):
        cluster = filters.get("cluster")
        return selectors.school_list(
            self.request.user,
            search=filters.get("q") or "",
            phase=filters.get("phase") or "",
            local_authority=filters["la"].pk if filters.get("la") else None,
            trust=filters.get("trust"),
            cluster=cluster.pk if cluster else None,
            status=filters.get("status") or "",
        )

    def get_context_data(self, **context):
        trust = self.request.GET.get("trust", "")
        trusts = selectors.trusts_visible_to(self.request.user)
        trust = trusts.filter(pk=trust).first() if trust.isdigit() else None
        return super().get_context_data(trust=trust, **context)


def school_detail(request, urn):
    school = access_school_by_urn(request.user, urn)
    school = type(school).objects.select_related("local_authority", "trust").get(pk=school.pk)
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "memberships": selectors.school_memberships(request.user, school),
            "people": school_people(request.user, school),
            "points": selectors.map_points([school]),
        },
    )


class SchoolHistory(ObjectHistoryView):
    access = access_school_by_urn
    pk_kwarg = "urn"


def trust_detail(request, pk):
    trust = access_trust(request.user, pk)
    schools = trust.schools.select_related("local_authority").order_by("name")
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/trust_detail.html",
        {
            "trust": trust,
            "page_obj": page,
            "programmes": selectors.trust_programmes(request.user, trust),
        },
    )
