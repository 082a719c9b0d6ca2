from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "clusterwork.meetings"
    label = "meetings"
    verbose_name = "Meetings, attendance and engagement"

    def ready(self):
        from . import engagement  # noqa: F401  (registers the built-in engagement signals)
