from django.urls import path

from . import views

urlpatterns = [
    path("clusters/<int:pk>/plan/", views.plan, name="cluster_plan"),
    path("clusters/<int:pk>/goals/new/", views.goal_new, name="goal_new"),
    path("clusters/<int:pk>/projects/new/", views.project_new, name="project_new"),
    path("clusters/<int:pk>/achievements/new/", views.achievement_new, name="achievement_new"),
    path("clusters/<int:pk>/successes/", views.timeline, name="cluster_successes"),
    path(
        "clusters/<int:pk>/successes/newsletter.<str:fmt>",
        views.newsletter,
        name="cluster_newsletter",
    ),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
]
