from django.urls import path

from . import views

urlpatterns = [
    path("", views.PersonList.as_view(), name="person_list"),
    path("me/tokens/", views.TokenList.as_view(), name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.TokenRevoke.as_view(), name="token_revoke"),
    path("<int:pk>/", views.PersonDetail.as_view(), name="person_detail"),
    path("<int:pk>/history/", views.PersonHistory.as_view(), name="person_history"),
    path("<int:pk>/roles/assign/", views.RoleAssign.as_view(), name="role_assign"),
    path("<int:pk>/roles/<int:rpk>/end/", views.RoleEnd.as_view(), name="role_end"),
    path(
        "<int:pk>/personal-data/",
        views.PersonalDataExport.as_view(),
        name="person_personal_data",
    ),
    path(
        "<int:pk>/personal-data/erase/",
        views.PersonalDataErase.as_view(),
        name="person_personal_data_erase",
    ),
    path(
        "personal-data/requests/",
        views.PersonalDataRequestList.as_view(),
        name="personal_data_requests",
    ),
    path("personal-data/", views.PersonalDataDpia.as_view(), name="personal_data_dpia"),
    path("audit/", views.AuditLog.as_view(), name="audit_log"),
]
