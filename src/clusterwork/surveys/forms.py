from django import forms

from clusterwork.core.widgets import DateInput

from .models import Question


class QuestionnaireForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    areas = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "One area per line, e.g. Planning, Assessment, Practical work, Subject leadership."
        ),
    )

    def clean_areas(self):
        return [line.strip() for line in self.cleaned_data["areas"].splitlines() if line.strip()]


class QuestionForm(forms.Form):
    area = forms.ModelChoiceField(queryset=None)
    text = forms.CharField(max_length=300, label="Question or statement")
    kind = forms.ChoiceField(choices=Question.Kind.choices)
    scale_max = forms.IntegerField(initial=5, min_value=2, max_value=10, label="Scale from 1 to")
    needs_support_at_or_below = forms.IntegerField(
        initial=2, min_value=1, label="Needs support at or below"
    )
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Multiple choice only: one option per line.",
    )
    required = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean_choices(self):
        return [c.strip() for c in self.cleaned_data["choices"].splitlines() if c.strip()]


class RoundForm(forms.Form):
    title = forms.CharField(
        max_length=200, required=False, help_text="Defaults to the title and month."
    )
    cluster = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Every cluster of the programme"
    )
    deadline = forms.DateField(widget=DateInput())

    def __init__(self, *args, clusters, every_cluster=True, **kwargs):
        """``clusters``: where it may go; ``every_cluster``: whether it may go to all at once
        (the programme's choice, not a coordinator's)."""
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        if not every_cluster:
            self.fields["cluster"].required = True
            self.fields["cluster"].empty_label = None


def response_form(questions, data=None, initial=None):
    """A form with one field per question, named ``q<id>``, grouped by area in the template."""
    fields = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == Question.Kind.RATING:
            choices = [(str(i), str(i)) for i in range(question.scale_min, question.scale_max + 1)]
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            field.inline = True  # a scale reads left to right
            field.help_text = (
                f"{question.scale_min} = {question.low_label}; "
                f"{question.scale_max} = {question.high_label}"
            )
        elif question.kind == Question.Kind.CHOICE:
            field = forms.ChoiceField(
                choices=[(c, c) for c in question.choices], widget=forms.RadioSelect
            )
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
        # The service checks required answers (naming the question), all or nothing.
        field.required, field.required_by_service = False, question.required
        field.label = question.text
        field.area = question.area.name
        fields[name] = field
    form_class = type("ResponseForm", (forms.Form,), fields)
    return form_class(data=data, initial=initial)
