from django.urls import path

from . import views, views_engagement

app_name = "meetings"

urlpatterns = [
    path("mine/", views.my_invitations, name="my_invitations"),
    path("cluster/<int:pk>/", views.cluster_meetings, name="cluster_meetings"),
    path("cluster/<int:pk>/new/", views.event_create, name="event_create"),
    path("cluster/<int:pk>/record/", views.event_record, name="event_record"),
    path("programme/<int:pk>/", views.programme_events, name="programme_events"),
    path("programme/<int:pk>/new/", views.programme_event_create, name="programme_event_create"),
    path(
        "programme/<int:pk>/record/",
        views.programme_event_record,
        name="programme_event_record",
    ),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/invite/", views.event_invite, name="event_invite"),
    path("<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("<int:pk>/minutes/", views.event_minutes, name="event_minutes"),
    path("<int:pk>/actions/", views.action_create, name="action_create"),
    path("<int:pk>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path(
        "engagement/cluster/<int:pk>/",
        views_engagement.cluster_engagement,
        name="cluster_engagement",
    ),
    path(
        "engagement/cluster/<int:pk>/school/<int:school_pk>/email/",
        views_engagement.engagement_email,
        name="engagement_email",
    ),
    path(
        "engagement/programme/<int:pk>/",
        views_engagement.programme_engagement,
        name="programme_engagement",
    ),
    path(
        "engagement/programme/<int:pk>/rule/",
        views_engagement.engagement_policy,
        name="engagement_policy",
    ),
    path("calendar/", views_engagement.calendar_feeds, name="calendar_feeds"),
    path("calendar/token/", views_engagement.calendar_token, name="calendar_token"),
    path("feed/<str:key>/mine.ics", views_engagement.feed_user, name="feed_user"),
    path(
        "feed/<str:key>/cluster/<int:pk>.ics",
        views_engagement.feed_cluster,
        name="feed_cluster",
    ),
    path(
        "feed/<str:key>/programme/<int:pk>.ics",
        views_engagement.feed_programme,
        name="feed_programme",
    ),
]
