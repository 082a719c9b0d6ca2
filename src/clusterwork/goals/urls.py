from django.urls import path

from . import views

urlpatterns = [
    path("clusters/<int:pk>/plan/", views.ClusterPlan.as_view(), name="cluster_plan"),
    path("clusters/<int:pk>/goals/new/", views.GoalCreate.as_view(), name="goal_new"),
    path("clusters/<int:pk>/projects/new/", views.ProjectCreate.as_view(), name="project_new"),
    path(
        "clusters/<int:pk>/achievements/new/",
        views.AchievementCreate.as_view(),
        name="achievement_new",
    ),
    path("clusters/<int:pk>/successes/", views.timeline, name="cluster_successes"),
    path(
        "clusters/<int:pk>/successes/newsletter.<str:fmt>",
        views.newsletter,
        name="cluster_newsletter",
    ),
    path("goals/<int:pk>/", views.GoalDetail.as_view(), name="goal_detail"),
    path("projects/<int:pk>/", views.ProjectDetail.as_view(), name="project_detail"),
]
