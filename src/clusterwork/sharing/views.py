"""Pages: the library (a cluster's, and the search across all a user may see), discussion,
notifications, peer coaching, partners, and what was shared."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import cluster_people, clusters_visible_to
from clusterwork.core import uploads
from clusterwork.core.views import ScopedListView, ServiceFormView
from clusterwork.goals.models import Achievement, Goal, Project
from clusterwork.people.scopes import scope_for

from . import audience, forms, selectors, services
from .access import (
    access_coaching,
    access_item,
    access_partner,
    access_post,
    access_programme_threads,
    access_thread,
)
from .models import ThreadFollow


def _source(item, seen_clusters: set[int], user) -> str:
    """Where an item came from, as far as the reader may know."""
    if item.cluster_id in seen_clusters:
        parts = [item.cluster.name]
        if item.school_id:
            parts.append(item.school.name)
        if item.author_id:
            parts.append(item.author.full_name)
        return " · ".join(parts)
    if scope_for(user).can_view_programme(item.programme):
        return f"Shared by another cluster of {item.programme.name}"
    return "Shared with everyone on Clusterwork"


# ----- the library -----------------------------------------------------------------------


class LibraryList(ScopedListView):
    """Every item the user may see: their clusters', what other clusters of their programmes
    shared, and what is shared with everyone. Search, filters, CSV/XLSX."""

    template_name = "sharing/library.html"
    filter_form_class = forms.LibraryFilterForm
    paginate_by = 25
    sortable = {
        "title": ("title",),
        "added": ("created_at",),
        "uses": ("use_count", "title"),
    }
    default_sort = "-added"
    export_columns = (
        ("Title", "title"),
        ("Kind", "get_kind_display"),
        ("Subject", "get_subject_display"),
        ("Key stage", "get_key_stage_display"),
        ("Shared with", "get_audience_display"),
        ("Schools that used it", "use_count"),
        ("Versions", "version_count"),
        ("Added", "created_at"),
    )
    export_filename = "library"
    cluster = None

    def get_filter_form_kwargs(self):
        return {"tags": list(selectors.tags_for(self.request.user).values_list("name", flat=True))}

    def get_queryset(self, filters):
        return selectors.item_list(self.request.user, cluster=self.cluster, **filters)

    def get_context_data(self, **context):
        seen = selectors.visible_cluster_ids(self.request.user)
        for item in context["page_obj"]:
            item.source = _source(item, seen, self.request.user)
        can_add = self.cluster is not None and self.request.user.has_perm(
            "sharing.add_item", self.cluster
        )
        addable = [
            c
            for c in clusters_visible_to(self.request.user)
            if self.request.user.has_perm("sharing.add_item", c)
        ][:10]
        return {**context, "cluster": self.cluster, "can_add": can_add, "addable": addable}


class ClusterLibrary(LibraryList):
    template_name = "sharing/cluster_library.html"

    def get(self, request, *args, **kwargs):
        self.cluster = access_cluster(request.user, kwargs["pk"])
        return super().get(request, *args, **kwargs)


def _item_links(cluster):
    return {
        "goals": Goal.objects.filter(cluster=cluster, archived_at__isnull=True),
        "projects": Project.objects.filter(cluster=cluster, archived_at__isnull=True),
    }


class ItemCreate(ServiceFormView):
    access = access_cluster
    permission = "sharing.add_item"
    form_class = forms.ItemForm
    service = services.item_create
    template_name = "sharing/item_form.html"
    title = "Share in {object}'s library"
    lede = "A lesson, an idea, a template or a project's write-up. You choose who can see it."
    submit_label = "Share it"
    success_message = "“{result}” is in the library."

    def get_form_kwargs(self):
        return _item_links(self.object)

    def get_initial(self):
        return {"kind": "file", "subject": "science", "key_stage": "ks2", "audience": "cluster"}


class ItemDetail(ServiceFormView):
    """An item: its current version, older versions, which schools used it; "used in my
    school" for those who work at a school."""

    access = access_item
    open_to_viewers = True
    permission = "sharing.mark_item_used"
    form_class = forms.UseForm
    service = services.item_mark_used
    service_argument = "item"
    template_name = "sharing/item_detail.html"
    success_message = "Marked as used in {result.school}. Thank you — the author will see it."

    def get_form_kwargs(self):
        schools = audience.my_schools(self.request.user)
        if self.request.user.is_superuser and not schools.exists():
            from clusterwork.clusters.selectors import member_schools

            schools = member_schools(self.object.cluster)
        return {"schools": schools}

    def page_context(self, **bound):
        item, user = self.object, self.request.user
        versions, uses = selectors.item_page(item)
        seen = selectors.visible_cluster_ids(user)
        in_cluster = item.cluster_id in seen
        return {
            "item": item,
            "cluster": item.cluster if in_cluster else None,
            "in_cluster": in_cluster,
            "source": _source(item, seen, user),
            "versions": versions,
            "current": versions[0] if versions else None,
            "uses": uses if in_cluster else [u for u in uses if u.school_id in _mine(user)],
            "use_count": len(uses),
            "can_change": user.has_perm("sharing.change_item", item),
            "can_mark": user.has_perm(self.permission, item) and not item.is_archived,
            "tags": list(item.tags.all()),
        }


