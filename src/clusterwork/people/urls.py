from django.urls import path

from . import views

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/history/", views.person_history, name="person_history"),
    path("<int:pk>/roles/assign/", views.role_assign, name="role_assign"),
    path("<int:pk>/roles/<int:rpk>/end/", views.role_end, name="role_end"),
]
