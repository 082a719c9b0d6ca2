import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clusterwork.resources import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name="box.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def themed_box(world, *, shared_with=(), with_photo=False, name="Space themed box"):
    return services.resource_create(
        actor=None,
        cluster=world.alpha,
        name=name,
        kind="themed_box",
        owner_school=world.schools[0],
        location="Science cupboard, main building",
        description="Planets, a star projector and investigation cards for year 5.",
        photo=photo() if with_photo else None,
        shared_with=shared_with,
    )


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def book(resource, school, start, end, **extra):
    return services.loan_book(
        actor=extra.pop("actor", None),
        resource=resource,
        school=school,
        start=start,
        end=end,
        **extra,
    )
