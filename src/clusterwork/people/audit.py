"""The audit trail a trust or programme admin reads: who changed what, when and why, from the
history every app already records (django-simple-history), with sign-ins and failed
sign-ins, filtered to what the admin runs.

The people app knows no other app, so it finds the history tables through the model
registry and decides, from each model's own foreign keys, which rows belong to the admin's
scope: a row about a cluster, programme or trust they run (directly, or one step away: an
invitation's meeting's cluster), or, for people's own tables, about a person they see. A
model with none of those (the public GIAS directory, the imports) is shown to superusers
only.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from .models import Person, Role, SignInEvent
from .scopes import scope_for

# How many rows the page and its exports reach back: the newest, after the filters.
MAX_ROWS = 5000
NAME_FIELDS = ("full_name", "name", "title", "email")
SIGN_INS = "sign-in"
_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class AuditRow:
    when: dt.datetime
    who: str
    app: str
    what: str  # the kind of object
    object_id: int | None
    object_label: str
    action: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def changes_text(self) -> str:
        return "; ".join(f"{name}: {old} → {new}" for name, old, new in self.changes)


@dataclass(frozen=True)
class AuditScope:
    """The ids an admin audits, as subqueries (a national programme has thousands of people,
    too many for a literal ``IN`` list)."""

    everything: bool
    programme_ids: object = None
    cluster_ids: object = None
    trust_ids: frozenset[int] = frozenset()
    person_ids: object = None

    @property
    def any(self) -> bool:
        return self.everything or self.programme_ids is not None


def audit_scope(user) -> AuditScope:
    """What ``user`` audits: everything (a superuser), or the programmes they (or their trust)
    run as programme or trust admin, with those programmes' clusters and people."""
    if user.is_superuser:
        return AuditScope(everything=True)
    scope = scope_for(user)
    programme_model = apps.get_model("clusters", "Programme")
    cluster_model = apps.get_model("clusters", "Cluster")
    programmes = programme_model.objects.filter(scope.changeable_programme_filter())
    trusts = frozenset(scope.ids("trust", roles=[Role.TRUST_ADMIN]))
    if not trusts and not programmes.exists():
        return AuditScope(everything=False)
    return AuditScope(
        everything=False,
        programme_ids=programmes.values("pk"),
        cluster_ids=cluster_model.objects.filter(programme__in=programmes).values("pk"),
        trust_ids=trusts,
        person_ids=Person.objects.filter(scope.person_filter()).values("pk"),
    )


def audited_models() -> list:
    """Every model whose changes are recorded, in a stable order."""
    found = []
    for model in apps.get_models():
        attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        if attribute:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _target(model) -> str | None:
    label = model._meta.label
    return {
        "clusters.Cluster": "cluster",
        "clusters.Programme": "programme",
        "schools.Trust": "trust",
        "people.Person": "person",
    }.get(label)


@cache
def scope_paths(model) -> tuple[tuple[str, str], ...]:
    """(lookup, kind) pairs: the row of ``model`` is in scope when ``lookup`` is one of the
    scope's ids of ``kind``. Its own id for a cluster, programme, trust or person; then its
    foreign keys to those; then, when it has none, one step further (an invitation's meeting)."""
    own = _target(model)
    if own:
        return (("id", own),)

    def direct(m, prefix=""):
        paths = []
        for f in m._meta.concrete_fields:
            if not f.many_to_one or f.name.endswith("_by") or f.name == "history_user":
                continue
            kind = _target(f.related_model)
            if kind == "person" and model._meta.app_label != "people":
                continue  # another app's row is in scope through its cluster, not a person
            if kind:
                paths.append((f"{prefix}{f.attname}", kind))
        return paths

    paths = direct(model)
    if not paths:
        for f in model._meta.concrete_fields:
            if f.many_to_one and not f.name.endswith("_by") and _target(f.related_model) is None:
                paths += [
                    (lookup, kind)
                    for lookup, kind in direct(f.related_model, f"{f.name}__")
                    if kind in ("cluster", "programme")
                ]
    return tuple(paths)


def _scope_q(model, scope: AuditScope) -> Q | None:
    if scope.everything:
        return Q()
    if not scope.any:
        return None
    ids = {
        "cluster": scope.cluster_ids,
        "programme": scope.programme_ids,
        "trust": scope.trust_ids,
        "person": scope.person_ids,
    }
    condition = None
    for lookup, kind in scope_paths(model):
        values = sorted(ids[kind]) if isinstance(ids[kind], frozenset) else ids[kind]
        part = Q(**{f"{lookup}__in": values})
        condition = part if condition is None else condition | part
    return condition


def _label(obj) -> str:
    for name in NAME_FIELDS:
        value = getattr(obj, name, None)
        if value:
            return str(value)[:120]
    return ""


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)[:200]


