"""A what-if over a crafted month: the draft changes exactly the decisions its numbers bind, and nothing is written
to the business tables (PostgreSQL refuses it: each replay slice is a read-only transaction, rolled back)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Max
from django.utils import timezone

from fund.whatif.models import RunState, WhatIfResult
from fund.whatif.registry import _REPLAYERS, ReplayResult, register_replayer
from fund.whatif.selectors import whatif_changes, whatif_summary
from fund.whatif.services import whatif_run_create, whatif_run_execute
from tests.loan_world import ln  # noqa: F401  (the loan world)
from tests.withdrawals.conftest import second_member, submit_decided, wd  # noqa: F401

pytestmark = pytest.mark.django_db

CAP = "withdrawal_rent_cap_per_year"
BUSINESS_APPS = ("withdrawals", "loans", "ledger", "deposits", "payments")


def business_snapshot() -> dict[str, tuple[int, Any]]:
    """Row count and highest id of every table of the business lines and the ledger."""
    out = {}
    for label in BUSINESS_APPS:
        for model in apps.get_app_config(label).get_models():
            qs = model.objects.all()
            out[model._meta.db_table] = (qs.count(), qs.aggregate(m=Max("pk"))["m"])
    return out


def this_month() -> tuple[date, date]:
    today = timezone.localdate()
    return today.replace(day=1), today


def run_now(actor: Any, values: dict[str, str], replayers: list[str]) -> Any:
    start, end = this_month()
    run = whatif_run_create(actor=actor, values=values, replayers=replayers, start=start, end=end)
    return whatif_run_execute(run)


def test_raising_the_rent_cap_changes_exactly_the_withdrawals_that_hit_the_old_cap_and_writes_nothing(
        wd, django_capture_on_commit_callbacks):  # noqa: F811
    account_b, member_b = second_member(wd, 12)
    capped = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                            reason="07", amount="20000.00")
    under = submit_decided(django_capture_on_commit_callbacks, actor=member_b, account=account_b, reason="07",
                           amount="5000.00")
    assert capped.amount == Decimal("18000.00") and under.amount == Decimal("5000.00")  # the seeded cap is 18 000
    before = business_snapshot()

    run = run_now(wd.world.director, {CAP: "24000"}, ["withdrawals"])

    assert run.state == RunState.DONE and run.replayed == 2
    assert business_snapshot() == before
    changes = list(whatif_changes(run))
    assert [c.number for c in changes] == [capped.number]
    change = changes[0]
    assert (change.old_decision, change.old_amount) == ("approved", Decimal("18000.00"))
    assert (change.new_decision, change.new_amount) == ("approved", Decimal("20000.00"))  # what was asked
    assert wd.person.id_number not in change.applicant and change.applicant.endswith(wd.person.id_number[-4:])
    summary = whatif_summary(run)
    [line] = summary.lines
    assert (line.replayed, line.changed, line.amount_changed, line.to_refused) == (2, 1, 1, 0)
    [month] = summary.months
    assert (month.old_moved, month.new_moved) == (Decimal("23000.00"), Decimal("25000.00"))
    # The unchanged one is stored too (it counts in the money), as unchanged.
    assert WhatIfResult.objects.get(run=run, number=under.number).changed is False


def test_a_lower_cap_pays_less_and_a_longer_deposit_requirement_refuses(wd, django_capture_on_commit_callbacks):  # noqa: F811
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="5000.00")
    run = run_now(wd.world.director, {CAP: "4000"}, ["withdrawals"])
    [change] = whatif_changes(run)
    # 4 000 is all the lowered cap leaves for this first rent withdrawal of the year: approved, for less.
    assert (change.number, change.new_decision, change.new_amount) == (w.number, "approved", Decimal("4000.00"))
    run = run_now(wd.world.director, {"withdrawal_rent_min_deposit_months": "24"}, ["withdrawals"])
    [change] = whatif_changes(run)  # 12 months deposited when it was decided
    assert (change.new_decision, change.new_amount, change.new_moved) == ("refused", None, Decimal("0.00"))
    assert "缴存月数" in change.note
    assert whatif_summary(run).lines[0].to_refused == 1


def test_a_replayer_that_tries_to_write_is_refused_by_the_database(wd, django_capture_on_commit_callbacks):  # noqa: F811
    from withdrawals.models import Withdrawal

    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="5000.00")

    def writing(ids: Any, request: Any) -> Any:
        Withdrawal.objects.filter(pk__in=ids).update(amount=Decimal("1.00"))
        yield from ()

    def subjects(period: Any) -> list[int]:
        return [w.pk]

    register_replayer("test_writer", "写入测试", subjects=subjects, replay=writing)
    try:
        before = business_snapshot()
        start, end = this_month()
        run = whatif_run_create(actor=wd.world.director, values={CAP: "24000"}, replayers=["test_writer"],
                                start=start, end=end)
        with pytest.raises(Exception, match="read-only"):
            whatif_run_execute(run)
    finally:
        _REPLAYERS.pop("test_writer", None)
    run.refresh_from_db()
    assert run.state == RunState.FAILED and "read-only" in run.error
    w.refresh_from_db()
    assert w.amount == Decimal("5000.00") and business_snapshot() == before


def _assessed(ln: Any, **fields: Any) -> Any:  # noqa: F811
    """An application with the quota the intake would have stored for it today."""
    from loans.services.assessment import estimate
    from loans.services.quota import QuotaInput

    app = ln.application(**fields)
    q = QuotaInput(price=app.price, home_kind=app.home_kind, home_order="first", monthly_income=app.monthly_income,
                   monthly_debt=app.monthly_debt, balances=[fields.pop("_balance", Decimal("60000.00"))],
                   co_borrowers=0, term_months=app.term_months, birth_date=app.borrower.birth_date,
                   sex=app.borrower.sex, building_year=app.building_year, on=timezone.localdate())
    result = estimate(q, "first")
    app.quota, app.rate = result.amount, result.rate
    app.quota_detail = {"limits": [{"code": x.code, "label": x.label, "amount": str(x.amount), "binding": x.binding}
                                   for x in result.limits]}
    app.save(update_fields=["quota", "rate", "quota_detail"])
    return app


def test_a_loan_quota_under_a_raised_ceiling(ln):  # noqa: F811
    # Bound by the single borrower's cap (600 000): a high income, a dear home, 60 000 × 15 in the fund.
    capped = _assessed(ln, price=Decimal("2000000.00"), monthly_income=Decimal("50000.00"),
                       amount_requested=Decimal("600000.00"), term_months=240, building_year=2015)
    assert capped.quota == Decimal("600000.00")
    before = business_snapshot()

    run = run_now(ln.world.director, {"loan_cap_single": "800000"}, ["loans"])

    assert run.state == RunState.DONE and business_snapshot() == before
    [change] = whatif_changes(run)
    assert change.number == capped.number
    assert (change.old_decision, change.old_amount) == ("approved", Decimal("600000.00"))
    assert (change.new_decision, change.new_amount) == ("approved", Decimal("800000.00"))
    # What it lends is what was asked: the raised ceiling moves no more money for this application.
    result = WhatIfResult.objects.get(run=run, number=capped.number)
    assert result.old_moved == result.new_moved == Decimal("600000.00")


def test_replay_results_compare_decision_and_amount():
    same = ReplayResult(subject="x:1", number="1", applicant="", month=date(2026, 1, 1), old_decision="approved",
                        old_amount=Decimal("1.00"), new_decision="approved", new_amount=Decimal("1.00"))
    assert not same.changed


def test_each_replayed_decision_sees_only_the_withdrawals_made_before_it(wd, django_capture_on_commit_callbacks):  # noqa: F811
    first = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                           reason="07", amount="10000.00")
    second = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                            reason="07", amount="10000.00")
    assert (first.amount, second.amount) == (Decimal("10000.00"), Decimal("8000.00"))  # 18 000 a year
    run = run_now(wd.world.director, {CAP: "12000"}, ["withdrawals"])
    # The first was decided with nothing taken before it: 12 000 would still pay its 10 000. The second had
    # 10 000 taken before it: 2 000 left.
    assert [(c.number, c.new_amount) for c in whatif_changes(run)] == [(second.number, Decimal("2000.00"))]
