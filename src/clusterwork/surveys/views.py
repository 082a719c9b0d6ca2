"""Self-assessment pages: questionnaires, rounds, answering, and a cluster's shared needs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.clusters.selectors import clusters_visible_to
from clusterwork.core.access import require_perm
from clusterwork.core.htmx import add_service_error

from . import services
from .access import access_questionnaire, access_response, access_round
from .forms import QuestionForm, QuestionnaireForm, RoundForm, response_form
from .models import MIN_RESPONDENTS, Round
from .selectors import (
    compare_rounds,
    is_school_staff,
    questionnaires_visible_to,
    responses_of,
    round_progress,
    rounds_visible_to,
    shared_needs,
)


def programme_surveys(request, pk):
    programme = access_programme(request.user, pk)
    can_manage = request.user.has_perm("clusters.change_programme", programme)
    form = QuestionnaireForm()
    if request.method == "POST":
        require_perm(request.user, "clusters.change_programme", programme)
        if request.POST.get("action") == "install-default":
            questionnaire = services.questionnaire_install_default(
                actor=request.user, programme=programme
            )
            return redirect("questionnaire_detail", pk=questionnaire.pk)
        form = QuestionnaireForm(request.POST)
        if form.is_valid():
            try:
                questionnaire = services.questionnaire_create(
                    actor=request.user, programme=programme, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return redirect("questionnaire_detail", pk=questionnaire.pk)
    return render(
        request,
        "surveys/programme.html",
        {
            "programme": programme,
            "can_manage": can_manage,
            "form": form,
            "questionnaires": questionnaires_visible_to(request.user).filter(programme=programme),
            "rounds": rounds_visible_to(request.user).filter(questionnaire__programme=programme),
        },
    )


def questionnaire_detail(request, pk):
    questionnaire = access_questionnaire(request.user, pk)
    programme = questionnaire.programme
    can_manage = request.user.has_perm("surveys.manage_questionnaire", questionnaire)
    clusters = clusters_visible_to(request.user).filter(programme=programme).order_by("name")
    question_form = QuestionForm(areas=questionnaire.areas.all())
    round_form = RoundForm(clusters=clusters)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "send-round":
            round_form = RoundForm(request.POST, clusters=clusters)
            cluster = round_form.data.get("cluster")
            target = clusters.filter(pk=cluster).first() if cluster else None
            allowed = can_manage or (
                target and request.user.has_perm("clusters.change_cluster", target)
            )
            if not allowed:
                raise PermissionDenied("You may see this but not change it.")
            if round_form.is_valid():
                try:
                    round_ = services.round_open(
                        actor=request.user, questionnaire=questionnaire, **round_form.cleaned_data
                    )
                except ValidationError as error:
                    add_service_error(round_form, error)
                else:
                    messages.success(
                        request, f"Sent to {round_.responses.count()} subject leaders."
                    )
                    return redirect("round_detail", pk=round_.pk)
        else:
            require_perm(request.user, "surveys.manage_questionnaire", questionnaire)
            question_form = QuestionForm(request.POST, areas=questionnaire.areas.all())
            if question_form.is_valid():
                try:
                    services.question_add(
                        actor=request.user,
                        questionnaire=questionnaire,
                        **question_form.cleaned_data,
                    )
                except ValidationError as error:
                    add_service_error(question_form, error)
                else:
                    messages.success(request, "Question added.")
                    return redirect("questionnaire_detail", pk=questionnaire.pk)
    areas = questionnaire.areas.prefetch_related("questions")
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "areas": areas,
            "can_manage": can_manage,
            "question_form": question_form,
            "round_form": round_form,
            "can_send": can_manage
            or any(request.user.has_perm("clusters.change_cluster", c) for c in clusters),
        },
    )


def round_detail(request, pk):
    round_ = access_round(request.user, pk)
    can_manage = request.user.has_perm("surveys.manage_round", round_)
    if request.method == "POST":
        require_perm(request.user, "surveys.manage_round", round_)
        try:
            if request.POST.get("action") == "close":
                services.round_close(actor=request.user, round_=round_)
                messages.success(request, "Round closed.")
            else:
                waiting = services.round_remind(actor=request.user, round_=round_)
                messages.success(request, f"Reminders are on their way to {waiting} people.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("round_detail", pk=round_.pk)
    progress = round_progress(round_)
    visible = set(clusters_visible_to(request.user).values_list("pk", flat=True))
    return render(
        request,
        "surveys/round.html",
        {
            "round": round_,
            "can_manage": can_manage,
            "progress": [p for p in progress if p["cluster_id"] in visible],
        },
    )


def my_questionnaires(request):
    return render(request, "surveys/mine.html", {"responses": responses_of(request.user)})


def response_fill(request, pk):
    response = access_response(request.user, pk)
    questions = list(
        response.round.questionnaire.questions.select_related("area").order_by(
            "area__order", "order"
        )
    )
    initial = {}
    for answer in response.answers.all():
        value = answer.rating if answer.rating is not None else (answer.choice or answer.text)
        initial[f"q{answer.question_id}"] = str(value)
    form = response_form(questions, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = {q.pk: form.cleaned_data.get(f"q{q.pk}") for q in questions}
        try:
            services.response_submit(actor=request.user, response=response, answers=answers)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Thank you — your self-assessment has been returned.")
            return redirect("my_questionnaires")
    return render(
        request,
        "surveys/response.html",
        {
            "response": response,
            "form": form,
            "closed": response.round.status != Round.Status.OPEN,
        },
    )


def cluster_needs(request, pk):
    cluster = access_cluster(request.user, pk)
    rounds = list(
        rounds_visible_to(request.user)
        .filter(questionnaire__programme=cluster.programme)
        .filter(responses__cluster=cluster)
        .distinct()
        .order_by("-opens_on", "-id")
    )
    chosen = next((r for r in rounds if str(r.pk) == request.GET.get("round")), None)
    if chosen is None and rounds:
        # Open on the newest round that has results to show, not an empty one just sent.
        with_results = (r for r in rounds if not shared_needs(cluster, r).suppressed)
        chosen = next(with_results, rounds[0])
    needs = shared_needs(cluster, chosen) if chosen else None
    comparison = compare_rounds(cluster, chosen.questionnaire) if chosen else None
    own = None
    school_id = request.GET.get("school")
    if chosen and school_id and school_id.isdigit():
        if not is_school_staff(request.user, int(school_id)):
            raise PermissionDenied("A school's own answers are shown only to its staff.")
        own = compare_rounds(cluster, chosen.questionnaire, school_id=int(school_id))
    return render(
        request,
        "surveys/needs.html",
        {
            "cluster": cluster,
            "rounds": rounds,
            "round": chosen,
            "needs": needs,
            "comparison": comparison,
            "own": own,
            "min_respondents": MIN_RESPONDENTS,
            "own_schools": [
                m.school
                for m in cluster.memberships.current().select_related("school")
                if is_school_staff(request.user, m.school_id)
            ],
        },
    )
