from clusterwork.core.personal_data import linked_rows
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
    # Rows that record who set up, proposed or recorded them (votes and board seats have
    # their own entries in registrations.py).
    personal_data = [
        linked_rows(
            app="governance",
            label="Boards, meetings, decisions and rules set up or recorded",
            models=(
                "governance.Board",
                "governance.BoardMeeting",
                "governance.Decision",
                "governance.InspectionOutcome",
                "governance.LgbAgreement",
                "governance.LgbArrangement",
                "governance.Motion",
                "governance.Mou",
                "governance.MoveProposal",
                "governance.Partner",
                "governance.SchemeVersion",
                "governance.SchoolCategory",
                "governance.TriggerRule",
            ),
        )
    ]
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
