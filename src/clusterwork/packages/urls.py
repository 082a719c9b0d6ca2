from django.urls import path

from . import views

app_name = "packages"

urlpatterns = [
    path("clusters/<int:pk>/packages/", views.ClusterPackages.as_view(), name="cluster_packages"),
    path("clusters/<int:pk>/packages/new/", views.PackageCreate.as_view(), name="package_new"),
    path("packages/<int:pk>/", views.PackageDetail.as_view(), name="package_detail"),
    path(
        "packages/<int:pk>/renegotiate/",
        views.PackageRenegotiate.as_view(),
        name="package_renegotiate",
    ),
    path("packages/<int:pk>/deliveries/new/", views.DeliveryCreate.as_view(), name="delivery_new"),
    path(
        "packages/<int:pk>/memberships/new/",
        views.MembershipCreate.as_view(),
        name="membership_new",
    ),
    path(
        "deliveries/<int:pk>/withdraw/",
        views.DeliveryWithdraw.as_view(),
        name="delivery_withdraw",
    ),
    path("programmes/<int:pk>/packages/", views.programme_packages, name="programme_packages"),
    path("programmes/<int:pk>/package-items/", views.Catalogue.as_view(), name="catalogue"),
    path("packages/caseload/", views.caseload, name="caseload"),
]
