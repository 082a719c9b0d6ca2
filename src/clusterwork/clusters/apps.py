from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Link, Tab


class ClustersConfig(ContributingApp):
    name = "clusterwork.clusters"
    personal_data = [
        linked_rows(
            app="clusters",
            label="Programmes and clusters archived",
            models=("clusters.Programme", "clusters.Cluster"),
        )
    ]
    links = {
        "main": [
            Link("Programmes", "programme_list", order=10),
            Link("Clusters", "cluster_list", order=20),
        ]
    }
    tabs = {
        "programme": [Tab("Clusters", "programme_detail", order=0)],
        "cluster": [Tab("Overview", "cluster_detail", order=0)],
    }

    def ready(self):
        super().ready()
        from clusterwork.core import registry
        from clusterwork.people import role_scopes
        from clusterwork.schools.access import access_school_by_urn

        from . import selectors
        from .access import access_cluster, access_programme
        from .forms import cluster_filter_field

        # The school directory can be filtered by a cluster the user sees.
        registry.add_filter_field(
            "school_list", registry.FilterField("cluster", cluster_filter_field)
        )
        for kind in (
            role_scopes.RoleScopeKind(
                "school", "Schools", 10, selectors.appointable_schools, access_school_by_urn
            ),
            role_scopes.RoleScopeKind(
                "cluster", "Clusters", 20, selectors.appointable_clusters, access_cluster
            ),
            role_scopes.RoleScopeKind(
                "programme", "Programmes", 30, selectors.appointable_programmes, access_programme
            ),
        ):
            role_scopes.register(kind)
