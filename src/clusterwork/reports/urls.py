from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("trusts/<int:pk>/", views.TrustDashboard.as_view(), name="trust_dashboard"),
    path("trusts/<int:pk>/board-pack.<str:fmt>", views.board_pack, name="board_pack"),
    path("programmes/<int:pk>/", views.ProgrammeDashboard.as_view(), name="programme_dashboard"),
    path(
        "programmes/<int:pk>/cohorts/<int:year>/",
        views.CohortDashboard.as_view(),
        name="cohort_dashboard",
    ),
    path(
        "programmes/<int:pk>/annual-report.<str:fmt>",
        views.programme_report,
        name="programme_report",
    ),
    path("clusters/<int:pk>/", views.ClusterDashboard.as_view(), name="cluster_dashboard"),
    path("clusters/<int:pk>/annual-report.<str:fmt>", views.cluster_report, name="cluster_report"),
    path("schools/<int:urn>/", views.school_dashboard, name="school_dashboard"),
    path("digest/", views.digest_settings, name="digest_settings"),
]
