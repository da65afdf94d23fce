"""The payee's card of a new withdrawal, checked with the bank before the submission's transaction opens.

`withdrawal_submit` calls it after its replay and permission checks, and only when nothing else refuses the
application (no outside call for one that fails anyway); a card whose format is wrong is left for the
submission to report. The bank's refusal is one more field error, reported with the others.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from deposits.models import MemberAccount
from fund.integrations.bank import bank_account_verify
from fund.validation import clean_bank_card

from ..reasons import Reason


def payee_card_check(
    *, spec: Reason, account: MemberAccount, payee_card: str, payee_name: str, other_name: str,
    errors: dict[str, list[str]],
) -> None:
    """Ask the bank about the card and holder the submission will record (see `_accept`): an heir's own card,
    in the heir's name; otherwise the card given, or the one on file, in the name given or the member's. A
    refusal goes into `errors` under `payee_card`."""
    account = MemberAccount.objects.select_related("person").get(pk=account.pk)
    person = account.person
    card = (payee_card or ("" if spec.heirs else account.bank_card) or "").strip()
    name = ((other_name if spec.heirs else payee_name) or ("" if spec.heirs else person.name)).strip()[:60]
    try:
        card = clean_bank_card(card)
    except ValidationError:
        return
    if not name:
        return
    try:
        bank_account_verify(
            field="payee_card", label="继承人银行卡号" if spec.heirs else "收款银行卡号", account_number=card,
            name=name, holder_id="" if spec.heirs or name != person.name else person.id_number,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
