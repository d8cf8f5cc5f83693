"""The one access policy: which rows a user may see, and whether they may change one.

Every page, API endpoint, export, PDF and background job asks this module;
nothing else filters by region. Two sources decide:

1. the region hierarchy — province-wide roles see everything, city staff
   their city, county staff their county, enterprise users their own
   enterprises;
2. explicit object grants held in django-guardian (an expert on one
   inspection, a visiting team on one enterprise), merged in here so that
   callers never ask guardian themselves. A grant on an enterprise opens
   the rows of that enterprise that declare `enterprise_grants`.

The two meanings of "belongs to an enterprise" are declared apart: the
enterprise's own users see a row (`enterprise_users`: always, never, or only
rows matching a condition, e.g. an inspection once its record is submitted),
and a grant on the enterprise opens it (`enterprise_grants`: a visiting team
sees what the enterprise itself does not, such as internal review records).
A user's active grants are read once per request (`RequestCacheMiddleware`).

Each scoped model declares how to reach its region with `access_paths`.
A model without it, or a user without a role, sees nothing (fail closed).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from campaign.models import Region

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class AccessPaths:
    """Lookups from a model to what decides its visibility; unset paths grant nothing.

    county / city: to the county-level and city-level `Region` foreign keys;
    enterprise: to the `enterprises.Enterprise` the row belongs to ("pk" on
    Enterprise itself); owner: to a user who always sees the row they own.
    """

    county: str | None = None
    city: str | None = None
    enterprise: str | None = None
    # the enterprise's own users see the row: always (True), never (False), or rows matching a Q
    enterprise_users: bool | Q = True
    # a grant on the enterprise (a visiting team, stage 5) opens the row
    enterprise_grants: bool = True
    # visible exactly where one of these related rows is visible (evidence: its answer, line, problem)
    via: tuple[str, ...] = ()
    owner: str | None = None
    # only the owner sees the row, whatever their reach (a background job and its file)
    owner_only: bool = False
    # roles that see every row of the model whatever their region (the patrol group on integrity)
    all_for: frozenset[str] = frozenset()
    # if set, no other role sees any row, province included (complaints: patrol and province only)
    only_roles: frozenset[str] | None = None
    # reference data every signed-in user may read (calendar, published documents)
    public: bool = False
    # parents whose object grants also open this row (an expert on an inspection sees its lines)
    grant_via: tuple[str, ...] = ()
    # a path to a time before which only province-wide users see the row, whatever else opens it
    # (a verification sample is confidential until its release) ...
    embargo: str | None = None
    # ... but for the users of this city (a path to a city `Region`: the organiser of a city round)
    organiser: str | None = None
    # roles that see the rows matching a condition whatever their region (the patrol group: the
    # accountability records that concern integrity)
    rows_for: tuple[tuple[str, Q], ...] = ()


class Reach(enum.Enum):
    ALL = "all"
    CITY = "city"
    COUNTY = "county"
    ENTERPRISE = "enterprise"
    GRANTS_ONLY = "grants_only"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Jurisdiction:
    reach: Reach
    region_id: int | None = None


def jurisdiction(user: Any) -> Jurisdiction:
    """The user's reach, computed once per user object (so once per request)."""
    cached = getattr(user, "_jurisdiction", None)
    if cached is not None:
        return cached
    result = _compute_jurisdiction(user)
    if getattr(user, "is_authenticated", False):
        user._jurisdiction = result
    return result


def _compute_jurisdiction(user: Any) -> Jurisdiction:
    from campaign.models import User

    Role = User.Role
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Jurisdiction(Reach.NOTHING)
    if user.is_superuser:
        return Jurisdiction(Reach.ALL)
    if user.role in (Role.PROVINCE, Role.ADMIN):
        return Jurisdiction(Reach.ALL)
    if user.role == Role.CITY and user.region_id:
        return Jurisdiction(Reach.CITY, user.region_id)
    if user.role == Role.COUNTY and user.region_id:
        return Jurisdiction(Reach.COUNTY, user.region_id)
    if user.role == Role.ENTERPRISE:
        return Jurisdiction(Reach.ENTERPRISE)
    if user.role in (Role.EXPERT, Role.PATROL):
        return Jurisdiction(Reach.GRANTS_ONLY)
    return Jurisdiction(Reach.NOTHING)


