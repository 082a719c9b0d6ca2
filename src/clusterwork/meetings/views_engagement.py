"""Engagement lists, the prepared email to a headteacher, and calendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to
from clusterwork.core.htmx import add_service_error, render_page
from clusterwork.schools.models import School

from . import engagement, ics, selectors, services
from .access import access_cluster_engagement, access_programme_engagement
from .email import headteachers_of, prepared_engagement_email
from .forms import EngagementEmailForm, PolicyForm
from .models import CalendarFeedToken, EngagementEmail, EngagementPolicy

PAGE_SIZE = 100


def _page_of(request, total: int):
    # The engagement query already counted the rows; paginate over a range, not a queryset.
    return Paginator(range(total), PAGE_SIZE).get_page(request.GET.get("page", "1"))


def _engagement_page(request, programme, cluster=None):
    flagged_only = request.GET.get("flagged") == "1"
    search = request.GET.get("q", "")[:100]
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    page = engagement.engagement_rows(
        programme,
        cluster=cluster,
        flagged_only=flagged_only,
        search=search,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    return page, _page_of(request, page.total), flagged_only, search


def cluster_engagement(request, pk):
    cluster = access_cluster_engagement(request.user, pk)
    page, page_obj, flagged_only, search = _engagement_page(request, cluster.programme, cluster)
    return render_page(
        request,
        "meetings/engagement.html",
        {
            "cluster": cluster,
            "programme": cluster.programme,
            "page": page,
            "page_obj": page_obj,
            "flagged_only": flagged_only,
            "search": search,
            "can_email": request.user.has_perm("meetings.send_engagement_email", cluster),
            "emails": list(
                EngagementEmail.objects.filter(cluster=cluster).select_related(
                    "school", "sent_by", "to_person"
                )[:20]
            ),
        },
        partial="table",
    )


def programme_engagement(request, pk):
    programme = access_programme_engagement(request.user, pk)
    page, page_obj, flagged_only, search = _engagement_page(request, programme)
    return render_page(
        request,
        "meetings/engagement.html",
        {
            "cluster": None,
            "programme": programme,
            "page": page,
            "page_obj": page_obj,
            "flagged_only": flagged_only,
            "search": search,
            "can_email": False,
            "can_set_policy": request.user.has_perm("clusters.change_programme", programme),
        },
        partial="table",
    )


def engagement_policy(request, pk):
    programme = access_programme(request.user, pk, for_write=True)
    current = engagement.policy_for(programme)
    policy = EngagementPolicy.objects.filter(programme=programme).first()
    form = PolicyForm(
        request.POST or None,
        initial={
            "window": current.window,
            "min_attended": current.min_attended,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_policy_set(
                actor=request.user,
                programme=programme,
                email_template=policy.email_template if policy else "",
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Engagement rule saved.")
            return redirect("meetings:programme_engagement", programme.pk)
    return render_page(
        request,
        "meetings/policy_form.html",
        {
            "programme": programme,
            "form": form,
        },
    )


def engagement_email(request, pk, school_pk):
    """The prepared email for one school, which the coordinator edits and sends."""
    cluster = access_cluster_engagement(request.user, pk, for_write=True)
    school = get_object_or_404(School, pk=school_pk)
    if not cluster.memberships.current().filter(school=school).exists():
        raise Http404("That school is not a current member of this cluster.")
    heads = headteachers_of(school)
    row = engagement.engagement_for_school(cluster, school)
    policy = EngagementPolicy.objects.filter(programme=cluster.programme).first()
    draft = prepared_engagement_email(
        cluster=cluster,
        school=school,
        row=row,
        sender=request.user,
        head=heads[0] if heads else None,
        template=policy.email_template if policy else "",
    )
    form = EngagementEmailForm(
        request.POST or None,
        heads=heads,
        initial={**draft, "to_person": heads[0].pk if heads else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.engagement_email_send(
                    actor=request.user, cluster=cluster, school=school, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Email to {form.cleaned_data['to_person'].full_name} queued to send."
            )
            return redirect("meetings:cluster_engagement", cluster.pk)
    sent = list(
        EngagementEmail.objects.filter(cluster=cluster, school=school).select_related("sent_by")
    )
    return render_page(
        request,
        "meetings/engagement_email.html",
        {
            "cluster": cluster,
            "school": school,
            "row": row,
            "form": form,
            "heads": heads,
            "sent": sent,
        },
    )


# ----- calendar feeds ----------------------------------------------------------------------


def calendar_feeds(request):
    tokens = CalendarFeedToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render_page(
        request,
        "meetings/calendar.html",
        {
            "token": tokens.first(),
            "clusters": list(clusters_visible_to(request.user).order_by("name")[:200]),
            "programmes": list(programmes_visible_to(request.user).order_by("name")[:50]),
            "new_key": request.session.pop("calendar_new_key", None),
        },
    )


@require_POST
def calendar_token(request):
    if request.POST.get("action") == "revoke":
        services.feed_token_revoke(user=request.user)
        messages.success(
            request, "Calendar feed links revoked; calendars using them stop updating."
        )
    else:
        _, key = services.feed_token_create(user=request.user)
        # Shown once on the next page, then only its hash remains.
        request.session["calendar_new_key"] = key
        messages.success(request, "New calendar feed link made. Any older link stops working.")
    return redirect("meetings:calendar_feeds")


def _token_user(key: str):
    token = (
        CalendarFeedToken.objects.filter(
            key_hash=CalendarFeedToken.hash_key(key), revoked_at__isnull=True
        )
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        raise Http404("No such calendar feed.")
    CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def _ics_response(request, events, name: str) -> HttpResponse:
    host = request.get_host().split(":")[0] or "clusterwork"
    body = ics.calendar(
        events,
        name=name,
        host=host,
        url_for=lambda e: request.build_absolute_uri(reverse("meetings:event_detail", args=[e.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="clusterwork.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_not_required
def feed_user(request, key):
    user = _token_user(key)
    events = selectors.feed_events_for_user(user)
    return _ics_response(request, events, f"Clusterwork: {user.get_full_name() or user.email}")


@login_not_required
def feed_cluster(request, key, pk):
    user = _token_user(key)
    cluster = access_cluster(user, pk)
    events = selectors.events_visible_to(user).filter(cluster=cluster).order_by("starts_at")
    return _ics_response(request, events, f"Clusterwork: {cluster.name}")


@login_not_required
def feed_programme(request, key, pk):
    user = _token_user(key)
    programme = access_programme(user, pk)
    events = (
        selectors.events_visible_to(user)
        .filter(programme=programme, cluster__isnull=True)
        .order_by("starts_at")
    )
    return _ics_response(request, events, f"Clusterwork: {programme.name}")
