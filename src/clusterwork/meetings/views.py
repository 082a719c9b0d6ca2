"""Pages for meetings: lists, scheduling, the meeting page with its register, and RSVPs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.models import ClusterMembership
from clusterwork.core.errors import ServiceError
from clusterwork.core.htmx import add_service_error, is_htmx, render_page
from clusterwork.people.models import Person, RoleAssignment

from . import selectors, services
from .access import access_action, access_event
from .forms import (
    ATTENDANCE_CHOICES,
    ActionForm,
    EventForm,
    InvitePersonForm,
    InviteRoleForm,
    MinutesForm,
    RsvpForm,
)
from .models import Action, Attendance
from .services import AttendanceEntry


def _error_text(error: ValidationError) -> str:
    return error.text if isinstance(error, ServiceError) else "; ".join(error.messages)


def cluster_meetings(request, pk):
    cluster = access_cluster(request.user, pk)
    return render_page(
        request,
        "meetings/cluster_meetings.html",
        {
            "cluster": cluster,
            "upcoming": list(selectors.cluster_events(request.user, cluster, upcoming=True)),
            "past": list(selectors.cluster_events(request.user, cluster, upcoming=False)[:50]),
            "can_schedule": request.user.has_perm("clusters.change_cluster", cluster),
            "can_see_engagement": request.user.has_perm("meetings.view_engagement", cluster),
        },
    )


def programme_events(request, pk):
    programme = access_programme(request.user, pk)
    return render_page(
        request,
        "meetings/programme_events.html",
        {
            "programme": programme,
            "events": list(selectors.programme_events(request.user, programme)),
            "can_schedule": request.user.has_perm("clusters.change_programme", programme),
            "can_see_engagement": request.user.has_perm(
                "meetings.view_programme_engagement", programme
            ),
        },
    )


def _schedule(request, *, cluster=None, programme=None, recording=False):
    if cluster is not None:
        schools = cluster.memberships.current().values("school_id")
        from clusterwork.schools.models import School

        form_kwargs = {"schools": School.objects.filter(pk__in=schools).order_by("name")}
        back = reverse("meetings:cluster_meetings", args=[cluster.pk])
    else:
        form_kwargs = {"programme_wide": True}
        back = reverse("meetings:programme_events", args=[programme.pk])
    form = EventForm(request.POST or None, recording=recording, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("invite_roles", [])
        try:
            with transaction.atomic():
                event = services.event_create(
                    actor=request.user, cluster=cluster, programme=programme, **data
                )
                invited = [
                    services.invite_by_role(actor=request.user, event=event, role=role)
                    for role in roles
                ]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            count = sum(len(result.created) for result in invited)
            people = f"{count} {'person' if count == 1 else 'people'}"
            if recording:
                messages.success(
                    request,
                    f"Recorded “{event.title}” with {people} on its register. "
                    "Take the attendance below.",
                )
                return _back_to_event(request, event, fragment="#register")
            messages.success(request, f"Scheduled “{event.title}”. Invited {people}.")
            return redirect("meetings:event_detail", event.pk)
    return render_page(
        request,
        "meetings/event_form.html",
        {
            "form": form,
            "cluster": cluster,
            "programme": programme or cluster.programme,
            "back": back,
            "recording": recording,
        },
    )


def event_create(request, pk):
    cluster = access_cluster(request.user, pk, for_write=True, include_archived=False)
    return _schedule(request, cluster=cluster)


def programme_event_create(request, pk):
    programme = access_programme(request.user, pk, for_write=True)
    return _schedule(request, programme=programme)


def event_record(request, pk):
    """Enter a meeting that has already happened, then take its register."""
    cluster = access_cluster(request.user, pk, for_write=True, include_archived=False)
    return _schedule(request, cluster=cluster, recording=True)


def programme_event_record(request, pk):
    programme = access_programme(request.user, pk, for_write=True)
    return _schedule(request, programme=programme, recording=True)


def _invitable_people(event):
    """People who may be invited by name: anyone holding a role in, or working at a school of,
    the event's cluster (or every cluster of its programme) on the day that counts: today for
    a meeting to come, the meeting's own day for one that has happened."""
    day = services.audience_day(event)
    if event.cluster_id:
        clusters = [event.cluster_id]
    else:
        clusters = list(event.programme.clusters.active().values_list("id", flat=True))
    schools = ClusterMembership.objects.on(day).filter(cluster_id__in=clusters).values("school_id")
    holders = (
        RoleAssignment.objects.current(day)
        .filter(
            Q(cluster_id__in=clusters) | Q(school_id__in=schools) | Q(programme=event.programme_id)
        )
        .values("person_id")
    )
    return (
        Person.objects.active()
        .filter(Q(id__in=holders) | Q(school_id__in=schools))
        .exclude(invitations__event=event)
        .select_related("school")
        .order_by("full_name")
    )