def _mine(user) -> set[int]:
    return set(audience.my_schools(user).values_list("pk", flat=True))


class ItemEdit(ServiceFormView):
    access = access_item
    permission = "sharing.change_item"
    form_class = forms.ItemEditForm
    service = services.item_update
    service_argument = "item"
    title = "Change “{object}”"
    submit_label = "Save"
    success_message = "Saved."

    def get_form_kwargs(self):
        return _item_links(self.object.cluster)

    def get_initial(self):
        item = self.object
        return {
            "title": item.title,
            "summary": item.summary,
            "subject": item.subject,
            "key_stage": item.key_stage,
            "audience": item.audience,
            "goal": item.goal_id,
            "project": item.project_id,
            "tags": ", ".join(t.name for t in item.tags.all()),
        }


class VersionCreate(ServiceFormView):
    access = access_item
    permission = "sharing.change_item"
    form_class = forms.VersionForm
    service = services.version_add
    service_argument = "item"
    title = "New version of “{object}”"
    lede = "People see the newest version first; older ones stay on the item's page."
    submit_label = "Add version"
    success_message = "Version {result.number} added."

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class ItemArchive(ServiceFormView):
    access = access_item
    permission = "sharing.change_item"
    form_class = forms.WithdrawForm
    service = services.item_archive
    service_argument = "item"
    title = "Archive “{object}”"
    lede = "It leaves the lists; its page, versions and uses are kept."
    submit_label = "Archive"
    success_message = "Archived."


def version_download(request, pk, version_pk):
    """A version's file, after the item's access check (404 for anyone who may not see it)."""
    item = access_item(request.user, pk)
    version = item.versions.filter(pk=version_pk).first()
    if version is None or not version.file:
        raise Http404("No such file.")
    return uploads.serve(version.file, download_name=version.original_name)


# ----- discussion ------------------------------------------------------------------------


def _attachable(user, cluster=None):
    items = selectors.items_visible_to(user)
    return items.filter(cluster=cluster) if cluster is not None else items


class ClusterThreads(ServiceFormView):
    """A cluster's threads (pinned announcements first) and a form to start one."""

    access = access_cluster
    open_to_viewers = True
    permission = "sharing.start_thread"
    form_class = forms.ThreadForm
    service = services.thread_start
    template_name = "sharing/cluster_threads.html"
    success_message = "Thread started. Those who follow it will be told of replies."

    def get_form_kwargs(self):
        user = self.request.user
        return {
            "items": _attachable(user, self.object),
            "can_pin": user.has_perm("sharing.moderate_thread", self.object),
        }

    def page_context(self, **bound):
        user = self.request.user
        archived = self.request.GET.get("closed") == "1"
        return {
            "threads": selectors.thread_list(
                user, cluster=self.object, archived=archived, q=self.request.GET.get("q", "")
            ),
            "closed": archived,
            "can_start": user.has_perm(self.permission, self.object),
        }


class ProgrammeThreads(ClusterThreads):
    """The programme's coordinators' threads: networking between meetings."""

    access = access_programme_threads
    template_name = "sharing/programme_threads.html"

    def get_form_kwargs(self):
        user = self.request.user
        return {
            "items": _attachable(user).filter(programme=self.object),
            "can_pin": user.has_perm("sharing.moderate_thread", self.object),
        }

    def page_context(self, **bound):
        user = self.request.user
        archived = self.request.GET.get("closed") == "1"
        return {
            "threads": selectors.thread_list(user, programme=self.object, archived=archived),
            "closed": archived,
            "can_start": user.has_perm(self.permission, self.object),
        }


class ThreadDetail(ServiceFormView):
    """A thread: its posts (withdrawn ones say so), a reply form (htmx swaps the posts in),
    mute, and the coordinator's moderation."""

    access = access_thread
    open_to_viewers = True
    permission = "sharing.reply_thread"
    form_class = forms.ReplyForm
    service = services.post_reply
    template_name = "sharing/thread_detail.html"
    partial = "conversation"
    success_message = "Reply posted."

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.notifications_mark_read(actor=request.user, thread=self.object)
        return response

    def get_form_kwargs(self):
        thread, user = self.object, self.request.user
        return {"items": _attachable(user, thread.cluster).filter(programme=thread.programme)}

    def get_success_url(self, result):
        return f"{self.object.get_absolute_url()}#post-{result.pk}"

    def page_context(self, **bound):
        thread, user = self.object, self.request.user
        follow = ThreadFollow.objects.filter(thread=thread, user=user).first()
        seen_items = set(
            selectors.items_visible_to(user)
            .filter(posts__thread=thread)
            .values_list("pk", flat=True)
        )
        return {
            "thread": thread,
            "cluster": thread.cluster,
            "programme": thread.programme,
            "posts": selectors.thread_posts(thread),
            "seen_items": seen_items,
            "can_reply": user.has_perm(self.permission, thread) and not thread.is_archived,
            "can_moderate": user.has_perm("sharing.moderate_thread", thread),
            "me": audience.person_of(user),
            "muted": bool(follow and follow.muted),
            "following": follow is not None,
        }


