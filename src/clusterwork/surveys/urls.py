from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<int:pk>/self-assessment/", views.programme_surveys, name="programme_surveys"),
    path("self-assessment/mine/", views.my_questionnaires, name="my_questionnaires"),
    path(
        "self-assessment/questionnaires/<int:pk>/",
        views.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path("self-assessment/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path(
        "self-assessment/responses/<int:pk>/",
        views.ResponseFill.as_view(),
        name="survey_response",
    ),
    path("clusters/<int:pk>/self-assessment/", views.ClusterNeeds.as_view(), name="cluster_needs"),
]
