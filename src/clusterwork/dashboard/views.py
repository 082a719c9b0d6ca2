"""The home page: what the signed-in user runs, or the whole site for an administrator."""

from django.shortcuts import render

from clusterwork.people.scopes import scope_for

from . import selectors


def home(request):
    user = request.user
    scope = scope_for(user)
    person = getattr(user, "person", None)
    context = {"scope": scope, "person": person, "roles": selectors.own_roles(person)}
    if scope.is_superuser:
        context["counts"] = selectors.site_counts(user)
    else:
        context["programmes"] = selectors.own_programmes(user)
        context["clusters"] = selectors.own_clusters(user)
    return render(request, "dashboard/home.html", context)
