from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "clusterwork.schools"
    label = "schools"

    def ready(self):
        from clusterwork.core import registry
        from clusterwork.people import role_scopes

        from .access import access_trust
        from .selectors import appointable_trusts

        registry.add_link("main", registry.Link("Schools", "school_list", order=30))
        role_scopes.register(
            role_scopes.RoleScopeKind(
                kind="trust",
                label="Trusts",
                order=40,
                choices=appointable_trusts,
                find=access_trust,
            )
        )
