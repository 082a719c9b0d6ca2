from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusterwork.clusters"
    label = "clusters"

    def ready(self):
        from django import forms

        from clusterwork.core import registry
        from clusterwork.core.widgets import FastSelect
        from clusterwork.people import role_scopes
        from clusterwork.schools.access import access_school_by_urn

        from . import selectors
        from .access import access_cluster, access_programme

        registry.add_link("main", registry.Link("Programmes", "programme_list", order=10))
        registry.add_link("main", registry.Link("Clusters", "cluster_list", order=20))
        registry.add_tab("programme", registry.Tab("Clusters", "programme_detail", order=0))
        registry.add_tab("cluster", registry.Tab("Overview", "cluster_detail", order=0))

        def cluster_filter(request):
            return forms.ModelChoiceField(
                label="Cluster",
                required=False,
                queryset=selectors.clusters_visible_to(request.user).order_by("name"),
                empty_label="Any",
                widget=FastSelect,
            )

        registry.add_filter_field("school_list", registry.FilterField("cluster", cluster_filter))

        for kind, label, order, choices, find in (
            ("school", "Schools", 10, selectors.appointable_schools, access_school_by_urn),
            ("cluster", "Clusters", 20, selectors.appointable_clusters, access_cluster),
            ("programme", "Programmes", 30, selectors.appointable_programmes, access_programme),
        ):
            role_scopes.register(
                role_scopes.RoleScopeKind(
                    kind=kind, label=label, order=order, choices=choices, find=find
                )
            )
