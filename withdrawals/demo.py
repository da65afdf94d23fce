"""Demo withdrawals, made at the window through the real services after the sandboxes have their records:
three rent withdrawals decided by 秒批 and paid, and a purchase for a home the registry knows (paid, or in
the 初审 inbox when a rule sends it to people). The demo member with a login is left free to apply."""

from typing import Any


def seed(ctx: Any) -> None:  # everything happens after the sandboxes are seeded
    return None


def seed_after_sandbox(ctx: Any) -> None:
    from deposits.models import MemberAccount
    from fund.integrations.models import SandboxHome
    from fund.people.models import User

    from .models import Channel
    from .services.application import withdrawal_submit
    from .services.payout import withdrawal_decide_and_send

    clerk = ctx.staff["clerk01"]
    accounts = MemberAccount.objects.filter(state="01", bank_card__gt="").select_related("person").order_by("id")
    with_login = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    made = 0
    for account in accounts:
        homes = SandboxHome.objects.filter(owner_id_numbers__contains=[account.person.id_number])
        if account.person_id in with_login:
            continue
        # Submitted outside any transaction: submission asks the bank about the card.
        if made < 3 and not homes.exists():
            withdrawal = withdrawal_submit(actor=clerk, account=account, reason="07", channel=Channel.WINDOW,
                                           amount="1500.00", client_token=f"demo-rent-{account.pk}")
        elif made == 3 and homes.exists():
            home = homes.first()
            withdrawal = withdrawal_submit(actor=clerk, account=account, reason="01", channel=Channel.WINDOW,
                                           amount="10000.00", details={"certificate_number": home.certificate_number},
                                           client_token=f"demo-purchase-{account.pk}")
        else:
            continue
        withdrawal_decide_and_send(withdrawal_id=withdrawal.pk)
        made += 1
        if made > 3:
            break
