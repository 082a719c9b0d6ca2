from clusterwork.core.registry import ContributingApp, Link, Section, Tab


class SharingConfig(ContributingApp):
    name = "clusterwork.sharing"
    verbose_name = "Sharing practice: library, discussion, coaching, partners"
    tabs = {
        "cluster": [
            Tab(
                "Library",
                "sharing:cluster_library",
                order=40,
                also_current=(
                    "sharing:item_new",
                    "sharing:item_detail",
                    "sharing:item_edit",
                    "sharing:version_new",
                ),
            ),
            Tab(
                "Discussion",
                "sharing:cluster_threads",
                order=41,
                also_current=("sharing:thread_detail",),
            ),
            Tab(
                "Coaching",
                "sharing:cluster_coaching",
                order=42,
                also_current=("sharing:coaching_new", "sharing:coaching_detail"),
            ),
            Tab("Partners", "sharing:cluster_partners", order=43),
            Tab("What was shared", "sharing:cluster_shared", order=44),
        ],
        "programme": [
            Tab(
                "Coordinators' discussion",
                "sharing:programme_threads",
                order=30,
                permission="sharing.read_programme_threads",
            ),
            Tab("Partners", "sharing:programme_partners", order=31),
        ],
    }
    links = {
        "main": [Link("Library", "sharing:item_list", order=35)],
        "account": [Link("Notifications", "sharing:notification_list", order=15)],
    }
    sections = {
        "home": [
            Section(
                "sharing/_home_sharing.html", "clusterwork.sharing.contributions.home", order=30
            )
        ],
        "impact_cluster": [
            Section(
                "sharing/_impact.html", "clusterwork.sharing.contributions.impact_cluster", order=40
            )
        ],
        "impact_school": [
            Section(
                "sharing/_impact.html", "clusterwork.sharing.contributions.impact_school", order=40
            )
        ],
    }

    def ready(self):
        super().ready()
        from . import contributions

        contributions.register()
