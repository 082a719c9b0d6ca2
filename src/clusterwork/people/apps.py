from clusterwork.core.registry import ContributingApp, Link, Section

from . import personal_data


class PeopleConfig(ContributingApp):
    name = "clusterwork.people"
    links = {
        "main": [Link("People", "person_list", order=40)],
        "account": [Link("API tokens", "token_list", order=90)],
    }
    sections = {
        "home": [
            Section(
                "people/_home_oversight.html",
                "clusterwork.people.selectors.home_oversight",
                order=90,
            )
        ]
    }
    personal_data = personal_data.ENTRIES

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401  (connects the sign-in log)