def _event_context(request, event, **extra):
    detail = selectors.event_detail(event)
    can_change = request.user.has_perm("meetings.change_event", event)
    person_id = getattr(getattr(request.user, "person", None), "pk", None)
    mine = next((i for i in detail["invitations"] if i.person_id == person_id), None)
    school_ids = {i.school_id for i in detail["invitations"] if i.school_id}
    context = {
        "event": event,
        **detail,
        "can_change": can_change,
        "my_invitation": mine,
        "attendance_choices": ATTENDANCE_CHOICES,
        "rsvp_form": RsvpForm(),
        "now": timezone.now(),
    }
    if can_change:
        people = _invitable_people(event)
        context.update(
            invite_person_form=InvitePersonForm(people=people, started=event.has_started),
            invite_role_form=InviteRoleForm(started=event.has_started),
            minutes_form=MinutesForm(initial={"minutes": event.minutes}),
            action_form=ActionForm(
                people=Person.objects.active()
                .filter(
                    Q(pk__in=[i.person_id for i in detail["invitations"]])
                    | Q(user_id=request.user.pk)
                )
                .order_by("full_name")
            ),
            substitutes=list(
                Person.objects.active()
                .filter(school_id__in=school_ids)
                .exclude(pk__in=[i.person_id for i in detail["invitations"]])
                .order_by("full_name")
            ),
        )
    context.update(extra)
    return context


def event_detail(request, pk):
    event = access_event(request.user, pk)
    return render_page(request, "meetings/event_detail.html", _event_context(request, event))


def _back_to_event(request, event, *, fragment=""):
    return redirect(reverse("meetings:event_detail", args=[event.pk]) + fragment)


@require_POST
def event_invite(request, pk):
    with transaction.atomic():
        event = access_event(request.user, pk, for_write=True)
        try:
            if "role" in request.POST:
                form = InviteRoleForm(request.POST)
                if not form.is_valid():
                    raise ServiceError("Choose a role to invite.")
                result = services.invite_by_role(
                    actor=request.user, event=event, role=form.cleaned_data["role"]
                )
            else:
                form = InvitePersonForm(request.POST, people=_invitable_people(event))
                if not form.is_valid():
                    raise ServiceError("Choose someone from the list to invite.")
                result = services.invite_person(
                    actor=request.user, event=event, person=form.cleaned_data["person"]
                )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, result.message)
    return _back_to_event(request, event, fragment="#invitees")


