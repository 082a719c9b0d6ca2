from django import forms

from clusterwork.core.widgets import DateInput

from .models import Question
from .selectors import answers_of, questions_of, sendable_clusters


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

    def __init__(self, *args, user, questionnaire, **kwargs):
        """It may go to the clusters ``user`` may send it to, and to all at once only from
        those who manage the questionnaire (the programme's choice, not a coordinator's)."""
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = sendable_clusters(user, questionnaire)
        if not user.has_perm("surveys.manage_questionnaire", questionnaire):
            self.fields["cluster"].required = True
            self.fields["cluster"].empty_label = None


class ResponseForm(forms.Form):
    """A respondent's answers: one field per question, named ``q<id>``, in one fieldset per
    area (core/form.html's ``fieldsets``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas: dict[str, list[str]] = {}
        for name, field in self.fields.items():
            areas.setdefault(field.area, []).append(name)
        self.fieldsets = [(area, names, "") for area, names in areas.items()]

    def answers(self) -> dict[int, object]:
        """The answers by question id, as ``response_submit`` takes them."""
        return {int(name[1:]): self.cleaned_data.get(name) for name in self.fields}


def response_form(response, data=None):
    """A ``ResponseForm`` for the response's questions, in their order, with its answers."""
    fields = {}
    for question in questions_of(response):
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
    form_class = type("ResponseForm", (ResponseForm,), fields)
    return form_class(data=data, initial=answers_of(response))
