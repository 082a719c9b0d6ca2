"""School directory pages: search, a school, its history, a trust."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from clusterwork.core.htmx import render_page
from clusterwork.core.views import history_page

from .access import access_school_by_urn, access_trust
from .forms import SchoolFilterForm
from .selectors import local_authority_choices
from .selectors import school_list as select_schools

PAGE_SIZE = 50


def school_list(request):
    from clusterwork.clusters.selectors import clusters_visible_to

    form = SchoolFilterForm(
        request.GET or None,
        la_queryset=local_authority_choices(),
        cluster_queryset=clusters_visible_to(request.user).order_by("name"),
    )
    # An invalid filter (e.g. a cluster the user cannot see) is dropped; the rest apply.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    queryset = select_schools(
        request.user,
        search=filters.get("q") or "",
        phase=filters.get("phase") or "",
        local_authority=filters["la"].pk if filters.get("la") else None,
        trust=filters.get("trust"),
        cluster=filters["cluster"].pk if filters.get("cluster") else None,
        status=filters.get("status") or "",
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    trust = None
    if filters.get("trust"):
        from .selectors import trusts_visible_to

        trust = trusts_visible_to(request.user).filter(pk=filters["trust"]).first()
    return render_page(
        request,
        "schools/school_list.html",
        {"form": form, "page_obj": page, "trust": trust},
        partial="results",
    )


def school_detail(request, urn):
    from clusterwork.clusters.selectors import school_cluster_history
    from clusterwork.people.selectors import school_people

    school = access_school_by_urn(request.user, urn)
    school = type(school).objects.select_related("local_authority", "trust").get(pk=school.pk)
    point = []
    if school.has_location:
        point = [
            {
                "name": school.name,
                "lat": school.latitude,
                "lng": school.longitude,
                "url": reverse("school_detail", args=[school.urn]),
            }
        ]
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "memberships": school_cluster_history(request.user, school),
            "people": school_people(request.user, school),
            "points": point,
        },
    )


def school_history(request, urn):
    school = access_school_by_urn(request.user, urn)
    return history_page(
        request, obj=school, title=school.name, back_url=reverse("school_detail", args=[urn])
    )


def trust_detail(request, pk):
    from clusterwork.clusters.selectors import programmes_visible_to

    trust = access_trust(request.user, pk)
    schools = trust.schools.select_related("local_authority").order_by("name")
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/trust_detail.html",
        {
            "trust": trust,
            "page_obj": page,
            "programmes": programmes_visible_to(request.user).filter(trust=trust).order_by("name"),
        },
    )
