"""Formation pages: start a run, watch it, compare the proposal with today, accept or discard;
and the what-if page for trying a change to a programme's clusters before saving it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_programme
from clusterwork.clusters.models import Cluster
from clusterwork.core.errors import error_text
from clusterwork.core.views import ObjectDetailView, ServiceFormView, is_htmx, render_page
from clusterwork.schools.models import School

from . import exports, services
from .access import access_run
from .forms import StartRunForm, WhatIfForm
from .models import FormationRun
from .proposal import proposal_from_result
from .selectors import programme_runs, whatif_view
from .sites import latlon_from_bng, sites_from_inputs

# Forming clusters shows every school of the programme and where it would go: only for
# those who may change the programme's clusters.
FORM_CLUSTERS = "formation.form_clusters"

PALETTE = [
    "#1b6ca8",
    "#d1495b",
    "#2e8540",
    "#edae49",
    "#6a4c93",
    "#00798c",
    "#b5651d",
    "#c2185b",
    "#4f772d",
    "#8d6e63",
    "#3d5a80",
    "#e07a5f",
]


class RunList(ObjectDetailView):
    """A programme's formation runs: for those who may change its clusters (a run lists
    every school of the programme and where it would go)."""

    template_name = "formation/run_list.html"

    def get_object(self):
        return access_programme(self.request.user, self.kwargs["pk"], perm=FORM_CLUSTERS)

    def page_context(self):
        return {"runs": programme_runs(self.request.user, self.object)}


class RunNew(ServiceFormView):
    access = access_programme
    permission = FORM_CLUSTERS
    form_class = StartRunForm
    service = services.formation_run_for_selection
    template_name = "formation/run_new.html"
    success_message = "Run {result.pk} started with {result.site_count} schools."

    def get_initial(self):
        programme = self.object
        return {
            "min_size": programme.min_cluster_size,
            "max_size": programme.max_cluster_size,
            "target_size": programme.target_cluster_size,
            "include_members": True,
            "time_limit": 30,
            "seed": 0,
        }


def _estimate(run: FormationRun) -> int:
    """Percent done for the progress bar: the engine reports only improvements, so elapsed
    time against the time limit fills the gaps."""
    if run.status in FormationRun.FINISHED:
        return 100
    if run.status == FormationRun.Status.QUEUED or run.started_at is None:
        return 0
    limit = float(run.parameters.get("time_limit") or 30)
    elapsed = (timezone.now() - run.started_at).total_seconds()
    return max(run.progress, min(99, int(100 * elapsed / limit)))


def _points(sites, colour_of, label_of, hub_urns=frozenset()):
    points = []
    for i, site in enumerate(sites):
        key = colour_of(i)
        if key is None:
            continue
        lat, lng = latlon_from_bng(site.easting, site.northing)
        points.append(
            {
                "lat": lat,
                "lng": lng,
                "name": site.name,
                "urn": site.urn,
                "cluster": label_of(i),
                "colour": PALETTE[key % len(PALETTE)],
                "hub": site.urn in hub_urns if site.urn is not None else False,
            }
        )
    return points


def _run_context(request, run):
    sites = sites_from_inputs(run.inputs)
    context = {
        "run": run,
        "programme": run.programme,
        "percent": _estimate(run),
        "can_change": request.user.has_perm("formation.change_formationrun", run),
        "sites": sites,
    }
    if run.result.get("labels"):
        existing = []
        if run.programme is not None:
            existing = list(
                Cluster.objects.active()
                .filter(programme=run.programme)
                .values_list("name", flat=True)
            )
        proposal = proposal_from_result(sites, run.result, existing_names=existing)
        hub_urns = {c.hub.urn for c in proposal.clusters}
        labels = proposal.cluster_of_site
        today_ids = sorted({s.current_cluster_id for s in sites if s.current_cluster_id})
        order = {cid: n for n, cid in enumerate(today_ids)}
        # A proposed cluster that keeps today's cluster keeps its colour, so the two maps
        # can be compared at a glance; new clusters take the colours nobody uses yet.
        spare = iter(range(len(today_ids), len(today_ids) + len(proposal.clusters)))
        colour_key = [
            order[c.existing_id] if c.existing_id in order else next(spare)
            for c in proposal.clusters
        ]
        for cluster, key in zip(proposal.clusters, colour_key, strict=True):
            cluster.colour = PALETTE[key % len(PALETTE)]
        context["proposal"] = proposal
        context["proposed_points"] = _points(
            sites,
            lambda i: colour_key[labels[i]],
            lambda i: proposal.clusters[labels[i]].name,
            hub_urns,
        )
        context["today_points"] = _points(
            sites,
            lambda i: order.get(sites[i].current_cluster_id),
            lambda i: sites[i].current_cluster,
        )
        context["today_count"] = len(today_ids)
    return context


def run_detail(request, pk):
    run = access_run(request.user, pk)
    if is_htmx(request) and request.GET.get("poll") and not run.is_active:
        # The run finished between polls: reload the whole page to show the proposal.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render_page(
        request, "formation/run_detail.html", _run_context(request, run), partial="status"
    )


class _RunDecision(ServiceFormView):
    """Accept, discard or re-run: refused, the run's page says why."""

    http_method_names = ["post"]
    access = access_run
    permission = "formation.change_formationrun"
    service_argument = "run"
    template_name = "formation/run_detail.html"

    def page_context(self, **bound):
        return _run_context(self.request, self.object)


