"""Input parsing for the meeting pages; writes go through the services."""

from django import forms
from django.utils import timezone

from clusterwork.core.widgets import DateInput
from clusterwork.people.models import Person, Role

from .models import Action, Attendance, EventKind, Mode, Rsvp
from .services import INVITABLE_ROLES, AttendanceEntry

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


CLUSTER_KINDS = [(k, label) for k, label in EventKind.choices if k != EventKind.NETWORKING]
ROLE_CHOICES = [(role.value, f"Every {role.label.lower()}") for role in INVITABLE_ROLES]


class EventForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Cluster meeting")
    kind = forms.ChoiceField(label="Type", choices=CLUSTER_KINDS, initial=EventKind.MEETING)
    starts_at = forms.DateTimeField(
        label="Starts", input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    ends_at = forms.DateTimeField(
        label="Ends", input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    mode = forms.ChoiceField(label="Where", choices=Mode.choices, initial=Mode.IN_PERSON)
    host_school = forms.ModelChoiceField(
        label="Host school", queryset=None, required=False, empty_label="No host school"
    )
    location = forms.CharField(label="Location", max_length=300, required=False)
    online_link = forms.URLField(label="Online link", max_length=500, required=False)
    agenda = forms.CharField(
        label="Agenda", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    invite_roles = forms.MultipleChoiceField(
        label="Invite",
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Resolved to the people who hold the role today; each is emailed.",
    )

    def __init__(self, *args, schools=None, programme_wide=False, recording=False, **kwargs):
        """``recording``: the form records a meeting that has already happened (its start
        must be past; the roles chosen fill its register and nobody is emailed), instead of
        scheduling one (start in the future, invitations emailed)."""
        super().__init__(*args, **kwargs)
        self.recording = recording
        if programme_wide:
            del self.fields["kind"]
            del self.fields["host_school"]
            self.fields["title"].initial = "Coordinators' networking day"
            self.fields["invite_roles"].initial = [Role.CLUSTER_COORDINATOR.value]
        else:
            self.fields["host_school"].queryset = schools
            self.fields["invite_roles"].initial = [Role.SUBJECT_LEADER.value]
        if recording:
            self.fields["invite_roles"].label = "Put on the register"
            self.fields[
                "invite_roles"
            ].help_text = "Everyone who held the role on the meeting's day; nobody is emailed."

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        # A start on the wrong side of now is almost always a typo (a wrong year or month):
        # scheduling would email nobody, recording would email everybody. Say which to use.
        if self.recording and starts_at > timezone.now():
            raise forms.ValidationError(
                "That meeting is still to come: schedule it instead, so that the invitations "
                "are emailed."
            )
        if not self.recording and starts_at <= timezone.now():
            raise forms.ValidationError(
                "That start is in the past. To enter a meeting that has already happened, use "
                "“Record a past meeting”."
            )
        return starts_at


class InvitePersonForm(forms.Form):
    person = forms.ModelChoiceField(label="Person to invite", queryset=Person.objects.none())

    def __init__(self, *args, people=None, started=False, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if started:
            self.fields["person"].label = "Person to add"


class InviteRoleForm(forms.Form):
    role = forms.ChoiceField(label="Invite by role", choices=ROLE_CHOICES)

    def __init__(self, *args, started=False, **kwargs):
        super().__init__(*args, **kwargs)
        if started:
            self.fields["role"].label = "Add by role"


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        choices=[(Rsvp.YES, "Yes"), (Rsvp.NO, "No"), (Rsvp.MAYBE, "Maybe")]
    )


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices, required=False)

    def clean_status(self):
        return self.cleaned_data["status"] or Action.Status.DONE


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes", widget=forms.Textarea(attrs={"rows": 10}), required=False
    )


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=500)
    owner = forms.ModelChoiceField(label="Owner", queryset=Person.objects.none())
    due = forms.DateField(label="Due", required=False, widget=DateInput())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people


class EngagementEmailForm(forms.Form):
    to_person = forms.ModelChoiceField(label="To", queryset=Person.objects.none(), empty_label=None)
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 18}))

    def __init__(self, *args, heads=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = Person.objects.filter(pk__in=[h.pk for h in heads])
        self.fields["to_person"].label_from_instance = lambda p: (
            f"{p.full_name} <{p.email}>" if p.email else f"{p.full_name} (no email)"
        )


class PolicyForm(forms.Form):
    window = forms.IntegerField(
        label="Look back over this many meetings", min_value=1, max_value=24
    )
    min_attended = forms.IntegerField(
        label="Flag schools attending fewer than", min_value=0, max_value=24
    )


ATTENDANCE_CHOICES = Attendance.choices


class RegisterForm(forms.Form):
    """The whole register in one submission: for each invitation ``status-<id>``, and for a
    substitute ``substitute_person-<id>`` (someone of the school's staff) or
    ``substitute-<id>`` (a name). ``cleaned_data["entries"]`` holds one line per invitee
    the form sent; ``entered`` keeps what was typed, to show a refused register as it was."""

    def __init__(self, data=None, files=None, *, invitations=(), **kwargs):
        super().__init__(data, files, **kwargs)
        self.invitations = list(invitations)

    def lines(self):
        """(invitation, status, substitute's pk as sent, substitute's name) per line sent."""
        for invitation in self.invitations:
            key = str(invitation.pk)
            if f"status-{key}" not in self.data:
                continue
            yield (
                invitation,
                self.data[f"status-{key}"],
                self.data.get(f"substitute_person-{key}", ""),
                self.data.get(f"substitute-{key}", "").strip(),
            )

    def clean(self):
        lines = list(self.lines())
        named = [pk for _, _, pk, _ in lines if pk.isdigit()]
        substitutes = {str(p.pk): p for p in Person.objects.filter(pk__in=named)}
        entries = []
        for invitation, status, substitute_pk, name in lines:
            substitute = substitutes.get(substitute_pk)
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
        return {"entries": entries}

    def keep_entered(self, invitations) -> None:
        """Show a refused register as it was entered (nothing was saved), so that one wrong
        line does not cost the coordinator the whole register. The objects are only rendered."""
        sent = {invitation.pk: rest for invitation, *rest in self.lines()}
        for invitation in invitations:
            if invitation.pk in sent:
                status, substitute, name = sent[invitation.pk]
                invitation.attendance, invitation.substitute_name = status, name
                invitation.substitute_id = int(substitute) if substitute.isdigit() else None