class ThreadPin(ServiceFormView):
    access = access_thread
    permission = "sharing.moderate_thread"
    form_class = forms.PinForm
    service = services.thread_pin
    title = "Pin “{object}”"
    submit_label = "Save"
    success_message = "Saved."


class ThreadArchive(ServiceFormView):
    access = access_thread
    permission = "sharing.moderate_thread"
    form_class = forms.WithdrawForm
    service = services.thread_archive
    title = "Close “{object}”"
    lede = "No more replies; the thread and its posts stay readable."
    submit_label = "Close thread"
    success_message = "Thread closed."


class ThreadMute(ServiceFormView):
    """Anyone who reads a thread may mute it (no more notifications of its replies)."""

    access = access_thread
    form_class = forms.MuteForm
    service = services.thread_mute
    title = "Mute “{object}”"
    submit_label = "Save"

    def get_success_message(self, result):
        return "Thread muted." if result.muted else "You will be told of replies again."

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class PostWithdraw(ServiceFormView):
    access = access_post
    permission = "sharing.withdraw_post"
    form_class = forms.WithdrawForm
    service = services.post_withdraw
    title = "Withdraw this post"
    lede = "The thread will show that it was withdrawn; its text is kept in the history."
    submit_label = "Withdraw"
    success_message = "Post withdrawn."

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        thread = self.object.thread
        context["breadcrumbs"] = [(thread.title, thread.get_absolute_url())]
        context["cancel_url"] = thread.get_absolute_url()
        return context

    def get_success_url(self, result):
        return self.object.thread.get_absolute_url()


class Notifications(ServiceFormView):
    """The user's notifications and what they want by email."""

    form_class = forms.NotificationSettingsForm
    service = services.notification_settings_set
    template_name = "sharing/notifications.html"
    open_to_viewers = True
    success_message = "Saved: you will get what you chose."

    def get_object(self, *, perm, lock):
        return self.request.user

    def perform(self, form):
        return self.service(actor=self.request.user, **form.cleaned_data)

    def get_initial(self):
        prefs = getattr(self.request.user, "sharing_settings", None)
        if prefs is None:
            return {"email_replies": True, "email_mentions": True, "email_new_threads": False}
        return {
            "email_replies": prefs.email_replies,
            "email_mentions": prefs.email_mentions,
            "email_new_threads": prefs.email_new_threads,
        }

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context["breadcrumbs"], context["cancel_url"] = [], ""
        return context

    def page_context(self, **bound):
        found = list(selectors.notifications_for(self.request.user)[:50])
        visible = set(
            selectors.threads_visible_to(self.request.user)
            .filter(pk__in={n.post.thread_id for n in found})
            .values_list("pk", flat=True)
        )
        return {"notifications": [n for n in found if n.post.thread_id in visible]}


# ----- peer coaching ---------------------------------------------------------------------


def cluster_coaching(request, pk):
    cluster = access_cluster(request.user, pk)
    coachings = selectors.coachings_visible_to(request.user).filter(cluster=cluster)
    today = timezone.localdate()
    return render(
        request,
        "sharing/cluster_coaching.html",
        {
            "cluster": cluster,
            "current": [c for c in coachings if c.is_current(today) or c.start > today],
            "ended": [c for c in coachings if c.end and c.end <= today],
            "can_arrange": request.user.has_perm("sharing.arrange_coaching", cluster),
        },
    )


class CoachingCreate(ServiceFormView):
    access = access_cluster
    permission = "sharing.arrange_coaching"
    form_class = forms.CoachingForm
    service = services.coaching_arrange
    title = "Arrange peer coaching in {object}"
    lede = (
        "A coach and one or two coachees from different member schools. The coachees' heads "
        "see that it happens; only the three of you read the session notes."
    )
    submit_label = "Arrange"
    success_message = "Coaching arranged."

    def get_form_kwargs(self):
        people = cluster_people(self.object).filter(school__isnull=False) | cluster_people(
            self.object
        ).filter(roles__school__isnull=False)
        return {"people": people.distinct().order_by("full_name")}

    def get_initial(self):
        return {"start": timezone.localdate()}

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        back = reverse("sharing:cluster_coaching", args=[self.object.pk])
        context["breadcrumbs"] = [(self.object.name, back)]
        context["cancel_url"] = back
        return context


