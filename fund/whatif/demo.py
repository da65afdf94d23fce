"""Demo: a scheduled rise of the rent cap from next 1 January, and a finished what-if of it (with a raised loan
cap) over this month's decisions, so 政策调整模拟 shows a result. Called once, after the lines' demo business."""

from datetime import date
from typing import Any

from django.db import transaction


def seed(ctx: Any) -> None:
    from fund.policy.services import policy_value_set

    from .services import whatif_run_create, whatif_run_execute

    director = ctx.staff["director"]
    rise = policy_value_set(name="withdrawal_rent_cap_per_year", value="24000", effective_from=date(ctx.today.year + 1, 1, 1),
                            note="示范：拟提高租房提取年度限额", actor=director)
    with transaction.atomic():
        run = whatif_run_create(actor=director, values={"withdrawal_rent_cap_per_year": "24000", "loan_cap_single": "700000"},
                                replayers=["withdrawals", "loans"], start=ctx.today.replace(day=1), end=ctx.today,
                                source=rise, title="次年租房提取限额调整（示范）")
        # The demo runs it here rather than waiting for a worker: the queued task finds it done and does nothing.
    whatif_run_execute(run)
