from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("claims/", views.ClaimRegister.as_view(), name="claim_list"),
    path("clusters/<int:pk>/", views.cluster_funding, name="cluster_funding"),
    path("clusters/<int:pk>/budgets/new/", views.BudgetCreate.as_view(), name="budget_new"),
    path("clusters/<int:pk>/claims/new/", views.ClaimCreate.as_view(), name="claim_new"),
    path(
        "clusters/<int:pk>/schools/<int:school_pk>/statement.<str:fmt>",
        views.member_statement,
        name="statement",
    ),
    path("budgets/<int:pk>/", views.BudgetDetail.as_view(), name="budget_detail"),
    path("budgets/<int:pk>/variations/new/", views.VariationCreate.as_view(), name="variation_new"),
    path("budgets/<int:pk>/close/", views.BudgetClose.as_view(), name="budget_close"),
    path("budgets/<int:pk>/carry-over/", views.BudgetCarryOver.as_view(), name="budget_carry_over"),
    path("claims/<int:pk>/", views.ClaimDetail.as_view(), name="claim_detail"),
    path("claims/<int:pk>/evidence/", views.claim_evidence_file, name="claim_evidence"),
    path("claims/<int:pk>/evidence/new/", views.ClaimEvidence.as_view(), name="claim_attach"),
    path("claims/<int:pk>/submit/", views.ClaimSubmit.as_view(), name="claim_submit"),
    path("claims/<int:pk>/withdraw/", views.ClaimWithdraw.as_view(), name="claim_withdraw"),
    path("claims/<int:pk>/approve/", views.ClaimApprove.as_view(), name="claim_approve"),
    path("claims/<int:pk>/reject/", views.ClaimReject.as_view(), name="claim_reject"),
    path("claims/<int:pk>/pay/", views.ClaimPay.as_view(), name="claim_pay"),
    path("claims/<int:pk>/reimburse/", views.ClaimReimburse.as_view(), name="claim_reimburse"),
    path("meetings/<int:pk>/claims/", views.ClaimsFromRegister.as_view(), name="register_claims"),
    path("programmes/<int:pk>/", views.programme_funding, name="programme_funding"),
    path("programmes/<int:pk>/unspent/", views.programme_unspent, name="programme_unspent"),
    path("programmes/<int:pk>/set-up/", views.FundingModelInstall.as_view(), name="model_install"),
    path("programmes/<int:pk>/rules/", views.RulesEdit.as_view(), name="rules_edit"),
    path("lead-schools/", views.my_lead_schools, name="lead_school_list"),
    path("lead-schools/<int:pk>/", views.lead_school, name="lead_school"),
]
