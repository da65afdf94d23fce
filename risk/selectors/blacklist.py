"""Reading the blacklist.

`blacklist_check` is the one interface every business line calls before it accepts a withdrawal or a
loan. The staff readers answer "not found" to anyone who is not staff: the blacklist is centre-wide, so
every member of staff may read it, and nobody else may (the public sees only units, on the public page).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fund.audit.models import AuditEvent
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404
from fund.workflow.models import WorkItem
from fund.workflow.services import work_open_item

from ..models import BAN_FIELDS, BlacklistEntry, BlacklistEntryQuerySet, Business, SubjectKind


def blacklist_check(
    *, id_number: str = "", credit_code: str = "", business: str, on: date | None = None
) -> BlacklistEntry | None:
    """The entry that bars `business` ("withdrawal" or "loan") for this person or unit on `on` (today).

    Checks the person by `id_number`, the unit by `credit_code` (either or both). Of several entries in
    force the one ending last is returned, so its `refusal_message` gives the date the applicant may come
    back; None means nothing on the blacklist stands in the way. The returned entry remembers the business
    it was checked for, and its `refusal_message` names that business.
    """
    if business not in BAN_FIELDS:
        raise ValueError(f"unknown business {business!r}; expected one of {sorted(BAN_FIELDS)}")
    id_number = (id_number or "").strip().upper()
    credit_code = (credit_code or "").strip().upper()
    if not id_number and not credit_code:
        # A silent None would let an applicant through: calling without a subject is a bug in the caller.
        raise ValueError("blacklist_check needs an id_number or a credit_code")
    subject = Q(pk__in=[])
    if id_number:
        subject |= Q(subject_kind=SubjectKind.PERSON, id_number=id_number)
    if credit_code:
        subject |= Q(subject_kind=SubjectKind.UNIT, credit_code=credit_code)
    on = on or timezone.localdate()
    entry = (
        BlacklistEntry.objects.in_force(on)
        .filter(subject, **{BAN_FIELDS[Business(business)]: True})
        .order_by("-until", "-id")
        .first()
    )
    if entry is not None:
        entry.checked_business = business
    return entry


def blacklist_can_manage(user: Any) -> bool:
    """风控/清收 or a director may list and lift; other staff read only."""
    roles = roles_of(user)
    return roles.has_post(Post.RISK) or roles.has_post(Post.DIRECTOR)


def blacklist_sees_full_ids(user: Any) -> bool:
    """Who sees resident ID numbers whole: the officers who act on the list. Others see them masked."""
    return blacklist_can_manage(user)


def blacklist_entries_for_user(user: Any) -> BlacklistEntryQuerySet:
    if not getattr(user, "is_authenticated", False) or not roles_of(user).is_staff:
        return BlacklistEntry.objects.none()
    return BlacklistEntry.objects.select_related("listed_by", "lifted_by")


def blacklist_entry_get_for_user(user: Any, pk: Any) -> BlacklistEntry:
    return get_or_404(blacklist_entries_for_user(user), pk=pk)


def public_units(on: date | None = None) -> QuerySet[BlacklistEntry]:
    """Units in force and marked for disclosure: the public page. Persons are never disclosed."""
    return (
        BlacklistEntry.objects.in_force(on or timezone.localdate())
        .filter(subject_kind=SubjectKind.UNIT, public=True)
        .order_by("-listed_on", "-id")
    )


@dataclass(frozen=True)
class LiftRequest:
    """An entry's open lift request (申请解除): who asked, why, and by when it is to be decided."""

    item: WorkItem
    reason: str


def blacklist_lift_request_open(entry: BlacklistEntry) -> LiftRequest | None:
    item = work_open_item(entry)
    if item is None:
        return None
    asked = AuditEvent.objects.filter(
        action="risk.blacklist.lift_requested", target_type=entry._meta.label_lower, target_id=str(entry.pk)
    ).order_by("-id").first()
    return LiftRequest(item=item, reason=asked.reason if asked is not None else "")
