from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Link


class SchoolsConfig(ContributingApp):
    name = "clusterwork.schools"
    personal_data = [
        linked_rows(
            app="schools",
            label="Trust records archived and GIAS imports started",
            models=("schools.Trust", "schools.GiasImport"),
        )
    ]
    links = {"main": [Link("Schools", "school_list", order=30)]}

    def ready(self):
        super().ready()
        from clusterwork.people import role_scopes

        from .access import access_trust
        from .selectors import appointable_trusts

        role_scopes.register(
            role_scopes.RoleScopeKind("trust", "Trusts", 40, appointable_trusts, access_trust)
        )
