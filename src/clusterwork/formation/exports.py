"""Proposal exports: a CSV per school and a GeoJSON FeatureCollection (WGS84 points)."""

from __future__ import annotations

import csv
import io
import json

from .proposal import Proposal
from .sites import Site

CSV_COLUMNS = [
    "urn",
    "name",
    "pupils",
    "cluster",
    "cluster_name",
    "hub_urn",
    "hub_name",
    "is_hub",
    "distance_km",
    "current_cluster",
    "moved",
]


def _rows(sites: list[Site], proposal: Proposal):
    for i, site in enumerate(sites):
        cluster = proposal.clusters[proposal.cluster_of_site[i]]
        yield (
            site,
            cluster,
            {
                "urn": site.urn if site.urn is not None else "",
                "name": site.name,
                "pupils": "" if site.pupils is None else site.pupils,
                "cluster": cluster.index + 1,
                "cluster_name": cluster.name,
                "hub_urn": cluster.hub.urn if cluster.hub.urn is not None else "",
                "hub_name": cluster.hub.name,
                "is_hub": "yes" if cluster.hub is site else "no",
                "distance_km": f"{proposal.distance_km[i]:.2f}",
                "current_cluster": site.current_cluster,
                "moved": "yes"
                if site.current_cluster_id not in (None, cluster.existing_id)
                else "no",
            },
        )


def proposal_csv(sites: list[Site], proposal: Proposal) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for _, _, row in _rows(sites, proposal):
        writer.writerow(row)
    return out.getvalue()


def proposal_geojson(sites: list[Site], proposal: Proposal) -> dict:
    from pyproj import Transformer

    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    features = []
    for site, _cluster, row in _rows(sites, proposal):
        lon, lat = transformer.transform(site.easting, site.northing)
        properties = dict(row)
        properties["is_hub"] = row["is_hub"] == "yes"
        properties["moved"] = row["moved"] == "yes"
        properties["distance_km"] = float(row["distance_km"])
        properties["urn"] = site.urn
        properties["hub_urn"] = proposal.clusters[row["cluster"] - 1].hub.urn
        properties["phase"] = site.phase
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def proposal_geojson_text(sites: list[Site], proposal: Proposal) -> str:
    return json.dumps(proposal_geojson(sites, proposal), indent=1, ensure_ascii=False)
