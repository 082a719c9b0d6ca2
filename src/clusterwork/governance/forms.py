"""Input parsing for governance pages; the services do the checking."""

from django import forms

from clusterwork.core.widgets import DateInput

from .models import (
    Attendance,
    Board,
    Capacity,
    DecisionArea,
    InterventionCase,
    Level,
    Motion,
    Partner,
    Rating,
    SchemeVersion,
    SchoolCategory,
    TriggerRule,
    Vote,
)
from .services import APPOINTABLE

TEXT = forms.Textarea(attrs={"rows": 3})


class BoardCreateForm(forms.Form):
    quorum_rule = forms.ChoiceField(choices=Board.Quorum.choices, initial=Board.Quorum.HALF)
    quorum_fixed = forms.IntegerField(min_value=1, required=False, label="Fixed quorum")


class BoardConfigureForm(forms.Form):
    quorum_rule = forms.ChoiceField(choices=Board.Quorum.choices)
    quorum_fixed = forms.IntegerField(min_value=1, required=False, label="Fixed quorum")
    trust_director_places = forms.IntegerField(min_value=0, max_value=10)
    trust_staff_places = forms.IntegerField(min_value=0, max_value=10)
    associate_places = forms.IntegerField(min_value=0, max_value=20)
    eligible_outcomes = forms.MultipleChoiceField(
        choices=Rating.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Lead headteacher: eligible inspection outcomes (trust board)",
        help_text="Empty: Outstanding or Good.",
    )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None)
    capacity = forms.ChoiceField(choices=[(c.value, c.label) for c in Capacity if c in APPOINTABLE])
    start = forms.DateField(widget=DateInput)
    end = forms.DateField(widget=DateInput, required=False, label="Term ends (first day out)")
    voting = forms.TypedChoiceField(
        choices=[("", "As the capacity says"), ("yes", "Voting"), ("no", "Non-voting")],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Starts",
    )
    location = forms.CharField(max_length=300, required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(widget=TEXT, label="Decision")
    decided_on = forms.DateField(widget=DateInput)
    level = forms.ChoiceField(
        choices=[("", "The board itself"), *Level.choices], required=False, label="Decided by"
    )
    area = forms.ModelChoiceField(queryset=DecisionArea.objects.all(), required=False)
    subject_key = forms.CharField(
        max_length=100,
        required=False,
        label="About (reference)",
        help_text="e.g. funding.claim:12 or sharedservices.service:3",
    )


class RegisterForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None)
    interests = forms.CharField(widget=TEXT, required=False, help_text="Empty: none to declare.")
    on = forms.DateField(widget=DateInput, required=False, label="Confirmed on")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class LeadHeadForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label="Headteacher")
    decision = forms.ModelChoiceField(queryset=None, label="Trust board decision")
    start = forms.DateField(widget=DateInput)
    override_reason = forms.CharField(
        max_length=500, required=False, help_text="Only to appoint from a school the rule excludes."
    )

    def __init__(self, *args, people, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["decision"].queryset = decisions


class LgbAgreementForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    agreed_on = forms.DateField(widget=DateInput)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class LgbModeForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[("per_academy", "One LGB per academy"), ("per_cluster", "One LGB for the cluster")]
    )
    start = forms.DateField(widget=DateInput)


