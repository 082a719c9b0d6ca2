"""Pages for meetings: lists, scheduling, the meeting page with its register, and RSVPs."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import cluster_people, member_schools
from clusterwork.core.access import require_perm
from clusterwork.core.views import ObjectDetailView, ServiceFormView, render_page
from clusterwork.people.models import Person

from . import selectors, services
from .access import access_action, access_event
from .forms import (
    ATTENDANCE_CHOICES,
    ActionForm,
    ActionStatusForm,
    CancelForm,
    EventForm,
    InvitePersonForm,
    InviteRoleForm,
    MinutesForm,
    RegisterForm,
    RsvpForm,
)

# ----- lists ---------------------------------------------------------------------------------


class ClusterMeetings(ObjectDetailView):
    access = access_cluster
    template_name = "meetings/cluster_meetings.html"

    def page_context(self):
        cluster, user = self.object, self.request.user
        return {
            "upcoming": list(selectors.cluster_events(user, cluster, upcoming=True)),
            "past": list(selectors.cluster_events(user, cluster, upcoming=False)[:50]),
            "can_schedule": user.has_perm("meetings.add_event", cluster),
        }


class ProgrammeEvents(ObjectDetailView):
    access = access_programme
    template_name = "meetings/programme_events.html"

    def page_context(self):
        programme, user = self.object, self.request.user
        return {
            "events": list(selectors.programme_events(user, programme)),
            "can_schedule": user.has_perm("meetings.add_programme_event", programme),
        }


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


# ----- scheduling, or recording a meeting afterwards -------------------------------------------


class _Schedule(ServiceFormView):
    """Schedule a meeting (invitations emailed), or record one that has happened (its
    register filled from the roles held that day, nobody emailed). Subclasses name the
    ``noun`` of what is scheduled, the page it belongs to (``back_url``, ``back_label``) and
    who may be invited (``audience``)."""

    form_class = EventForm
    recording = False
    noun = ""
    back_label = ""

    def get_form_kwargs(self):
        return {"recording": self.recording, **self.audience()}

    def perform(self, form):
        data = dict(form.cleaned_data)
        roles = data.pop("invite_roles", [])
        event, invited = services.event_schedule(
            actor=self.request.user,
            invite_roles=roles,
            **{self.object._meta.model_name: self.object},  # cluster= or programme=
            **data,
        )
        self.invited = sum(len(result.created) for result in invited)
        return event

    def get_success_message(self, event):
        people = f"{self.invited} {'person' if self.invited == 1 else 'people'}"
        if self.recording:
            return (
                f"Recorded “{event.title}” with {people} on its register. "
                "Take the attendance below."
            )
        return f"Scheduled “{event.title}”. Invited {people}."

    def get_success_url(self, event):
        return event.get_absolute_url() + ("#register" if self.recording else "")

    def page_context(self, **bound):
        back = self.get_back_url()
        if self.recording:
            title = f"Record a past {self.noun} of {self.object.name}"
            lede = (
                "For a meeting that has already happened: enter it, put the people who were "
                "expected on its register, then record who came. Nobody is emailed."
            )
            submit = "Record and take the register"
        else:
            title, lede = f"Schedule a {self.noun} for {self.object.name}", ""
            submit = "Schedule and send invitations"
        return {
            "title": title,
            "lede": lede,
            "submit_label": submit,
            "breadcrumbs": [(self.back_label.format(object=self.object), back)],
            "cancel_url": back,
        }


class _ClusterSchedule(_Schedule):
    permission = "meetings.add_event"
    noun = "meeting"
    back_url = "meetings:cluster_meetings"
    back_label = "{object.name} meetings"

    def get_object(self, *, perm, lock):
        return access_cluster(
            self.request.user, self.kwargs["pk"], perm=perm, lock=lock, include_archived=False
        )

    def audience(self):
        return {"schools": member_schools(self.object)}


class _ProgrammeSchedule(_Schedule):
    access = access_programme
    permission = "meetings.add_programme_event"
    noun = "networking event"
    back_url = "meetings:programme_events"
    back_label = "{object.name} events"

    def audience(self):
        return {"programme_wide": True}


class EventCreate(_ClusterSchedule):
    pass


class EventRecord(_ClusterSchedule):
    """Enter a meeting that has already happened, then take its register."""

    recording = True


class ProgrammeEventCreate(_ProgrammeSchedule):
    pass


class ProgrammeEventRecord(_ProgrammeSchedule):
    recording = True


# ----- the meeting page ----------------------------------------------------------------------


def _invitable_people(event):
    """People who may be invited by name: ``cluster_people`` of the event's cluster (or of
    its programme) on the day that counts — today for a meeting to come, the meeting's own
    day for one that has happened — who are not invited yet."""
    day = services.audience_day(event)
    audience = {"programme": event.programme} if not event.cluster_id else {}
    return cluster_people(event.cluster, on=day, **audience).exclude(invitations__event=event)


def event_page(request, event, *, register=None) -> dict:
    """What the meeting page shows; a refused ``register`` is shown as it was entered."""
    detail = selectors.event_detail(event)
    can_change = request.user.has_perm("meetings.change_event", event)
    person_id = getattr(getattr(request.user, "person", None), "pk", None)
    invited_ids = [i.person_id for i in detail["invitations"]]
    if register is not None and register.errors:
        register.keep_entered(detail["invitations"])
    context = {
        "event": event,
        **detail,
        "can_change": can_change,
        "my_invitation": next((i for i in detail["invitations"] if i.person_id == person_id), None),
        "attendance_choices": ATTENDANCE_CHOICES,
        "rsvp_form": RsvpForm(),
        "now": timezone.now(),
        "register_errors": register.non_field_errors() if register is not None else [],
    }
    if can_change:
        school_ids = {i.school_id for i in detail["invitations"] if i.school_id}
        context.update(
            invite_person_form=InvitePersonForm(
                people=_invitable_people(event), started=event.has_started
            ),
            invite_role_form=InviteRoleForm(started=event.has_started),
            minutes_form=MinutesForm(initial={"minutes": event.minutes}),
            action_form=ActionForm(people=_action_owners(request, invited_ids)),
            substitutes=list(
                Person.objects.active()
                .filter(school_id__in=school_ids)
                .exclude(pk__in=invited_ids)
                .order_by("full_name")
            ),
        )
    return context


def _action_owners(request, invited_ids):
    """An action is owned by someone invited, or by whoever writes it down."""
    return (
        Person.objects.active()
        .filter(Q(pk__in=invited_ids) | Q(user_id=request.user.pk))
        .order_by("full_name")
    )


class EventDetail(ObjectDetailView):
    access = access_event
    template_name = "meetings/event_detail.html"

    def page_context(self):
        return event_page(self.request, self.object)


class _EventPageForm(ServiceFormView):
    """A form posted from the meeting page; refused, the page comes back with it."""

    http_method_names = ["post"]
    access = access_event
    permission = "meetings.change_event"
    template_name = "meetings/event_detail.html"
    service_argument = "event"
    fragment = ""

    def get_success_url(self, result):
        return self.event.get_absolute_url() + self.fragment

    @property
    def event(self):
        return self.object

    def page_context(self, **bound):
        return event_page(self.request, self.event, register=bound.get("register_form"))


class InviteByRole(_EventPageForm):
    form_class = InviteRoleForm
    form_name = "invite_role_form"
    service = services.invite_by_role
    fragment = "#invitees"

    def get_form_kwargs(self):
        return {"started": self.object.has_started}

    def get_success_message(self, result):
        return result.message


class InvitePerson(InviteByRole):
    form_class = InvitePersonForm
    form_name = "invite_person_form"
    service = services.invite_person

    def get_form_kwargs(self):
        return {"people": _invitable_people(self.object), "started": self.object.has_started}


def event_invite(request, pk):
    """Invite by role or one person: the two forms post here, told apart by their field."""
    view = InviteByRole if "role" in request.POST else InvitePerson
    return view.as_view()(request, pk=pk)


class EventAttendance(_EventPageForm):
    """Save the whole register in one go; with htmx, answer with the register alone."""

    form_class = RegisterForm
    form_name = "register_form"
    partial = "register"
    fragment = "#register"

    def get_form_kwargs(self):
        return {"invitations": self.object.invitations.select_related("person")}

    def perform(self, form):
        return services.record_attendance(
            actor=self.request.user, event=self.object, entries=form.cleaned_data["entries"]
        )

    def get_success_message(self, saved):
        return f"Attendance saved ({len(saved)} changed)."

    def succeeded(self, result):
        self.saved = True  # the fresh register says so where it was saved
        return super().succeeded(result)

    def page_context(self, **bound):
        return {**super().page_context(**bound), "register_saved": getattr(self, "saved", False)}


class EventMinutes(_EventPageForm):
    form_class = MinutesForm
    form_name = "minutes_form"
    service = services.minutes_save
    fragment = "#minutes"
    success_message = "Minutes saved."


class ActionCreate(_EventPageForm):
    form_class = ActionForm
    form_name = "action_form"
    service = services.action_create
    fragment = "#actions"
    success_message = "Action added."

    def get_form_kwargs(self):
        invited_ids = self.object.invitations.values_list("person_id", flat=True)
        return {"people": _action_owners(self.request, invited_ids)}


class EventCancel(_EventPageForm):
    form_class = CancelForm
    form_name = "cancel_form"
    service = services.event_cancel
    success_message = "Event cancelled."


class ActionStatus(_EventPageForm):
    """Mark one of the meeting's actions done (or dropped, or open again)."""

    access = access_action
    form_class = ActionStatusForm
    form_name = "action_status_form"
    service = services.action_complete
    service_argument = "action"
    fragment = "#actions"

    @property
    def event(self):
        return self.object.event

    def get_object(self, *, perm, lock):
        # The action's meeting decides who may change it.
        action = access_action(self.request.user, self.kwargs["pk"], lock=lock)
        if perm:
            require_perm(self.request.user, perm, action.event)
        return action


class EventRsvp(_EventPageForm):
    """The invitee's own reply; it returns to the page it came from."""

    permission = None
    form_class = RsvpForm
    form_name = "rsvp_form"
    service = services.rsvp_for_event

    def get_success_message(self, invitation):
        return f"Reply saved for “{self.object.title}”."

    def get_success_url(self, invitation):
        target = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return super().get_success_url(invitation)
