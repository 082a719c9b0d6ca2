from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    # the library
    path("sharing/library/", views.LibraryList.as_view(), name="item_list"),
    path("clusters/<int:pk>/library/", views.ClusterLibrary.as_view(), name="cluster_library"),
    path("clusters/<int:pk>/library/new/", views.ItemCreate.as_view(), name="item_new"),
    path("sharing/items/<int:pk>/", views.ItemDetail.as_view(), name="item_detail"),
    path("sharing/items/<int:pk>/edit/", views.ItemEdit.as_view(), name="item_edit"),
    path("sharing/items/<int:pk>/versions/new/", views.VersionCreate.as_view(), name="version_new"),
    path(
        "sharing/items/<int:pk>/versions/<int:version_pk>/download/",
        views.version_download,
        name="version_download",
    ),
    path("sharing/items/<int:pk>/archive/", views.ItemArchive.as_view(), name="item_archive"),
    # discussion
    path("clusters/<int:pk>/discussion/", views.ClusterThreads.as_view(), name="cluster_threads"),
    path(
        "programmes/<int:pk>/discussion/",
        views.ProgrammeThreads.as_view(),
        name="programme_threads",
    ),
    path("sharing/threads/<int:pk>/", views.ThreadDetail.as_view(), name="thread_detail"),
    path("sharing/threads/<int:pk>/pin/", views.ThreadPin.as_view(), name="thread_pin"),
    path("sharing/threads/<int:pk>/close/", views.ThreadArchive.as_view(), name="thread_archive"),
    path("sharing/threads/<int:pk>/mute/", views.ThreadMute.as_view(), name="thread_mute"),
    path("sharing/posts/<int:pk>/withdraw/", views.PostWithdraw.as_view(), name="post_withdraw"),
    path("sharing/notifications/", views.Notifications.as_view(), name="notification_list"),
    # peer coaching
    path("clusters/<int:pk>/coaching/", views.cluster_coaching, name="cluster_coaching"),
    path("clusters/<int:pk>/coaching/new/", views.CoachingCreate.as_view(), name="coaching_new"),
    path("sharing/coaching/<int:pk>/", views.CoachingDetail.as_view(), name="coaching_detail"),
    path("sharing/coaching/<int:pk>/end/", views.CoachingEnd.as_view(), name="coaching_end"),
    # partners
    path("clusters/<int:pk>/partners/", views.ClusterPartners.as_view(), name="cluster_partners"),
    path(
        "programmes/<int:pk>/partners/",
        views.ProgrammePartners.as_view(),
        name="programme_partners",
    ),
    path("sharing/partners/<int:pk>/", views.PartnerDetail.as_view(), name="partner_detail"),
    path(
        "sharing/partners/<int:pk>/archive/",
        views.PartnerArchive.as_view(),
        name="partner_archive",
    ),
    # what was shared, counted
    path("clusters/<int:pk>/shared/", views.cluster_shared, name="cluster_shared"),
]
