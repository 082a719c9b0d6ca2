"""Shared services in the test ``world``: a service in alpha, a deployment between alpha's
schools."""

import datetime as dt

from clusterwork.people import services as people_services
from clusterwork.sharedservices import services
from clusterwork.sharedservices.models import SharedService

YEAR = 2024  # 2024/25: alpha's schools joined on 1 Sep 2024 (conftest START)


def alpha_service(w, *, method="equal", cost=1_000_000, agree=False, **extra):
    service = services.service_create(
        actor=None,
        programme=w.science,
        cluster=w.alpha,
        name=extra.pop("name", "Shared SENCo"),
        kind="senco",
        provider="school",
        provider_school=w.schools[0],
        annual_cost_pence=cost,
        method=method,
        start=dt.date(YEAR, 9, 1),
        **extra,
    )
    if agree:
        service = services.service_agree(actor=None, service=service, on=dt.date(YEAR, 9, 1))
    return service


def alpha_service_pk(w):
    existing = SharedService.objects.filter(cluster=w.alpha).first()
    return (existing or alpha_service(w, agree=True)).pk


def teacher(w, name="Tess Teacher", index=0):
    return people_services.person_create(
        actor=None, full_name=name, job_title="Teacher", school=w.schools[index]
    )


def alpha_deployment(w, **extra):
    from clusterwork.sharedservices.models import Deployment

    existing = Deployment.objects.filter(cluster=w.alpha).first()
    if existing and not extra:
        return existing
    return services.deployment_create(
        actor=None,
        cluster=w.alpha,
        person=extra.pop("person", None) or teacher(w),
        home_school=w.schools[0],
        host_school=w.schools[1],
        purpose="coaching",
        start=extra.pop("start", dt.date(2025, 1, 6)),
        end=extra.pop("end", dt.date(2025, 1, 20)),
        day_rate_pence=30_000,
        on_cost_percent=extra.pop("on_cost_percent", 25),
        **extra,
    )
