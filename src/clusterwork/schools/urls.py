from django.urls import path

from . import views

urlpatterns = [
    path("", views.SchoolList.as_view(), name="school_list"),
    path("trusts/<int:pk>/", views.trust_detail, name="trust_detail"),
    path("<int:urn>/", views.school_detail, name="school_detail"),
    path("<int:urn>/history/", views.SchoolHistory.as_view(), name="school_history"),
]
