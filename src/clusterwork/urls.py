from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
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
    path("reports/", include("clusterwork.reports.urls")),
    path("funding/", include("clusterwork.funding.urls")),
    path("", include("clusterwork.packages.urls")),
    path("services/", include("clusterwork.sharedservices.urls")),
    path("", include("clusterwork.sharing.urls")),
    path("", include("clusterwork.resources.urls")),
    path("", include("clusterwork.governance.urls")),
]
