"""Input parsing for cluster pages. Forms never write: the views call clusters.services."""

from django import forms
from django.utils import timezone

from clusterwork.core.widgets import DateInput, FastSelect, SearchField
from clusterwork.schools.forms import SchoolByUrnField

from .models import Cluster


class ClusterForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=Cluster.Kind.choices)
    status = forms.ChoiceField(choices=Cluster.Status.choices, initial=Cluster.Status.ACTIVE)
    lead_school = SchoolByUrnField(
        label="Lead school (URN)",
        required=False,
        help_text="The school that hosts the cluster; leave empty if none.",
    )
    region = forms.CharField(max_length=120, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    @classmethod
    def initial_for(cls, cluster: Cluster) -> dict:
        return {
            "name": cluster.name,
            "kind": cluster.kind,
            "status": cluster.status,
            "lead_school": cluster.lead_school.urn if cluster.lead_school else None,
            "region": cluster.region,
            "description": cluster.description,
        }


class AddMemberForm(forms.Form):
    school = SchoolByUrnField(
        label="School URN", help_text="Search by name or URN below, or type the URN."
    )
    start = forms.DateField(label="Member from", widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(max_length=300, required=False)


class EndMembershipForm(forms.Form):
    end = forms.DateField(
        label="End date",
        widget=DateInput,
        initial=timezone.localdate,
        help_text="The first day the school is no longer a member.",
    )
    reason = forms.CharField(max_length=300, required=False)


class MoveForm(forms.Form):
    to_cluster = forms.ModelChoiceField(label="Move to cluster", queryset=Cluster.objects.none())
    on = forms.DateField(label="Move on", widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, targets, **kwargs):
        """``targets``: the clusters it may move to. The cluster page renders one form per
        member row from one list of targets, so the choices are drawn from the list."""
        super().__init__(*args, **kwargs)
        targets = list(targets)
        field = self.fields["to_cluster"]
        field.queryset = Cluster.objects.filter(pk__in=[t.pk for t in targets])
        field.widget.choices = [("", "Choose a cluster"), *((t.pk, t.name) for t in targets)]


class ArchiveForm(forms.Form):
    on = forms.DateField(
        label="Archive on",
        widget=DateInput,
        initial=timezone.localdate,
        help_text="Current memberships end on this date.",
    )
    reason = forms.CharField(max_length=300, required=False)


class ClusterFilterForm(forms.Form):
    q = SearchField()
    programme = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any programme")
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Cluster.Kind.choices])

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class AsOfForm(forms.Form):
    on = forms.DateField(label="Members on", widget=DateInput, required=False)


def cluster_filter_field(request) -> forms.ModelChoiceField:
    """The school directory's "Cluster" filter: the clusters the user sees."""
    from .selectors import clusters_visible_to

    return forms.ModelChoiceField(
        label="Cluster",
        required=False,
        queryset=clusters_visible_to(request.user).order_by("name"),
        empty_label="Any",
        widget=FastSelect,
    )
