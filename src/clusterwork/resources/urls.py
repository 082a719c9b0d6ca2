from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path(
        "clusters/<int:pk>/resources/", views.ClusterResources.as_view(), name="cluster_resources"
    ),
    path("clusters/<int:pk>/resources/new/", views.ResourceCreate.as_view(), name="resource_new"),
    path("resources/<int:pk>/", views.ResourceDetail.as_view(), name="resource_detail"),
    path("resources/<int:pk>/photo/", views.resource_photo, name="resource_photo"),
    path("loans/<int:pk>/check-out/", views.LoanCheckOut.as_view(), name="loan_checkout"),
    path("loans/<int:pk>/return/", views.LoanReturn.as_view(), name="loan_return"),
    path("loans/<int:pk>/cancel/", views.LoanCancel.as_view(), name="loan_cancel"),
]
