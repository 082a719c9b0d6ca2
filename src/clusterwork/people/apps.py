from clusterwork.core.registry import ContributingApp, Link


class PeopleConfig(ContributingApp):
    name = "clusterwork.people"
    links = {
        "main": [Link("People", "person_list", order=40)],
        "account": [Link("API tokens", "token_list", order=90)],
    }