@require_POST
def event_attendance(request, pk):
    """Save the whole register in one go; with htmx, answer with the register alone."""
    errors = []
    with transaction.atomic():
        event = access_event(request.user, pk, for_write=True)
        invitations = list(event.invitations.select_related("person"))
        substitutes = {
            str(p.pk): p
            for p in Person.objects.filter(
                pk__in=[
                    v
                    for k, v in request.POST.items()
                    if k.startswith("substitute_person-") and v.isdigit()
                ]
            )
        }
        entries = []
        for invitation in invitations:
            line = _register_line(request.POST, invitation)
            if line is None:
                continue
            status, substitute_pk, name = line
            substitute = substitutes.get(substitute_pk)
            name = name.strip()
            if status != Attendance.SUBSTITUTE:
                substitute, name = None, ""
            entries.append(
                AttendanceEntry(
                    person=invitation.person,
                    status=status,
                    substitute=substitute,
                    substitute_name="" if substitute else name,
                )
            )
        try:
            saved = services.record_attendance(actor=request.user, event=event, entries=entries)
        except ValidationError as error:
            errors.append(_error_text(error))
    if not errors:
        messages.success(request, f"Attendance saved ({len(saved)} changed).")
        if not is_htmx(request):
            return _back_to_event(request, event, fragment="#register")
    event.refresh_from_db()
    context = _event_context(request, event, register_errors=errors, register_saved=not errors)
    if errors:
        _keep_entered(context["invitations"], request.POST)
    if not is_htmx(request):
        # without JavaScript the refused register comes back as the whole page
        return render_page(request, "meetings/event_detail.html", context, status=400)
    return render_page(
        request,
        "meetings/event_detail.html",
        context,
        partial="register",
        # htmx 2 does not swap 4xx answers in, and the refusal must be seen where it
        # happened: the register comes back with its error summary and a 200.
        status=200,
    )


def _register_line(post, invitation):
    """(attendance, substitute person's pk as sent, substitute's name) of the invitation's
    line in a submitted register, or None when the form had no line for it."""
    key = str(invitation.pk)
    if f"status-{key}" not in post:
        return None
    return (
        post[f"status-{key}"],
        post.get(f"substitute_person-{key}", ""),
        post.get(f"substitute-{key}", ""),
    )


def _keep_entered(invitations, post) -> None:
    """Show a refused register as it was entered (nothing was saved), so that one wrong
    line does not cost the coordinator the whole register. The objects are only rendered."""
    for invitation in invitations:
        line = _register_line(post, invitation)
        if line is None:
            continue
        invitation.attendance, substitute, invitation.substitute_name = line
        invitation.substitute_id = int(substitute) if substitute.isdigit() else None


@require_POST
def event_minutes(request, pk):
    with transaction.atomic():
        event = access_event(request.user, pk, for_write=True)
        form = MinutesForm(request.POST)
        try:
            if form.is_valid():
                services.minutes_save(
                    actor=request.user, event=event, minutes=form.cleaned_data["minutes"]
                )
                messages.success(request, "Minutes saved.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
    return _back_to_event(request, event, fragment="#minutes")


@require_POST
def action_create(request, pk):
    with transaction.atomic():
        event = access_event(request.user, pk, for_write=True)
        form = ActionForm(request.POST, people=Person.objects.active())
        if not form.is_valid():
            messages.error(request, "An action needs a description and an owner.")
        else:
            try:
                services.action_create(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, "Action added.")
    return _back_to_event(request, event, fragment="#actions")


@require_POST
def action_status(request, pk):
    with transaction.atomic():
        action = access_action(request.user, pk, for_write=True)
        status = request.POST.get("status", Action.Status.DONE)
        try:
            services.action_complete(actor=request.user, action=action, status=status)
        except ValidationError as error:
            messages.error(request, _error_text(error))
    return _back_to_event(request, action.event, fragment="#actions")


@require_POST
def event_cancel(request, pk):
    with transaction.atomic():
        event = access_event(request.user, pk, for_write=True)
        try:
            services.event_cancel(
                actor=request.user, event=event, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "Event cancelled.")
    return _back_to_event(request, event)


@require_POST
def event_rsvp(request, pk):
    event = access_event(request.user, pk)
    form = RsvpForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("Reply yes, no or maybe.")
        services.rsvp_for_event(
            actor=request.user, event=event, response=form.cleaned_data["response"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Reply saved for “{event.title}”.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("meetings:event_detail", args=[pk])
    return redirect(target)


def my_invitations(request):
    invitations = list(selectors.invitations_for(request.user)[:200])
    now = timezone.now()
    return render_page(
        request,
        "meetings/my_invitations.html",
        {
            "upcoming": [i for i in invitations if i.event.ends_at >= now][::-1],
            "past": [i for i in invitations if i.event.ends_at < now],
            "rsvp_form": RsvpForm(),
        },
    )
