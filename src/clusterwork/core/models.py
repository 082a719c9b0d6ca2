"""Base models shared by every domain app."""

import hashlib
import operator
import secrets
from functools import reduce

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .audit import user_or_none


def exactly_one_of(*fields: str) -> models.Q:
    """A check constraint's condition: exactly one of ``fields`` is set (a role is held for
    one programme, trust, cluster or school)."""
    return reduce(
        operator.or_, (models.Q(**{f"{f}__isnull": f != one for f in fields}) for one in fields)
    )


class WithPage:
    """A model with a page of its own: ``page_url`` names its URL, reversed with its pk (or
    with the field ``page_key`` names, e.g. a school's URN)."""

    page_url = ""
    page_key = "pk"

    def get_absolute_url(self) -> str:
        return reverse(self.page_url, args=[getattr(self, self.page_key)])


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class HashedKeyModel(TimeStampedModel):
    """A secret key handed out once (an API token, a calendar feed's key): only its SHA-256
    is stored, so a leaked database leaks no usable key. Subclasses add the owner and a
    ``prefix`` (the key's first characters, shown to tell keys apart)."""

    KEY_PREFIX = ""  # marks what kind of key it is when one turns up in a log or a paste

    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.KEY_PREFIX + secrets.token_urlsafe(32)


class ArchivableQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class ArchivableModel(models.Model):
    """Nothing is deleted: an archived row stays, with who archived it and when."""

    archived_at = models.DateTimeField(null=True, blank=True, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def mark_archived(self, actor) -> None:
        self.archived_at = timezone.now()
        self.archived_by = user_or_none(actor)
