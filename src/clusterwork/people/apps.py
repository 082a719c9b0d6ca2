from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "clusterwork.people"
    label = "people"
