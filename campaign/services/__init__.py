"""Writes for the campaign app: object grants and users."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from campaign.models import AccessGrant, User


@transaction.atomic
def grant_object_access(
    *,
    user: User,
    obj: models.Model,
    granted_by: User,
    ends_at: dt.datetime,
    reason: str,
    action: str = "view",
    starts_at: dt.datetime | None = None,
) -> AccessGrant:
    """Open one object (and, for an enterprise, everything that belongs to it) to one user.

    Grants are explicit, time-boxed and audited: the guardian permission is
    what the access policy reads; the AccessGrant row says who granted it,
    why and until when.
    """
    starts_at = starts_at or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "失效时间必须晚于生效时间。"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写授权事由。"})
    meta = obj._meta
    permission = f"{meta.app_label}.{action}_{meta.model_name}"
    assign_perm(permission, user, obj)
    return AccessGrant.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        permission=permission,
        reason=reason.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        granted_by=granted_by,
    )


@transaction.atomic
def revoke_grant(*, grant: AccessGrant, at: dt.datetime | None = None) -> AccessGrant:
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at:
        return grant
    target: Any = grant.target
    if target is not None:
        # another still-active grant of the same permission keeps the key
        others = AccessGrant.objects.filter(
            user=grant.user,
            content_type=grant.content_type,
            object_pk=grant.object_pk,
            permission=grant.permission,
            revoked_at__isnull=True,
            ends_at__gt=at or timezone.now(),
        ).exclude(pk=grant.pk)
        if not others.exists():
            remove_perm(grant.permission, grant.user, target)
    grant.revoked_at = at or timezone.now()
    grant.save(update_fields=["revoked_at"])
    return grant


def revoke_expired_grants(*, now: dt.datetime | None = None) -> int:
    """Take away every grant whose time is over. Idempotent: the beat job runs it every 10 min."""
    now = now or timezone.now()
    expired = AccessGrant.objects.filter(revoked_at__isnull=True, ends_at__lte=now)
    count = 0
    for grant in expired.iterator():
        revoke_grant(grant=grant, at=now)
        count += 1
    return count
