"""Input parsing for the formation pages; validation of the whole run is the service's job."""

from django import forms

from clusterwork.clusters.models import Cluster
from clusterwork.schools.models import LocalAuthority, Phase


class StartRunForm(forms.Form):
    fieldsets = [
        (
            "Which schools",
            ["include_members", "la", "trust", "urns"],
            "Choose one or more sources; a school named twice is counted once.",
        ),
        ("Cluster sizes", ["min_size", "max_size", "n_clusters", "target_size"], ""),
        (
            "Constraints",
            [
                "keep_trusts_together",
                "need_phase",
                "max_km",
                "max_pupils",
                "incremental",
                "move_cost_km",
            ],
            "",
        ),
    ]
    search_fieldsets = [("Search", ["time_limit", "seed"], "")]  # folded away on the page

    include_members = forms.BooleanField(
        required=False, initial=True, label="Today's members of this programme's clusters"
    )
    la = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.order_by("name"),
        required=False,
        empty_label="No local authority",
        label="Add all open schools of a local authority",
    )
    trust = forms.CharField(
        required=False,
        max_length=200,
        label="Add the open schools of a trust",
        help_text="The trust's name or number.",
    )
    urns = forms.CharField(
        required=False,
        label="Add schools by URN",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Separated by commas, spaces or new lines.",
    )
    min_size = forms.IntegerField(min_value=1, max_value=500, label="Smallest cluster")
    max_size = forms.IntegerField(min_value=1, max_value=500, label="Largest cluster")
    n_clusters = forms.IntegerField(
        required=False,
        min_value=1,
        label="Number of clusters",
        help_text="Leave empty to choose from the target size.",
    )
    target_size = forms.FloatField(
        required=False,
        min_value=1,
        label="Target cluster size",
        help_text="Used to choose the number of clusters when that is left empty.",
    )
    keep_trusts_together = forms.BooleanField(
        required=False, label="Keep the schools of each trust in one cluster"
    )
    need_phase = forms.ChoiceField(
        required=False,
        label="Every cluster needs a school of phase",
        choices=[("", "No requirement"), *Phase.choices],
    )
    max_km = forms.FloatField(
        required=False, min_value=0.1, label="Longest distance from a school to its hub (km)"
    )
    max_pupils = forms.IntegerField(
        required=False,
        min_value=1,
        label="Most pupils in a cluster",
        help_text="Every school needs a number of pupils (from the school directory).",
    )
    incremental = forms.BooleanField(
        required=False, label="Keep today's clusters; place only schools not yet in one"
    )
    move_cost_km = forms.FloatField(
        required=False,
        min_value=0,
        label="…or let a school move when it saves this many km",
        help_text="Only with the option above. Empty keeps every current member where it is.",
    )
    time_limit = forms.FloatField(
        min_value=1,
        max_value=600,
        initial=30,
        label="Time limit (seconds)",
        help_text="A longer search can find shorter distances for large selections.",
    )
    seed = forms.IntegerField(
        initial=0,
        min_value=0,
        label="Random seed",
        help_text="The same seed and inputs give the same search; change it to try another.",
    )

    def clean(self):
        data = super().clean()
        if not (
            data.get("include_members") or data.get("la") or data.get("trust") or data.get("urns")
        ):
            raise forms.ValidationError("Choose at least one source of schools.")
        return data


class WhatIfForm(forms.Form):
    """One more change: put the school with ``urn`` into ``cluster``."""

    urn = forms.IntegerField(
        min_value=1,
        label="School URN",
        error_messages={"invalid": "Enter a URN: the school's 6-digit number."},
    )
    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.none(),
        label="Into cluster",
        empty_label="Choose a cluster",
        error_messages={"required": "Choose the cluster the school should join."},
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = (
            Cluster.objects.active().filter(programme=programme).order_by("name")
        )