def _paths(model: type[models.Model]) -> AccessPaths:
    paths = getattr(model, "access_paths", None)
    if not isinstance(paths, AccessPaths):
        raise ImproperlyConfigured(
            f"{model.__name__} has no access_paths: declare how the access policy reaches it."
        )
    return paths


def _related_model(model: type[models.Model], path: str) -> type[models.Model]:
    if path == "pk":
        return model
    current = model
    for part in path.split("__"):
        current = current._meta.get_field(part).related_model
    return current


_request_cache: ContextVar[dict | None] = ContextVar("access_request_cache", default=None)


class RequestCacheMiddleware:
    """What the policy would otherwise read again on every `visible()` call of one request (the
    user's active grants) is read once and kept for the request only: a grant made or expired
    in between takes effect with the next request, and work outside requests always reads anew."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_cache.set({})
        try:
            return self.get_response(request)
        finally:
            _request_cache.reset(token)


def _active_grants(user: Any) -> dict[tuple[str, int], set[str]]:
    """(permission, content type id) → primary keys opened to the user now.

    A grant counts only inside its window (starts_at ≤ now < ends_at, not revoked) and while
    guardian still holds the permission: the guardian permission is the key, the AccessGrant
    row the time box; the beat job only tidies up.
    """
    cache = _request_cache.get()
    if cache is not None and ("grants", user.pk) in cache:
        return cache[("grants", user.pk)]
    from django.utils import timezone
    from guardian.models import UserObjectPermission

    from campaign.models import AccessGrant

    now = timezone.now()
    current = AccessGrant.objects.filter(
        user=user, revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    ).values_list("permission", "content_type_id", "object_pk")
    grants: dict[tuple[str, int], set[str]] = defaultdict(set)
    current = list(current)
    if current:
        held = {
            (f"{app}.{codename}", ct, pk)
            for app, codename, ct, pk in UserObjectPermission.objects.filter(user=user).values_list(
                "permission__content_type__app_label",
                "permission__codename",
                "content_type_id",
                "object_pk",
            )
        }
        for permission, ct, pk in current:
            if (permission, ct, pk) in held:
                grants[(permission, ct)].add(pk)
    result = dict(grants)
    if cache is not None:
        cache[("grants", user.pk)] = result
    return result


def _granted(user: Any, model: type[models.Model], action: str) -> Q:
    """Rows opened to the user by grants, on the row itself, its enterprise or a declared parent."""
    from django.contrib.contenttypes.models import ContentType

    paths = _paths(model)
    targets = [("pk", model)]
    if paths.enterprise and paths.enterprise != "pk" and paths.enterprise_grants:
        targets.append((paths.enterprise, _related_model(model, paths.enterprise)))
    for parent in paths.grant_via:
        targets.append((parent, _related_model(model, parent)))
    grants = _active_grants(user)
    condition = Q(pk__in=[])
    if not grants:
        return condition
    for path, target in targets:
        perm = f"{target._meta.app_label}.{action}_{target._meta.model_name}"
        pks = grants.get((perm, ContentType.objects.get_for_model(target).pk))
        if not pks:
            continue
        ids = [target._meta.pk.to_python(pk) for pk in pks]
        lookup = "pk__in" if path == "pk" else f"{path}__in"
        condition |= Q(**{lookup: ids})
    return condition


def visible(user: Any, queryset: QuerySet[M], action: str = "view") -> QuerySet[M]:
    """The rows of `queryset` this user may see (action "view") or act on (e.g. "change").

    For actions other than "view", region reach still decides where; the
    caller asks `may` (role permission) for what.
    """
    model = queryset.model
    paths = _paths(model)
    reach = jurisdiction(user)
    if reach.reach is Reach.NOTHING:
        return queryset.none()
    role = "admin" if user.is_superuser else user.role
    if paths.only_roles is not None and role not in paths.only_roles:
        return queryset.none()
    if paths.owner_only:
        return queryset.filter(**{paths.owner: user})
    if reach.reach is Reach.ALL or role in paths.all_for or (paths.public and action == "view"):
        return queryset
    condition = Q(pk__in=[])
    if reach.reach is Reach.CITY and paths.city:
        condition |= Q(**{f"{paths.city}_id": reach.region_id})
    elif reach.reach is Reach.COUNTY and paths.county:
        condition |= Q(**{f"{paths.county}_id": reach.region_id})
    elif (
        reach.reach is Reach.ENTERPRISE and paths.enterprise and paths.enterprise_users is not False
    ):
        lookup = "pk__in" if paths.enterprise == "pk" else f"{paths.enterprise}__in"
        own = Q(**{lookup: user.enterprises.values("pk")})
        if isinstance(paths.enterprise_users, Q):
            own &= paths.enterprise_users
        condition |= own
    if paths.owner:
        condition |= Q(**{paths.owner: user.pk if paths.owner == "pk" else user})
    for path in paths.via:
        related = _related_model(model, path)
        opened = visible(user, related._default_manager.all(), action).values("pk")
        condition |= Q(pk__in=model._default_manager.filter(**{f"{path}__in": opened}).values("pk"))
    condition |= _granted(user, model, action)
    for rows_role, rows in paths.rows_for:
        if rows_role == role:
            condition |= rows
    if paths.embargo:
        from django.utils import timezone

        condition &= Q(**{f"{paths.embargo}__lte": timezone.now()})
        if reach.reach is Reach.CITY and paths.organiser:
            condition |= Q(**{f"{paths.organiser}_id": reach.region_id})
    return queryset.filter(condition)


def get_visible_or_404(user: Any, queryset: QuerySet[M], **lookup: Any) -> M:
    """The one way to fetch a single scoped object: out of scope is "not found"."""
    try:
        return visible(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该对象，或不在您的管辖范围内。") from exc


def may(user: Any, action: str, obj: models.Model) -> bool:
    """May `user` do `action` (change, delete, …) on this object?

    Role decides what (model permission), region and grants decide where.
    The caller has already fetched `obj` through `visible`, so a "no" here
    is a 403 on something the user can see, never a leak.
    """
    meta = obj._meta
    perm = f"{meta.app_label}.{action}_{meta.model_name}"
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if user.has_perm(perm):
        return visible(user, rows, action).exists()
    # a current object grant for this very action also allows it
    return (
        getattr(user, "is_authenticated", False)
        and rows.filter(_granted(user, type(obj), action)).exists()
    )


def region_in_reach(user: Any, region: Region) -> bool:
    """May this user create or move something to `region` (a county-level area)?

    Checked on the *target* of every create or move, so a constrained user
    cannot write outside their scope.
    """
    reach = jurisdiction(user)
    if reach.reach is Reach.ALL:
        return True
    if reach.reach is Reach.CITY:
        return region.pk == reach.region_id or region.parent_id == reach.region_id
    if reach.reach is Reach.COUNTY:
        return region.pk == reach.region_id
    return False


def regions_in_reach(user: Any, queryset: QuerySet[Region]) -> QuerySet[Region]:
    """The regions this user may pick in a form field or filter (choice fields go through here)."""
    reach = jurisdiction(user)
    if reach.reach is Reach.ALL:
        return queryset
    if reach.reach is Reach.CITY:
        return queryset.filter(Q(pk=reach.region_id) | Q(parent_id=reach.region_id))
    if reach.reach is Reach.COUNTY:
        return queryset.filter(Q(pk=reach.region_id) | Q(children__pk=reach.region_id)).distinct()
    return queryset.none()
