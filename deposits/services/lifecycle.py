"""The lives of unit and member accounts after opening, one module per topic; this module keeps the names
pages, APIs and tasks import from it.

- lifecycle_rules: which action makes which status move (deposits.states' tables), business records, who may act
- member_lifecycle: member seal, unseal/transfer in, freeze, unfreeze, changes
- unit_lifecycle: unit changes, seal, unseal, close
- unit_applications: deferral (缓缴) and ratio reduction (降比例) through the staff inbox
- voluntary_open: voluntary depositors (灵活就业)
"""

from django.db.models import QuerySet

from ..models import AccountEvent, MemberAccount, UnitAccount
from .lifecycle_rules import ACTION_LABELS, MEMBER_AUDIT, MEMBER_MOVES, UNIT_AUDIT, UNIT_MOVES  # noqa: F401
from .member_lifecycle import (  # noqa: F401
    member_account_change,
    member_account_freeze,
    member_account_seal,
    member_account_unfreeze,
    member_transfer_in,
)
from .unit_applications import (  # noqa: F401
    APPLICATION_FLOW,
    application_end,
    application_start,
    application_steps,
    backpay_months,
    months_between,
    unit_application_approve,
    unit_application_review,
    unit_application_submit,
    unit_application_withdraw,
    unit_applications_due_run,
    unit_applications_for_user,
    unit_backpay_settle,
)
from .unit_lifecycle import (  # noqa: F401
    UNIT_CHANGE_FIELDS,
    unit_account_change,
    unit_account_close,
    unit_account_seal,
    unit_account_unseal,
    unit_close_obstacles,
)
from .voluntary_open import special_unit_for_branch, voluntary_account_open, voluntary_eligibility  # noqa: F401


def unit_events(unit: UnitAccount) -> QuerySet[AccountEvent]:
    return unit.events.select_related("account__person", "actor", "from_unit__employer").order_by("-id")


def member_events(account: MemberAccount) -> QuerySet[AccountEvent]:
    return account.events.select_related("unit__employer", "from_unit__employer", "actor").order_by("-id")


