from django.urls import path

from . import views, views_engagement

app_name = "meetings"

urlpatterns = [
    path("mine/", views.my_invitations, name="my_invitations"),
    path("cluster/<int:pk>/", views.ClusterMeetings.as_view(), name="cluster_meetings"),
    path("cluster/<int:pk>/new/", views.EventCreate.as_view(), name="event_create"),
    path("cluster/<int:pk>/record/", views.EventRecord.as_view(), name="event_record"),
    path("programme/<int:pk>/", views.ProgrammeEvents.as_view(), name="programme_events"),
    path(
        "programme/<int:pk>/new/",
        views.ProgrammeEventCreate.as_view(),
        name="programme_event_create",
    ),
    path(
        "programme/<int:pk>/record/",
        views.ProgrammeEventRecord.as_view(),
        name="programme_event_record",
    ),
    path("<int:pk>/", views.EventDetail.as_view(), name="event_detail"),
    path("<int:pk>/invite/", views.event_invite, name="event_invite"),
    path("<int:pk>/attendance/", views.EventAttendance.as_view(), name="event_attendance"),
    path("<int:pk>/minutes/", views.EventMinutes.as_view(), name="event_minutes"),
    path("<int:pk>/actions/", views.ActionCreate.as_view(), name="action_create"),
    path("<int:pk>/rsvp/", views.EventRsvp.as_view(), name="event_rsvp"),
    path("<int:pk>/cancel/", views.EventCancel.as_view(), name="event_cancel"),
    path("actions/<int:pk>/status/", views.ActionStatus.as_view(), name="action_status"),
    path(
        "engagement/cluster/<int:pk>/",
        views_engagement.cluster_engagement,
        name="cluster_engagement",
    ),
    path(
        "engagement/cluster/<int:pk>/school/<int:school_pk>/email/",
        views_engagement.EngagementEmail.as_view(),
        name="engagement_email",
    ),
    path(
        "engagement/programme/<int:pk>/",
        views_engagement.programme_engagement,
        name="programme_engagement",
    ),
    path(
        "engagement/programme/<int:pk>/rule/",
        views_engagement.EngagementPolicy.as_view(),
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
