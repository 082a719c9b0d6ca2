"""Sign in, sign out, the home page, and the history-page helper every app shares."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator

from .audit import HistoryEntry, history_entries

# The htmx helpers live in core.htmx; re-exported for apps that import them from here.
from .htmx import add_service_error, is_htmx, render_page  # noqa: F401


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Django's LogoutView accepts POST only, so a link cannot sign anyone out."""


def home(request):
    from clusterwork.clusters.models import Cluster
    from clusterwork.clusters.selectors import programmes_visible_to
    from clusterwork.people.models import Person, RoleAssignment
    from clusterwork.people.scopes import scope_for
    from clusterwork.schools.models import School, Trust

    user = request.user
    scope = scope_for(user)
    person = Person.objects.filter(user=user).select_related("school").first()
    roles = []
    if person is not None:
        roles = list(
            RoleAssignment.objects.current()
            .filter(person=person)
            .select_related("programme", "trust", "cluster", "school")
            .order_by("role")
        )
    today = timezone.localdate()
    current = Q(memberships__start__lte=today) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=today)
    )
    context = {"scope": scope, "person": person, "roles": roles}
    if scope.is_superuser:
        context["counts"] = {
            "schools": School.objects.count(),
            "open_schools": School.objects.filter(status__startswith="Open").count(),
            "trusts": Trust.objects.filter(archived_at__isnull=True).count(),
            "programmes": programmes_visible_to(user).filter(archived_at__isnull=True).count(),
            "clusters": Cluster.objects.filter(archived_at__isnull=True).count(),
            "people": Person.objects.filter(archived_at__isnull=True).count(),
        }
    else:
        # The user's own clusters: those they hold a role for, or their schools belong to.
        from clusterwork.clusters.selectors import clusters_visible_to

        context["programmes"] = list(
            programmes_visible_to(user)
            .filter(archived_at__isnull=True)
            .annotate(cluster_count=Count("clusters", filter=Q(clusters__archived_at__isnull=True)))
            .order_by("name")[:50]
        )
        context["clusters"] = list(
            clusters_visible_to(user)
            .annotate(member_count=Count("memberships", filter=current))
            .order_by("programme__name", "name")[:50]
        )
    return render(request, "core/home.html", context)


def related_entries(records, describe) -> list[HistoryEntry]:
    """History entries for rows related to a page's object (e.g. a cluster's memberships).

    ``records`` are historical rows of several objects, newest first; each row is compared
    with the previous row of the *same* object, and ``describe(record)`` names the object.
    """
    records = list(records)
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for record in records:
        versions = by_object[record.id]
        index = versions.index(record)
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = [(c.field, c.old, c.new) for c in record.diff_against(previous).changes]
        user = record.history_user
        action = {"+": "created", "~": "changed", "-": "deleted"}.get(record.history_type, "")
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.email) if user else "system",
                action=f"{action} {describe(record)}",
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def history_page(request, *, obj, title: str, back_url: str, extra=(), limit: int = 200):
    """Render the shared history page for ``obj`` plus any related entries, newest first."""
    entries = history_entries(obj, limit=limit) + list(extra)
    entries.sort(key=lambda e: e.when, reverse=True)
    return render(
        request,
        "core/history.html",
        {"object": obj, "title": title, "back_url": back_url, "entries": entries[:limit]},
    )
