"""``clusterwork form-clusters``: propose clusters for a set of schools and write the proposal.

Examples::

    clusterwork form-clusters --la Surrey --min 3 --max 12 --target 5
    clusterwork form-clusters --programme "Science Clusters" --la Surrey --incremental
    clusterwork form-clusters --sites schools.csv --clusters 4 --need-phase Secondary

Nothing is written to the database: the proposal goes to ``--out`` as ``proposal.csv``,
``proposal.geojson`` and ``run.json`` (parameters, the exact inputs and the result, so the
proposal can be reproduced). Accepting a proposal into a programme is done on the web page.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.text import slugify

from clusterwork.core.errors import ServiceError
from clusterwork.formation import exports
from clusterwork.formation.proposal import clean_params, proposal_from_result, run_engine
from clusterwork.formation.selectors import (
    find_local_authority,
    find_trust,
    parse_urns,
    schools_for_selection,
)
from clusterwork.formation.services import SELECTION_PARAMETERS, default_params
from clusterwork.formation.sites import sites_from_csv, sites_from_schools, sites_to_inputs


class Command(BaseCommand):
    help = "Propose clusters of schools (by distance to a hub school) and write CSV and GeoJSON."

    def add_arguments(self, parser):
        pick = parser.add_argument_group("which schools")
        pick.add_argument("--trust", help="open schools of a trust (name or id)")
        pick.add_argument(
            "--programme", help="current members of a programme's clusters (name or id)"
        )
        pick.add_argument("--la", help="all open schools of a local authority (name or code)")
        pick.add_argument("--urns", help="comma-separated URNs")
        pick.add_argument(
            "--sites", help="CSV with urn or name, easting,northing or lat,lon, optional flag"
        )
        bounds = parser.add_argument_group("cluster sizes")
        bounds.add_argument("--min", type=int, dest="min_size", help="smallest cluster (default 3)")
        bounds.add_argument("--max", type=int, dest="max_size", help="largest cluster (default 12)")
        bounds.add_argument("--clusters", type=int, dest="n_clusters", help="number of clusters")
        bounds.add_argument("--target", type=float, dest="target_size", help="aim for this size")
        rules = parser.add_argument_group("constraints")
        rules.add_argument("--keep-trusts-together", action="store_true")
        rules.add_argument(
            "--need-phase", default="", help="every cluster needs a school of this phase"
        )
        rules.add_argument(
            "--need-flag",
            action="store_true",
            help="every cluster needs a site marked in the sites file's flag column",
        )
        rules.add_argument("--max-km", type=float, help="longest distance from school to hub")
        rules.add_argument(
            "--max-pupils",
            type=int,
            help="most pupils in a cluster (every school needs a number of pupils: the "
            "directory's, or a pupils column in --sites)",
        )
        rules.add_argument(
            "--incremental",
            action="store_true",
            help="keep today's clusters of --programme and place only the new schools",
        )
        rules.add_argument(
            "--move-cost",
            type=float,
            dest="move_cost_km",
            help="with --incremental: let a school move when that saves more than this many km",
        )
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", help="output directory (default var/formation/<name>-<time>)")

    def handle(self, *args, **options):
        try:
            return self._handle(options)
        except ServiceError as exc:
            raise CommandError(exc.text) from None

    def _handle(self, options):
        programme = self._programme(options["programme"]) if options["programme"] else None
        sources = [k for k in ("trust", "programme", "la", "urns", "sites") if options[k]]
        if not sources:
            raise CommandError(
                "Say which schools to cluster: --trust, --programme, --la, --urns or --sites."
            )
        if options["sites"] and len(set(sources) - {"programme"}) > 1:
            raise CommandError("--sites cannot be combined with --trust, --la or --urns.")
        if options["incremental"] and programme is None:
            raise CommandError("--incremental keeps today's clusters of a --programme; name one.")
        if options["sites"]:
            path = Path(options["sites"])
            if not path.is_file():
                raise CommandError(f"No such sites file: {path}")
            sites = sites_from_csv(path.read_text(encoding="utf-8-sig"), programme=programme)
        else:
            trust = find_trust(options["trust"]) if options["trust"] else None
            la = find_local_authority(options["la"]) if options["la"] else None
            urns = parse_urns(options["urns"]) if options["urns"] else []
            schools = schools_for_selection(
                programme=programme,
                programme_members=programme is not None,
                trust=trust,
                la=la,
                urns=urns,
            )
            if not schools:
                raise CommandError("The selection has no schools.")
            sites = sites_from_schools(schools, programme=programme)
        raw = {k: options[k] for k in SELECTION_PARAMETERS if options[k] is not None}
        params = clean_params(raw, defaults=default_params(programme))
        selection = " ".join(f"--{k}={options[k]}" for k in sources)

        def progress(seconds, objective, phase):
            if options["verbosity"] > 1:
                self.stderr.write(f"  {seconds:6.1f}s  {objective / 1000:,.1f} km  {phase}")

        result = run_engine(sites, params, progress=progress)
        if result["status"] not in ("optimal", "feasible"):
            raise CommandError(f"No clustering found: {result['message']}")
        proposal = proposal_from_result(sites, result)
        out = self._out_dir(options["out"], programme, sources, options)
        out.mkdir(parents=True, exist_ok=True)
        (out / "proposal.csv").write_text(exports.proposal_csv(sites, proposal), encoding="utf-8")
        (out / "proposal.geojson").write_text(
            exports.proposal_geojson_text(sites, proposal), encoding="utf-8"
        )
        record = {
            "parameters": params,
            "inputs": sites_to_inputs(sites, selection),
            "result": result,
            "programme": programme.name if programme else None,
        }
        (out / "run.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
        self._summary(proposal, result, sites)
        self.stdout.write(f"Wrote {out / 'proposal.csv'}, proposal.geojson and run.json")

    def _programme(self, value):
        from clusterwork.clusters.models import Programme

        value = value.strip()
        queryset = Programme.objects.filter(archived_at__isnull=True)
        programme = (
            queryset.filter(pk=int(value)).first() if value.isdigit() else None
        ) or queryset.filter(name__iexact=value).first()
        if programme is None:
            raise CommandError(f"No programme called or numbered “{value}”.")
        return programme

    def _out_dir(self, out, programme, sources, options) -> Path:
        if out:
            return Path(out)
        name = slugify(programme.name if programme else options.get(sources[0]) or "proposal")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return Path(settings.VAR_DIR) / "formation" / f"{name[:40] or 'proposal'}-{stamp}"

    def _summary(self, proposal, result, sites):
        write = self.stdout.write
        width = max([len(c.name) for c in proposal.clusters] + [7])
        write(
            f"{'#':>3}  {'cluster':<{width}}  {'size':>4}  {'pupils':>6}  {'mean km':>7}  "
            f"{'max km':>6}  hub"
        )
        for c in proposal.clusters:
            pupils = "-" if c.pupils is None else f"{c.pupils:,}"
            write(
                f"{c.index + 1:>3}  {c.name:<{width}}  {c.size:>4}  {pupils:>6}  "
                f"{c.mean_km:>7.2f}  {c.max_km:>6.2f}  {c.hub.name} ({c.hub.urn or '-'})"
            )
        sizes = [c.size for c in proposal.clusters]
        write("")
        write(f"Schools:            {len(sites)}")
        write(f"Clusters:           {len(sizes)} (sizes {min(sizes)}–{max(sizes)})")
        write(
            f"Distance to hub:    average {proposal.mean_km:.2f} km, "
            f"longest {proposal.max_km:.2f} km"
        )
        write(
            f"Moves vs today:     {len(proposal.moves)} moved, "
            f"{len(proposal.new_sites)} not in a cluster today"
        )
        objective = proposal.objective_km
        write(f"Objective:          {objective:,.2f} km in total")
        if proposal.lower_bound_km is not None:
            gap = f"{100 * proposal.gap:.2f}%" if proposal.gap is not None else "-"
            write(f"Lower bound:        {proposal.lower_bound_km:,.2f} km (gap {gap})")
        else:
            write("Lower bound:        none computed")
        write(
            f"Status:             {result['status']} — {result['message']} "
            f"({result['runtime']:.1f}s)"
        )
        for note in result.get("notes", []):
            write(f"Note: {note}")
