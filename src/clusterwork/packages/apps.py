from clusterwork.core.registry import ContributingApp, Link, Section, Tab


class PackagesConfig(ContributingApp):
    name = "clusterwork.packages"
    verbose_name = "Support packages"
    tabs = {
        "cluster": [
            Tab(
                "Support package",
                "packages:cluster_packages",
                order=47,
                also_current=(
                    "packages:package_new",
                    "packages:package_detail",
                ),
            )
        ],
        "programme": [
            Tab(
                "Support packages",
                "packages:programme_packages",
                order=47,
                also_current=("packages:catalogue",),
            )
        ],
    }
    links = {"account": [Link("My caseload", "packages:caseload", order=47)]}
    sections = {
        "impact_cluster": [
            Section(
                "packages/_impact_cluster.html",
                "clusterwork.packages.plugins.impact_cluster",
                order=47,
            )
        ]
    }

    def ready(self):
        super().ready()
        from . import plugins

        plugins.register()
