from django import forms

from clusterwork.core.uploads import DOCUMENT
from clusterwork.core.widgets import DateInput

from .models import Audience, KeyStage, LibraryItem, Partner, Subject

BLANK = [("", "Any")]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    subject = forms.ChoiceField(choices=BLANK + Subject.choices, required=False)
    key_stage = forms.ChoiceField(
        choices=BLANK + KeyStage.choices, required=False, label="Key stage"
    )
    tag = forms.ChoiceField(choices=BLANK, required=False)
    kind = forms.ChoiceField(choices=BLANK + LibraryItem.Kind.choices, required=False)
    audience_ = forms.ChoiceField(
        choices=BLANK + Audience.choices, required=False, label="Shared with"
    )
    reused = forms.BooleanField(required=False, label="Used in another school")

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = BLANK + [(t, t) for t in tags]


class _ItemFields(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What it is, who it is for, how you used it.",
    )
    subject = forms.ChoiceField(choices=Subject.choices)
    key_stage = forms.ChoiceField(choices=KeyStage.choices, label="Key stage or phase")
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Separated by commas: the programme's initiatives, national events, topics.",
    )
    goal = forms.ModelChoiceField(queryset=None, required=False, label="Serves the goal")
    project = forms.ModelChoiceField(queryset=None, required=False, label="Part of the project")
    audience = forms.ChoiceField(
        choices=Audience.choices,
        widget=forms.RadioSelect,
        label="Who can see it",
        initial=Audience.CLUSTER,
    )

    def __init__(self, *args, goals, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["project"].queryset = projects


class ItemForm(_ItemFields):
    kind = forms.ChoiceField(
        choices=LibraryItem.Kind.choices, widget=forms.RadioSelect, label="What you share"
    )
    file = forms.FileField(
        required=False,
        validators=[DOCUMENT],
        help_text=f"For a file: a {DOCUMENT.described}, up to "
        f"{DOCUMENT.max_bytes // 1_000_000} MB.",
    )
    url = forms.URLField(required=False, label="Link", assume_scheme="https")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Write-up"
    )

    field_order = ["title", "kind", "file", "url", "body", "summary"]


class ItemEditForm(_ItemFields):
    pass


class VersionForm(forms.Form):
    file = forms.FileField(required=False, validators=[DOCUMENT])
    url = forms.URLField(required=False, label="Link", assume_scheme="https")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Write-up"
    )
    note = forms.CharField(max_length=300, label="What changed")


class UseForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, empty_label=None)
    note = forms.CharField(max_length=300, required=False, label="How it went (optional)")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Message",
        help_text="Mention someone with @ and their name (@Ann Smith).",
    )
    items = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Attach from the library"
    )
    pin = forms.BooleanField(required=False, label="Pin as an announcement")

    def __init__(self, *args, items, can_pin=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        if not can_pin:
            del self.fields["pin"]


class ReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your reply",
        help_text="Mention someone with @ and their name.",
    )
    items = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Attach from the library"
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class MuteForm(forms.Form):
    muted = forms.BooleanField(required=False)


class PinForm(forms.Form):
    pinned = forms.BooleanField(required=False)


class NotificationSettingsForm(forms.Form):
    email_replies = forms.BooleanField(required=False, label="Email me replies in threads I follow")
    email_mentions = forms.BooleanField(required=False, label="Email me when I am mentioned")
    email_new_threads = forms.BooleanField(
        required=False, label="Email me when a new thread starts"
    )


class CoachingForm(forms.Form):
    focus = forms.CharField(max_length=200, help_text="e.g. questioning in practical science")
    coach = forms.ModelChoiceField(queryset=None)
    coachee = forms.ModelChoiceField(queryset=None)
    second_coachee = forms.ModelChoiceField(
        queryset=None, required=False, label="Second coachee (a triad)"
    )
    start = forms.DateField(widget=DateInput)
    end = forms.DateField(widget=DateInput, required=False, label="Ends (first day after)")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("coach", "coachee", "second_coachee"):
            self.fields[name].queryset = people

    def clean(self):
        data = super().clean()
        data["coachees"] = [
            p for p in (data.pop("coachee", None), data.pop("second_coachee", None)) if p
        ]
        return data


class SessionForm(forms.Form):
    on = forms.DateField(widget=DateInput, label="Date")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Seen only by the coach and coachees.",
    )
    follow_up = forms.CharField(max_length=300, required=False, label="Follow-up")


class EndForm(forms.Form):
    end = forms.DateField(widget=DateInput, label="Ends on (first day after)")


class PartnerForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Partner.Kind.choices)
    website = forms.URLField(required=False, assume_scheme="https")
    contact = forms.CharField(
        max_length=200, required=False, help_text="An office or team address, not a person's."
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ActivityForm(forms.Form):
    on = forms.DateField(widget=DateInput, label="Date")
    title = forms.CharField(max_length=200, label="What was done")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    cluster = forms.ModelChoiceField(queryset=None, required=False)
    project = forms.ModelChoiceField(queryset=None, required=False)
    achievement = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, clusters, projects, achievements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["project"].queryset = projects
        self.fields["achievement"].queryset = achievements
        if clusters is None:
            del self.fields["cluster"]
