from clusterwork.core.registry import ContributingApp, Link, Section, Tab


class GovernanceConfig(ContributingApp):
    name = "clusterwork.governance"
    verbose_name = "Boards, scheme of delegation, intervention and moves"
    tabs = {
        "cluster": [
            Tab(
                "Board",
                "governance:cluster_board",
                order=70,
                also_current=("governance:board_detail",),
            ),
        ]
    }
    links = {"main": [Link("Governance", "governance:home", order=60)]}
    sections = {
        "home": [
            Section(
                "governance/_home_due.html",
                "clusterwork.governance.selectors.home_due",
                order=30,
            )
        ]
    }

    def ready(self):
        super().ready()
        from . import registrations

        registrations.register_all()
