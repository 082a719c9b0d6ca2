from clusterwork.core.registry import ContributingApp, Link, Section, Tab


class FundingConfig(ContributingApp):
    name = "clusterwork.funding"
    verbose_name = "Funding and claims"
    tabs = {
        "cluster": [
            Tab(
                "Funding",
                "funding:cluster_funding",
                order=45,
                also_current=("funding:budget_new", "funding:claim_new"),
            )
        ],
        "programme": [
            Tab("Funding", "funding:programme_funding", order=45),
            Tab("Money unspent", "funding:programme_unspent", order=46),
        ],
    }
    sections = {
        "impact_cluster": [
            Section(
                "funding/sections/impact_cluster.html",
                "clusterwork.funding.registrations.impact_cluster",
                order=40,
            )
        ],
        "move_proposal": [
            Section(
                "funding/sections/move_proposal.html",
                "clusterwork.funding.registrations.move_proposal",
                order=40,
            )
        ],
    }
    links = {"main": [Link("Claims", "funding:claim_list", order=45)]}

    def ready(self):
        super().ready()
        from . import registrations

        registrations.register_all()