class CoachingDetail(ServiceFormView):
    access = access_coaching
    open_to_viewers = True
    permission = "sharing.log_coaching_session"
    form_class = forms.SessionForm
    service = services.coaching_session_log
    template_name = "sharing/coaching_detail.html"
    success_message = "Session logged."

    def get_initial(self):
        return {"on": timezone.localdate()}

    def page_context(self, **bound):
        coaching, user = self.object, self.request.user
        sessions, notes = selectors.coaching_sessions(coaching, user)
        return {
            "coaching": coaching,
            "cluster": coaching.cluster,
            "sessions": sessions,
            "can_read_notes": notes,
            "can_arrange": user.has_perm("sharing.arrange_coaching", coaching),
            "members": list(coaching.members.all()),
        }


class CoachingEnd(ServiceFormView):
    access = access_coaching
    permission = "sharing.arrange_coaching"
    form_class = forms.EndForm
    service = services.coaching_end
    title = "End the coaching “{object}”"
    submit_label = "End"
    success_message = "Coaching ended; it stays on the record."

    def get_initial(self):
        return {"end": timezone.localdate()}


# ----- partners --------------------------------------------------------------------------


class ClusterPartners(ServiceFormView):
    access = access_cluster
    open_to_viewers = True
    permission = "sharing.manage_partners"
    form_class = forms.PartnerForm
    service = services.partner_add
    template_name = "sharing/partners.html"
    success_message = "{result} added to the register."

    def page_context(self, **bound):
        user = self.request.user
        partners = selectors.partners_visible_to(user).filter(
            cluster=self.object, archived_at__isnull=True
        )
        programme = selectors.partners_visible_to(user).filter(
            programme=self.object.programme,
            cluster__isnull=True,
            archived_at__isnull=True,
            activities__cluster=self.object,
        )
        return {
            "partners": partners,
            "programme_partners": programme.distinct(),
            "can_manage": user.has_perm(self.permission, self.object),
            "page": "cluster",
        }


class ProgrammePartners(ServiceFormView):
    access = access_programme
    open_to_viewers = True
    permission = "sharing.manage_partners"
    form_class = forms.PartnerForm
    service = services.partner_add
    template_name = "sharing/programme_partners.html"
    success_message = "{result} added to the programme's register."

    def page_context(self, **bound):
        user = self.request.user
        partners = selectors.partners_visible_to(user).filter(programme=self.object)
        return {
            "partners": partners.filter(cluster__isnull=True, archived_at__isnull=True),
            "cluster_partners": partners.filter(cluster__isnull=False, archived_at__isnull=True),
            "can_manage": user.has_perm(self.permission, self.object),
        }


class PartnerDetail(ServiceFormView):
    access = access_partner
    open_to_viewers = True
    permission = "sharing.manage_partners"
    form_class = forms.ActivityForm
    service = services.partner_activity_record
    template_name = "sharing/partner_detail.html"
    success_message = "Activity recorded."

    def get_form_kwargs(self):
        partner = self.object
        if partner.cluster_id:
            clusters, where = None, [partner.cluster_id]
        else:
            clusters = clusters_visible_to(self.request.user).filter(programme=partner.programme)
            where = list(clusters.values_list("pk", flat=True))
        return {
            "clusters": clusters,
            "projects": Project.objects.filter(cluster_id__in=where, archived_at__isnull=True),
            "achievements": Achievement.objects.filter(
                cluster_id__in=where, archived_at__isnull=True
            ),
        }

    def get_initial(self):
        return {"on": timezone.localdate()}

    def page_context(self, **bound):
        partner, user = self.object, self.request.user
        seen = selectors.visible_cluster_ids(user)
        activities = [
            a
            for a in selectors.partner_activities(partner)
            if a.cluster_id is None or a.cluster_id in seen
        ]
        return {
            "partner": partner,
            "cluster": partner.cluster,
            "programme": partner.programme,
            "activities": activities,
            "can_manage": user.has_perm(self.permission, partner),
        }


class PartnerArchive(ServiceFormView):
    access = access_partner
    permission = "sharing.manage_partners"
    service = services.partner_archive
    title = "Archive {object}"
    lede = "It leaves the register; what was done with it stays on the record."
    submit_label = "Archive"
    success_message = "Archived."


# ----- what was shared, counted ----------------------------------------------------------


def cluster_shared(request, pk):
    cluster = access_cluster(request.user, pk)
    return render(
        request,
        "sharing/cluster_shared.html",
        {"cluster": cluster, "summary": selectors.cluster_sharing_summary(cluster)},
    )
