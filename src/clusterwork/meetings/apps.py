from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Link, Section, Tab


class MeetingsConfig(ContributingApp):
    name = "clusterwork.meetings"
    personal_data = [
        linked_rows(
            app="meetings",
            label="Meetings, invitations, attendance, actions and engagement emails",
            models=(
                "meetings.Event",
                "meetings.Invitation",
                "meetings.Action",
                "meetings.EngagementEmail",
                "meetings.CalendarFeedToken",
            ),
            scrub={"meetings.EngagementEmail": ("to_email", "body")},
        )
    ]
    verbose_name = "Meetings, attendance and engagement"
    tabs = {
        "cluster": [
            Tab(
                "Meetings",
                "meetings:cluster_meetings",
                order=10,
                also_current=("meetings:event_create", "meetings:event_record"),
            ),
            Tab(
                "Engagement",
                "meetings:cluster_engagement",
                order=20,
                permission="meetings.view_engagement",
                also_current=("meetings:engagement_email",),
            ),
        ],
        "programme": [
            Tab(
                "Networking events",
                "meetings:programme_events",
                order=20,
                also_current=("meetings:programme_event_create", "meetings:programme_event_record"),
            ),
            Tab(
                "Engagement across clusters",
                "meetings:programme_engagement",
                order=25,
                permission="meetings.view_programme_engagement",
                also_current=("meetings:engagement_policy",),
            ),
        ],
    }
    links = {"account": [Link("My meetings", "meetings:my_invitations", order=10)]}
    sections = {
        "home": [
            Section(
                "meetings/_home_next.html",
                "clusterwork.meetings.selectors.home_next_meetings",
                order=10,
            )
        ]
    }

    def ready(self):
        super().ready()
        from . import engagement  # noqa: F401  (registers the built-in engagement signals)
