from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("clusterwork.api.urls")),
    path("", include("clusterwork.core.urls")),
    path("", include("clusterwork.dashboard.urls")),
    path("schools/", include("clusterwork.schools.urls")),
    path("people/", include("clusterwork.people.urls")),
    path("", include("clusterwork.clusters.urls")),
    path("formation/", include("clusterwork.formation.urls")),
    path("meetings/", include("clusterwork.meetings.urls")),
    path("", include("clusterwork.stages.urls")),
    path("", include("clusterwork.goals.urls")),
    path("", include("clusterwork.surveys.urls")),
    path("", include("clusterwork.circumstances.urls")),
    path("", include("clusterwork.governance.urls")),
]
