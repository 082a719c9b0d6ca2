"""Engagement lists, the prepared email to a headteacher, and calendar feeds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to
from clusterwork.core.views import ServiceFormView, by_action, render_page
from clusterwork.schools.models import School

from . import engagement, ics, selectors, services
from .access import access_cluster_engagement, access_programme_engagement
from .email import headteachers_of, prepared_engagement_email
from .forms import EngagementEmailForm, PolicyForm
from .models import CalendarFeedToken
from .models import EngagementEmail as EngagementEmailRow
from .models import EngagementPolicy as EngagementPolicyRow

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
                EngagementEmailRow.objects.filter(cluster=cluster).select_related(
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
            "can_set_policy": request.user.has_perm("meetings.set_engagement_rule", programme),
        },
        partial="table",
    )


class EngagementPolicy(ServiceFormView):
    access = access_programme
    permission = "meetings.set_engagement_rule"
    form_class = PolicyForm
    title = "Engagement rule for {object}"
    lede = (
        "A school is flagged when it can no longer reach the minimum within the cluster's "
        "most recent meetings."
    )
    submit_label = "Save rule"
    success_message = "Engagement rule saved."

    def get_initial(self):
        current = engagement.policy_for(self.object)
        return {"window": current.window, "min_attended": current.min_attended}

    def perform(self, form):
        policy = EngagementPolicyRow.objects.filter(programme=self.object).first()
        return services.engagement_policy_set(
            actor=self.request.user,
            programme=self.object,
            email_template=policy.email_template if policy else "",
            **form.cleaned_data,
        )

    success_url = "meetings:programme_engagement"

    def page_context(self, **bound):
        back = reverse("meetings:programme_engagement", args=[self.object.pk])
        return {"breadcrumbs": [(f"Engagement in {self.object}", back)], "cancel_url": back}


class EngagementEmail(ServiceFormView):
    """The prepared email for one school, which the coordinator edits and sends."""

    permission = "meetings.send_engagement_email"
    form_class = EngagementEmailForm
    template_name = "meetings/engagement_email.html"

    def get_object(self, *, perm, lock):
        cluster = access_cluster_engagement(self.request.user, self.kwargs["pk"], perm=perm)
        self.school = get_object_or_404(School, pk=self.kwargs["school_pk"])
        if not cluster.memberships.current().filter(school=self.school).exists():
            raise Http404("That school is not a current member of this cluster.")
        self.heads = headteachers_of(self.school)
        return cluster

    def get_initial(self):
        cluster, heads = self.object, self.heads
        policy = EngagementPolicyRow.objects.filter(programme=cluster.programme).first()
        draft = prepared_engagement_email(
            cluster=cluster,
            school=self.school,
            row=engagement.engagement_for_school(cluster, self.school),
            sender=self.request.user,
            head=heads[0] if heads else None,
            template=policy.email_template if policy else "",
        )
        return {**draft, "to_person": heads[0].pk if heads else None}

    def get_form_kwargs(self):
        return {"heads": self.heads}

    def perform(self, form):
        return services.engagement_email_send(
            actor=self.request.user, cluster=self.object, school=self.school, **form.cleaned_data
        )

    def get_success_message(self, email):
        return f"Email to {email.to_person.full_name} queued to send."

    success_url = "meetings:cluster_engagement"

    def page_context(self, **bound):
        cluster, school = self.object, self.school
        sent = EngagementEmailRow.objects.filter(cluster=cluster, school=school)
        return {
            "cluster": cluster,
            "school": school,
            "row": engagement.engagement_for_school(cluster, school),
            "heads": self.heads,
            "sent": list(sent.select_related("sent_by")),
        }


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


class _FeedLinks(ServiceFormView):
    """The user's own calendar feed links: made anew (the key is shown once, on the next
    page) or revoked."""

    http_method_names = ["post"]

    def get_object(self, *, perm, lock):
        return self.request.user

    def get_success_url(self, result):
        return reverse("meetings:calendar_feeds")


class FeedLinksMake(_FeedLinks):
    success_message = "New calendar feed link made. Any older link stops working."

    def perform(self, form):
        _, key = services.feed_token_create(user=self.request.user)
        self.request.session["calendar_new_key"] = key  # shown once, then only its hash remains


class FeedLinksRevoke(_FeedLinks):
    success_message = "Calendar feed links revoked; calendars using them stop updating."

    def perform(self, form):
        return services.feed_token_revoke(user=self.request.user)


calendar_token = by_action({"revoke": FeedLinksRevoke.as_view(), None: FeedLinksMake.as_view()})


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