class AuditTrail:
    """The filtered rows, newest first, as a sequence the paginator and the exports slice:
    only the slice asked for is read in full (with its field-level changes)."""

    def __init__(self, user, *, who="", app="", model="", object_id=None, since=None, until=None):
        self.scope = audit_scope(user)
        self.filters = dict(who=who, app=app, model=model, object_id=object_id)
        self.since, self.until = since, until
        self._keys = None

    # ----- which rows ---------------------------------------------------------------------

    def _date_q(self, name: str) -> Q:
        condition = Q()
        zone = timezone.get_current_timezone()
        if self.since:
            start = dt.datetime.combine(self.since, dt.time.min, tzinfo=zone)
            condition &= Q(**{f"{name}__gte": start})
        if self.until:
            end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            condition &= Q(**{f"{name}__lt": end})
        return condition

    def _history_querysets(self):
        app, model_label = self.filters["app"], self.filters["model"]
        for model in audited_models():
            if app and app != SIGN_INS and model._meta.app_label != app:
                continue
            if app == SIGN_INS or (model_label and model._meta.label != model_label):
                continue
            condition = _scope_q(model, self.scope)
            if condition is None:
                continue  # nothing of this kind is in the admin's scope
            manager = getattr(model, model._meta.simple_history_manager_attribute)
            rows = manager.filter(condition & self._date_q("history_date"))
            if self.filters["object_id"]:
                rows = rows.filter(id=self.filters["object_id"])
            who = self.filters["who"]
            if who:
                rows = rows.filter(
                    Q(history_user__email__icontains=who)
                    | Q(history_user__full_name__icontains=who)
                )
            yield model, rows

    def _sign_ins(self):
        if self.filters["app"] not in ("", SIGN_INS) or self.filters["model"]:
            return None
        rows = SignInEvent.objects.filter(self._date_q("at"))
        if not self.scope.everything:
            if not self.scope.any:
                return None
            rows = rows.filter(user__person__in=self.scope.person_ids)
        if self.filters["who"]:
            rows = rows.filter(email__icontains=self.filters["who"])
        return rows

    def keys(self) -> list[tuple]:
        """(when, tie-breaker, model or None, row id) of the newest MAX_ROWS rows."""
        if self._keys is None:
            streams = []
            for model, rows in self._history_querysets():
                newest = rows.order_by("-history_date", "-history_id").values_list(
                    "history_date", "history_id"
                )[:MAX_ROWS]
                streams.append([(when, pk, model, pk) for when, pk in newest])
            sign_ins = self._sign_ins()
            if sign_ins is not None:
                newest = sign_ins.order_by("-at", "-id").values_list("at", "id")[:MAX_ROWS]
                streams.append([(when, pk, None, pk) for when, pk in newest])
            merged = heapq.merge(*streams, key=lambda k: (k[0], k[1]), reverse=True)
            self._keys = [key for _, key in zip(range(MAX_ROWS), merged, strict=False)]
        return self._keys

    @property
    def truncated(self) -> bool:
        return len(self.keys()) >= MAX_ROWS

    def __len__(self) -> int:
        return len(self.keys())

    def count(self) -> int:
        return len(self)

    def __iter__(self):
        step = 500
        for start in range(0, len(self), step):
            yield from self[start : start + step]

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        keys = self.keys()[index]
        by_model: dict = {}
        for _, _, model, pk in keys:
            by_model.setdefault(model, []).append(pk)
        rows = {}
        for model, pks in by_model.items():
            if model is None:
                for event in SignInEvent.objects.filter(pk__in=pks).select_related("user"):
                    rows[(None, event.pk)] = self._sign_in_row(event)
            else:
                manager = getattr(model, model._meta.simple_history_manager_attribute)
                for record in manager.filter(history_id__in=pks).select_related("history_user"):
                    rows[(model, record.history_id)] = self._history_row(model, record)
        return [rows[(model, pk)] for _, _, model, pk in keys]

    # ----- one row ------------------------------------------------------------------------

    @staticmethod
    def _history_row(model, record) -> AuditRow:
        changes = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                changes = [
                    (c.field, _text(c.old), _text(c.new))
                    for c in record.diff_against(previous).changes
                ]
        user = record.history_user
        return AuditRow(
            when=record.history_date,
            who=(user.get_full_name() or user.email) if user else "system",
            app=model._meta.app_config.verbose_name,
            what=str(model._meta.verbose_name),
            object_id=record.id,
            object_label=_label(record),
            action=_ACTIONS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            changes=changes,
        )

    @staticmethod
    def _sign_in_row(event) -> AuditRow:
        who = event.email or (event.user.email if event.user else "unknown")
        detail = f" ({event.method})" if event.method else ""
        where = f" from {event.ip_address}" if event.ip_address else ""
        return AuditRow(
            when=event.at,
            who=who,
            app="Sign-ins",
            what="sign-in",
            object_id=event.user_id,
            object_label=who,
            action=f"{event.get_kind_display().lower()}{detail}{where}",
        )


def audit_app_choices() -> list[tuple[str, str]]:
    seen = {}
    for model in audited_models():
        config = model._meta.app_config
        seen.setdefault(config.label, str(config.verbose_name))
    return [*sorted(seen.items(), key=lambda item: item[1]), (SIGN_INS, "Sign-ins")]


def audit_model_choices() -> list[tuple[str, str]]:
    return [
        (m._meta.label, f"{m._meta.app_config.verbose_name}: {m._meta.verbose_name}")
        for m in audited_models()
    ]
