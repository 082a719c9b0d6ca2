from django.urls import path

from . import views, views_deployments

app_name = "sharedservices"

urlpatterns = [
    path("clusters/<int:pk>/", views.ClusterServices.as_view(), name="cluster_services"),
    path("clusters/<int:pk>/new/", views.ServiceNew.as_view(), name="service_new"),
    path("programmes/<int:pk>/", views.ProgrammeServices.as_view(), name="programme_services"),
    path(
        "programmes/<int:pk>/new/",
        views.ProgrammeServiceNew.as_view(),
        name="programme_service_new",
    ),
    path("<int:pk>/", views.ServiceDetail.as_view(), name="service_detail"),
    path("<int:pk>/agree/", views.ServiceAgree.as_view(), name="service_agree"),
    path("<int:pk>/terms/", views.ServiceTermsChange.as_view(), name="service_terms"),
    path("<int:pk>/percentages/", views.ServicePercentages.as_view(), name="service_percentages"),
    path("<int:pk>/hours/", views.ServiceHours.as_view(), name="service_hours"),
    path("<int:pk>/end/", views.ServiceEnd.as_view(), name="service_end"),
    path("<int:pk>/history/", views.ServiceHistory.as_view(), name="service_history"),
    path("statements/<int:urn>/<int:year>.<str:fmt>", views.statement, name="statement"),
    path(
        "clusters/<int:pk>/deployments/",
        views_deployments.ClusterDeployments.as_view(),
        name="cluster_deployments",
    ),
    path(
        "deployments/<int:pk>/",
        views_deployments.DeploymentDetail.as_view(),
        name="deployment_detail",
    ),
    path(
        "deployments/statements/<int:urn>/<int:year>.<str:fmt>",
        views_deployments.deployment_statement,
        name="deployment_statement",
    ),
]
