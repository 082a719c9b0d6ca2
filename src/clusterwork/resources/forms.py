from django import forms

from clusterwork.core.uploads import PHOTO
from clusterwork.core.widgets import DateInput

from .models import Condition, Resource


class ResourceForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Resource.Kind.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner_school = forms.ModelChoiceField(queryset=None, label="Held by")
    location = forms.CharField(max_length=200, help_text="Where it is kept between loans.")
    condition = forms.ChoiceField(choices=Condition.choices)
    photo = forms.FileField(required=False, validators=[PHOTO], help_text="PNG or JPEG, 5 MB.")
    shared_with = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Also shared with",
    )

    def __init__(self, *args, schools, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_school"].queryset = schools
        self.fields["shared_with"].queryset = clusters


class BookingForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label="For school")
    start = forms.DateField(widget=DateInput, label="From")
    end = forms.DateField(widget=DateInput, label="Back on", help_text="The day it comes back.")
    borrower = forms.ModelChoiceField(queryset=None, required=False, label="Who will have it")
    purpose = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, schools, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["borrower"].queryset = people


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(choices=Condition.choices, label="Condition on return")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300)