# ----- meeting page --------------------------------------------------------------------------


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None)
    status = forms.ChoiceField(choices=Attendance.Status.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ItemForm(forms.Form):
    title = forms.CharField(max_length=200, label="Agenda item")
    paper = forms.CharField(widget=TEXT, required=False, label="Paper")


class DeclarationForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None)
    person = forms.ModelChoiceField(queryset=None)
    interest = forms.CharField(max_length=300)

    def __init__(self, *args, people, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["item"].queryset = items


class MotionForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None)
    text = forms.CharField(widget=TEXT, label="Motion")
    mode = forms.ChoiceField(choices=Motion.Mode.choices)
    area = forms.ModelChoiceField(
        queryset=DecisionArea.objects.all(),
        required=False,
        label="Decision area (scheme of delegation)",
    )
    subject_key = forms.CharField(max_length=100, required=False, label="About (reference)")

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class VoteForm(forms.Form):
    motion = forms.ModelChoiceField(queryset=None)
    person = forms.ModelChoiceField(queryset=None)
    choice = forms.ChoiceField(choices=Vote.Choice.choices)

    def __init__(self, *args, people, motions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["motion"].queryset = motions


class CloseForm(forms.Form):
    motion = forms.ModelChoiceField(queryset=None)
    counted_for = forms.IntegerField(min_value=0, required=False)
    counted_against = forms.IntegerField(min_value=0, required=False)
    counted_abstain = forms.IntegerField(min_value=0, required=False)
    casting_vote = forms.ChoiceField(
        choices=[("", "—"), ("for", "For"), ("against", "Against")],
        required=False,
        label="Chair's casting vote (a tie only)",
    )

    def __init__(self, *args, motions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motion"].queryset = motions

    def clean(self):
        data = super().clean()
        for name in ("counted_for", "counted_against", "counted_abstain"):
            data[name] = data.get(name) or 0
        return data


class ActionForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None)
    description = forms.CharField(max_length=400)
    owner = forms.ModelChoiceField(queryset=None)
    due = forms.DateField(widget=DateInput, required=False)

    def __init__(self, *args, people, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["item"].queryset = items


# ----- scheme ---------------------------------------------------------------------------------


class VersionForm(forms.Form):
    layer = forms.ChoiceField(choices=SchemeVersion.Layer.choices)
    cluster = forms.ModelChoiceField(queryset=None, required=False)
    school = forms.ModelChoiceField(queryset=None, required=False, label="Academy")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, clusters, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["school"].queryset = schools


class CellForm(forms.Form):
    area = forms.ModelChoiceField(queryset=DecisionArea.objects.all())
    level = forms.ChoiceField(choices=Level.choices)
    code = forms.ChoiceField(
        choices=[
            ("", "— (clear)"),
            ("D", "D decides"),
            ("R", "R recommends"),
            ("A", "A advises"),
            ("M", "M monitors"),
            ("I", "I informed"),
        ],
        required=False,
    )


class ThresholdForm(forms.Form):
    area = forms.ModelChoiceField(queryset=DecisionArea.objects.all())
    above_pounds = forms.DecimalField(min_value=0, decimal_places=2, label="Above (£)")
    level = forms.ChoiceField(choices=Level.choices, label="Decided by")

    def clean(self):
        data = super().clean()
        if data.get("above_pounds") is not None:
            data["above_pence"] = int(data.pop("above_pounds") * 100)
        return data


class ApproveForm(forms.Form):
    approved_on = forms.DateField(widget=DateInput)


class LookupForm(forms.Form):
    school = forms.IntegerField(label="School URN")
    area = forms.ModelChoiceField(queryset=DecisionArea.objects.all(), to_field_name="key")
    on = forms.DateField(widget=DateInput, required=False, label="On")
    amount = forms.DecimalField(min_value=0, decimal_places=2, required=False, label="Amount (£)")


# ----- intervention -------------------------------------------------------------------------


class RuleForm(forms.Form):
    name = forms.CharField(max_length=200)
    measure_key = forms.ChoiceField(choices=(), label="Measure")
    comparison = forms.ChoiceField(choices=TriggerRule.Comparison.choices)
    threshold = forms.DecimalField(decimal_places=2, max_digits=12)
    window_days = forms.IntegerField(min_value=1, max_value=3650, initial=365)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from clusterwork.core import measures

        self.fields["measure_key"].choices = measures.choices("school")


class EvaluateForm(forms.Form):
    on = forms.DateField(widget=DateInput, required=False)


class PartnerForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Partner.Kind.choices)
    mou_scope = forms.CharField(max_length=300, required=False, label="MoU: what it covers")
    mou_start = forms.DateField(widget=DateInput, required=False, label="MoU from")
    mou_end = forms.DateField(widget=DateInput, required=False, label="MoU until")


class CategoryForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    category = forms.ChoiceField(choices=SchoolCategory.Category.choices)
    cluster = forms.ModelChoiceField(
        queryset=None, required=False, label="Cluster taking responsibility"
    )
    start = forms.DateField(widget=DateInput)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, schools, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["cluster"].queryset = clusters


class CaseUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=InterventionCase.Status.choices)
    owner = forms.ModelChoiceField(queryset=None, required=False)
    note = forms.CharField(widget=TEXT, required=False)
    closure_reason = forms.CharField(widget=TEXT, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class CaseNoteForm(forms.Form):
    text = forms.CharField(widget=TEXT, label="Note or action")
    action_owner = forms.ModelChoiceField(queryset=None, required=False)
    action_due = forms.DateField(widget=DateInput, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = people


class MoveForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    to_cluster = forms.ModelChoiceField(queryset=None, label="Move to")
    effective_on = forms.DateField(widget=DateInput)
    reason = forms.CharField(widget=TEXT, required=False)

    def __init__(self, *args, schools, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["to_cluster"].queryset = clusters


class RejectForm(forms.Form):
    reason = forms.CharField(widget=TEXT)