class RunAccept(_RunDecision):
    service = services.formation_run_accept
    success_message = (
        "The proposal was applied to the clusters of {result.programme}. "
        "Moved schools start in their new cluster today."
    )


class RunDiscard(_RunDecision):
    service = services.formation_run_discard
    success_message = "The proposal was discarded."


class RunRerun(_RunDecision):
    service = services.formation_run_rerun
    success_message = "Run {result.pk} started with the same inputs."


def run_export(request, pk, fmt):
    run = access_run(request.user, pk)
    sites = sites_from_inputs(run.inputs)
    proposal = proposal_from_result(sites, run.result) if run.result.get("labels") else None
    if proposal is None:
        return HttpResponse(
            "This run has no proposal to export.", status=404, content_type="text/plain"
        )
    if fmt == "csv":
        response = HttpResponse(exports.proposal_csv(sites, proposal), content_type="text/csv")
    else:
        response = HttpResponse(
            exports.proposal_geojson_text(sites, proposal), content_type="application/geo+json"
        )
    response["Content-Disposition"] = f'attachment; filename="formation-run-{run.pk}.{fmt}"'
    return response


# ----- what-if ------------------------------------------------------------------------------


def _parse_changes(programme, values):
    """Pending changes travel in the form as ``urn:cluster_id`` (no server-side state)."""
    pairs = []
    for value in values:
        urn, _, cluster_id = value.partition(":")
        if urn.isdigit() and cluster_id.isdigit():
            pairs.append((int(urn), int(cluster_id)))
    schools = {s.urn: s for s in School.objects.filter(urn__in=[u for u, _ in pairs])}
    clusters = Cluster.objects.active().filter(programme=programme).in_bulk([c for _, c in pairs])
    latest = {}
    for urn, cluster_id in pairs:  # a later change of the same school replaces the earlier
        if urn in schools and cluster_id in clusters:
            latest[urn] = (schools[urn], clusters[cluster_id])
    return list(latest.values())


def whatif(request, pk):
    """Try changes to a programme's clusters before saving them. Pending changes travel in
    the form; only "save" writes, in one transaction. Only those who may change the
    programme's clusters see its clusters here (their schools and distances)."""
    programme = access_programme(request.user, pk, perm=FORM_CLUSTERS)
    changes = _parse_changes(programme, request.POST.getlist("change"))
    form = WhatIfForm(programme=programme)
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        if action == "save":
            try:
                with transaction.atomic():
                    programme = access_programme(request.user, pk, perm=FORM_CLUSTERS, lock=True)
                    count = services.whatif_apply(
                        actor=request.user, programme=programme, changes=changes
                    )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(
                    request,
                    f"Saved {count} change{'s' if count != 1 else ''} to the clusters of "
                    f"{programme}.",
                )
                return redirect("formation:whatif", pk=programme.pk)
        elif action == "add":
            form = WhatIfForm(request.POST, programme=programme)
            if form.is_valid():
                school = School.objects.filter(urn=form.cleaned_data["urn"]).first()
                if school is None:
                    form.add_error("urn", f"No school has URN {form.cleaned_data['urn']}.")
                else:
                    changes = [c for c in changes if c[0].pk != school.pk]
                    changes.append((school, form.cleaned_data["cluster"]))
                    form = WhatIfForm(programme=programme)
        elif action == "clear":
            changes = []
    try:
        clusters, unlocated = whatif_view(programme, request.user, changes)
    except ValidationError as error:
        messages.error(request, error_text(error))
        changes = []
        clusters, unlocated = whatif_view(programme, request.user, changes)
    if is_htmx(request):
        # Keyboard users stay in the form after the board is swapped (htmx honours autofocus).
        form.fields["urn"].widget.attrs["autofocus"] = True
    context = {
        "programme": programme,
        "form": form,
        "changes": changes,
        "clusters": clusters,
        "unlocated": unlocated,
        "can_change": True,
        "action_url": reverse("formation:whatif", args=[programme.pk]),
    }
    return render_page(request, "formation/whatif.html", context, partial="board")
