from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "clusterwork.meetings"
    label = "meetings"
    verbose_name = "Meetings, attendance and engagement"

    def ready(self):
        from clusterwork.core import registry

        from . import engagement  # noqa: F401  (registers the built-in engagement signals)

        registry.add_tab(
            "cluster",
            registry.Tab(
                "Meetings",
                "meetings:cluster_meetings",
                order=10,
                also_current=("meetings:event_create", "meetings:event_record"),
            ),
        )
        registry.add_tab(
            "cluster",
            registry.Tab(
                "Engagement",
                "meetings:cluster_engagement",
                order=20,
                permission="meetings.view_engagement",
                also_current=("meetings:engagement_email",),
            ),
        )
        registry.add_tab(
            "programme",
            registry.Tab(
                "Networking events",
                "meetings:programme_events",
                order=20,
                also_current=("meetings:programme_event_create", "meetings:programme_event_record"),
            ),
        )
        registry.add_tab(
            "programme",
            registry.Tab(
                "Engagement across clusters",
                "meetings:programme_engagement",
                order=25,
                permission="meetings.view_programme_engagement",
                also_current=("meetings:engagement_policy",),
            ),
        )
        registry.add_link(
            "account", registry.Link("My meetings", "meetings:my_invitations", order=10)
        )
