"""What each business line pays out for, registered in its AppConfig.ready() (fund never imports a business
line): the ledger accounts a paid attempt moves between, and the hooks that do the business's part of each
outcome in the same transaction as the payment's move.

    register_purpose(Purpose(code="withdrawals.payout", label="提取付款", debit_account=chart.WITHDRAWAL_PAYABLE,
                             on_paid=..., on_refused=..., on_retry=...))

A purpose whose paid entry touches a control account (a loan disbursement debits 委托贷款 111) names the
sub-ledger movements of that entry with `movements`; the payments service posts them in the same entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fund.ledger import chart

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fund.ledger.models import JournalEntry
    from fund.ledger.services import Movement

    from .models import Payment, PaymentAttempt


@dataclass(frozen=True)
class NextAttempt:
    """What a business changes for the next attempt (None/"" keeps the last one's): a closing withdrawal's
    amount grows by the interest to the day; a clerk may name a new card; `hold_entry` sets the money aside."""

    amount: Decimal | None = None
    payee_account: str = ""
    payee_name: str = ""
    hold_entry: JournalEntry | None = None


@dataclass(frozen=True)
class Purpose:
    code: str  # "withdrawals.payout"
    label: str  # "提取付款"
    debit_account: str  # where the money waits until the bank pays it: 221, 231 …
    credit_account: str = chart.BANK
    # True: a refusal schedules the next attempt by itself (back-off by policy), and after the last one the
    # payment goes to people. False: every refusal goes to people at once (a unit's or a centre's account that
    # the bank refused needs someone to put it right before trying again).
    retries: bool = True
    # The reference of attempt n (n ≥ 2); default: the first attempt's reference + R01, R02 …
    reference: Callable[[Payment, int], str] | None = None
    # The sub-ledger movements of the paid entry (Dr debit_account / Cr credit_account), when either is a control
    # account: e.g. the loan's sub-account under 111 grows by what was lent. Called under the payment's lock,
    # before the entry is posted; the entry is refused unless the movements match the control account's lines.
    movements: Callable[[Payment, PaymentAttempt], Sequence[Movement]] | None = None
    on_paid: Callable[[Payment, PaymentAttempt], None] | None = None
    # Returns the entry that put the attempt's money back (its reversal), if any, kept as the attempt's settlement.
    on_refused: Callable[[Payment, PaymentAttempt], JournalEntry | None] | None = None
    on_handed_off: Callable[[Payment, Any], None] | None = None
    # Runs under the payment's lock before the next attempt is made; may raise ValidationError to refuse it.
    on_retry: Callable[[Payment, int, Any], NextAttempt | None] | None = None


_PURPOSES: dict[str, Purpose] = {}


def register_purpose(purpose: Purpose) -> Purpose:
    """Register (or replace, so a reloaded app registers once) one purpose."""
    _PURPOSES[purpose.code] = purpose
    return purpose


def purpose_get(code: str) -> Purpose:
    try:
        return _PURPOSES[code]
    except KeyError:
        raise LookupError(f"未登记的付款用途：{code}") from None


def purpose_label(code: str) -> str:
    purpose = _PURPOSES.get(code)
    return purpose.label if purpose is not None else code


def purposes() -> list[Purpose]:
    return sorted(_PURPOSES.values(), key=lambda p: p.code)
