from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "clusterwork.people"
    label = "people"

    def ready(self):
        from clusterwork.core import registry

        registry.add_link("main", registry.Link("People", "person_list", order=40))
        registry.add_link("account", registry.Link("API tokens", "token_list", order=90))
