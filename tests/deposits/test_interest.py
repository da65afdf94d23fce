"""Annual interest settlement (年终结息), SPEC §2.1: figures computed by hand to the fen.

The 2026 interest year is 1 July 2025 – 30 June 2026 (365 days); rate 1.5 %, so interest = 积数 ÷ 24 000.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from deposits.models import InterestRun, InterestRunState
from deposits.services import interest as service
from deposits.services.interest import interest_run_process, interest_run_start, interest_to_date
from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry, SubAccount, SubLedgerRow
from fund.ledger.selectors import ledger_reconcile
from fund.ledger.services import Movement, credit, debit, entry_post
from fund.people.models import Post
from fund.people.services import staff_create
from tests.clock import travel_to
from tests.conftest import PASSWORD, open_member

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2026


@pytest.fixture(autouse=True)
def after_the_2026_year():
    """Settling the 2026 year is refused until its period (to 30 June 2026) has ended: these tests run on
    1 December 2026, whatever the machine's date."""
    with travel_to(date(2026, 12, 1)):
        yield


def post(account, amount: str, on: date, *, prior: bool = False) -> None:
    value = D(amount)
    legs = ([debit(chart.BANK, value), credit(chart.MEMBER_DEPOSITS, value)] if value > 0
            else [debit(chart.MEMBER_DEPOSITS, -value), credit(chart.BANK, -value)])
    split = {"current_year": D("0.00"), "prior_year": value} if prior else {}
    entry_post(
        business_type=BusinessType.GJ_OTHER if prior else BusinessType.GJ_REMIT, reference="test",
        idempotency_key=f"t:{account.pk}:{on}:{amount}:{prior}", value_date=on, legs=legs,
        movements=[Movement(account.sub_account_id, value, **split)],
    )


def sub(account) -> SubAccount:
    return SubAccount.objects.get(pk=account.sub_account_id)


def interest_row(account) -> SubLedgerRow | None:
    return SubLedgerRow.objects.filter(sub_account_id=account.sub_account_id, entry__business_type=BusinessType.GJ_INTEREST).first()


@pytest.fixture
def history(world):
    """account_a: 5 000 carried over and 1 000 on 1 July, 2 000 on 15 October, −500 on 1 March, 100 on 30 June.
    account_b: 960 on 1 September, then 960 on 5 July 2026 — after the period, before the run.
    account_c: 120 on 30 June only (积数 120: 0.005 yuan, half up to 0.01). account_d: never paid in."""
    a, b = world.account_a, world.account_b
    c = open_member(world.clerk, world.unit_a, 3)
    d = open_member(world.clerk, world.unit_a, 4)
    post(a, "5000.00", date(2025, 7, 1), prior=True)
    post(a, "1000.00", date(2025, 7, 1))
    post(a, "2000.00", date(2025, 10, 15))
    post(a, "-500.00", date(2026, 3, 1))
    post(a, "100.00", date(2026, 6, 30))
    post(b, "960.00", date(2025, 9, 1))
    post(b, "960.00", date(2026, 7, 5))
    post(c, "120.00", date(2026, 6, 30))
    return a, b, c, d


@pytest.fixture
def settle(monkeypatch, django_capture_on_commit_callbacks):
    def run(actor, chunk_size: int = 50_000) -> InterestRun:
        monkeypatch.setattr(service, "CHUNK_SIZE", chunk_size)
        with django_capture_on_commit_callbacks(execute=True):
            started = interest_run_start(year=YEAR, actor=actor)
        return InterestRun.objects.get(pk=started.pk)
    return run


def test_interest_by_the_accumulation_method_split_by_part(world, history, settle):
    a, b, c, d = history
    run = settle(world.director)
    assert run.state == InterestRunState.DONE
    # account_a 当年: 1 000 × 106 days (1 Jul – 14 Oct) + 3 000 × 258 days + 3 100 × 1 day = 883 100 → 36.795… → 36.80
    #          上年: 5 000 × 243 days (1 Jul – 28 Feb) + 4 500 × 122 days (the withdrawal took 上年 first)
    #                = 1 764 000 → 73.50
    row = interest_row(a)
    assert (row.current_year_amount, row.prior_year_amount, row.amount) == (D("36.80"), D("73.50"), D("110.30"))
    assert row.value_date == date(2026, 6, 30) and row.balance_after == D("7710.30")
    sa = sub(a)
    assert (sa.balance, sa.current_year, sa.prior_year) == (D("7710.30"), D("0.00"), D("7710.30"))
    assert (sa.accumulation, sa.accumulation_prior, sa.accumulated_to) == (D("0.00"), D("0.00"), date(2026, 7, 1))
    # account_c: 120 for one day = 积数 120 → 0.005 → 0.01 (half up)
    assert interest_row(c).amount == D("0.01")
    # account_d: no interest, no row, but its period is rolled
    assert interest_row(d) is None and sub(d).accumulated_to == date(2026, 7, 1)
    assert run.total_interest == D("110.30") + D("12.12") + D("0.01")
    assert run.processed_accounts == run.total_accounts == 4
    entry = JournalEntry.objects.get(business_type=BusinessType.GJ_INTEREST)
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        (chart.MEMBER_DEPOSITS, D("0.00"), D("122.43")), (chart.INTEREST_EXPENSE, D("122.43"), D("0.00"))]
    totals = service.interest_run_totals(run)
    assert (totals.current, totals.prior) == (D("48.93"), D("73.50"))
    assert ledger_reconcile() == []


def test_a_posting_after_30_june_does_not_count_in_the_closed_year(world, history, settle):
    _, b, _, _ = history
    sb = sub(b)
    assert sb.closed_period_end == date(2026, 6, 30) and sb.closed_accumulation == D("960.00") * 303
    settle(world.director)
    # 960 × 303 days (1 Sep – 30 Jun) = 290 880 → 12.12; the 960 of 5 July is next year's
    assert interest_row(b).amount == D("12.12")
    sb = sub(b)
    assert (sb.balance, sb.current_year, sb.prior_year) == (D("1932.12"), D("960.00"), D("972.12"))
    # the new period so far: 960 for 1–4 July and 1 920 from 5 July, the interest earning from 1 July
    assert sb.accumulated_to == date(2026, 7, 5)
    assert sb.accumulation == D("960.00") * 4 + D("12.12") * 4
    assert sb.accumulation_prior == D("972.12") * 4
    assert sb.closed_period_end is None and sb.closed_current_year == D("0.00")


def test_a_rerun_posts_nothing_new(world, history, settle):
    a, *_ = history
    first = settle(world.director)
    entries, balance = JournalEntry.objects.count(), sub(a).balance
    again = settle(world.director)
    assert again.pk == first.pk and again.total_interest == first.total_interest
    interest_run_process(run_id=first.pk)
    # even forced through a chunk of a fresh cursor, every account is recognised as settled
    InterestRun.objects.filter(pk=first.pk).update(state=InterestRunState.RUNNING, last_sub_account_id=0)
    interest_run_process(run_id=first.pk)
    assert JournalEntry.objects.count() == entries and sub(a).balance == balance
    assert InterestRun.objects.count() == 1
    assert ledger_reconcile() == []


def test_a_crashed_run_resumes_where_it_stopped(world, history, settle, monkeypatch):
    """Chunks of two accounts: the first commits, the second fails; starting again finishes the rest once."""
    monkeypatch.setattr(service, "CHUNK_SIZE", 2)
    real = service.interest_settle_set
    calls = []

    def crash_on_second(**kwargs):
        calls.append(kwargs["after_id"])
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(service, "interest_settle_set", crash_on_second)
    settle(world.director, chunk_size=2)  # the task fails; on_commit(robust=True) only logs it
    run = InterestRun.objects.get(year=YEAR)
    assert run.state == InterestRunState.FAILED and "worker lost" in run.error
    assert run.processed_accounts == 2 and run.last_sub_account_id == world.account_b.sub_account_id
    assert JournalEntry.objects.filter(business_type=BusinessType.GJ_INTEREST).count() == 1
    monkeypatch.setattr(service, "interest_settle_set", real)
    run = settle(world.director, chunk_size=2)
    assert run.state == InterestRunState.DONE and run.processed_accounts == 4
    assert run.total_interest == D("122.43")
    keys = sorted(JournalEntry.objects.filter(business_type=BusinessType.GJ_INTEREST).values_list("idempotency_key", flat=True))
    first_ids = sorted(SubAccount.objects.filter(control__code=chart.MEMBER_DEPOSITS).values_list("id", flat=True))[::2]
    assert keys == sorted(f"deposits.interest:{YEAR}:{i}" for i in first_ids)
    assert SubLedgerRow.objects.filter(entry__business_type=BusinessType.GJ_INTEREST).count() == 3
    assert ledger_reconcile() == []


def test_a_period_not_yet_ended_cannot_be_settled(world):
    with pytest.raises(ValidationError, match="尚未结束"):
        interest_run_start(year=2027, actor=world.director)
    assert not InterestRun.objects.exists()


def test_interest_to_a_day(world):
    a, b = world.account_a, world.account_b
    post(a, "5000.00", date(2025, 7, 1), prior=True)
    post(a, "1000.00", date(2025, 7, 1))
    # through 14 October: 当年 1 000 × 106 = 106 000 → 4.416… → 4.42; 上年 5 000 × 106 = 530 000 → 22.083… → 22.08
    assert interest_to_date(sub(a), date(2025, 10, 14)) == (D("4.42"), D("22.08"))
    post(b, "960.00", date(2025, 9, 1))
    post(b, "960.00", date(2026, 7, 5))
    # the closed year (12.12 on 当年) and 1–10 July: 积数 960 × 4 + 1 920 × 6 = 15 360, of which the closed
    # year's 960 × 10 = 9 600 counts as carried over (0.40) and 5 760 as this year's (0.24)
    assert interest_to_date(sub(b), date(2026, 7, 10)) == (D("12.36"), D("0.40"))
    assert sub(b).balance == D("1920.00")  # nothing posted


def _finance(world, *, centre_wide: bool = True):
    return staff_create(actor=None, username=f"finance{centre_wide}", name="财务", branch=world.branch_a,
                        posts=[Post.FINANCE], employee_number=f"F{centre_wide}", password=PASSWORD,
                        centre_wide=centre_wide)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_finance_starts_through_the_api_and_sees_the_status(world, history, django_capture_on_commit_callbacks):
    finance = _finance(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = _api(finance).post("/api/deposits/interest/runs/", {"year": YEAR}, format="json")
    assert response.status_code == 201, response.content
    status = _api(world.clerk).get(f"/api/deposits/interest/runs/{YEAR}/").json()
    assert status["state"] == "done" and status["percent"] == 100 and status["total_interest"] == "122.43"
    assert (status["interest_current"], status["interest_prior"]) == ("48.93", "73.50")
    again = _api(finance).post("/api/deposits/interest/runs/", {"year": YEAR}, format="json")
    assert again.status_code == 200 and JournalEntry.objects.filter(business_type=BusinessType.GJ_INTEREST).count() == 1
    bad = _api(finance).post("/api/deposits/interest/runs/", {"year": "明年"}, format="json")
    assert bad.status_code == 400 and "year" in bad.json()
    early = _api(finance).post("/api/deposits/interest/runs/", {"year": 2027}, format="json")
    assert early.status_code == 400 and "尚未结束" in early.json()["year"][0]


@pytest.mark.parametrize("who", ["clerk", "auditor", "branch_finance"])
def test_other_staff_cannot_start(world, who):
    user = _finance(world, centre_wide=False) if who == "branch_finance" else getattr(world, who)
    assert _api(user).post("/api/deposits/interest/runs/", {"year": YEAR}, format="json").status_code == 403
    client = APIClient()
    client.force_login(user)
    assert client.post("/staff/interest/start/", {"year": YEAR}).status_code == 403
    page = client.get("/staff/interest/")
    assert page.status_code == 200 and "开始2026年度结息" not in page.content.decode()
    assert not InterestRun.objects.exists()


@pytest.mark.parametrize("who", ["unit_a_op", "member_a", "outsider"])
def test_non_staff_are_told_it_does_not_exist(world, who):
    user = getattr(world, who)
    assert _api(user).post("/api/deposits/interest/runs/", {"year": YEAR}, format="json").status_code == 404
    assert _api(user).get(f"/api/deposits/interest/runs/{YEAR}/").status_code == 404
    client = APIClient()
    client.force_login(user)
    assert client.get("/staff/interest/").status_code == 404
    assert client.post("/staff/interest/start/", {"year": YEAR}).status_code == 404
    assert not InterestRun.objects.exists()


def test_the_page_starts_a_run_and_shows_totals(world, history, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_login(world.director)
    page = client.get("/staff/interest/").content.decode()
    assert "开始2026年度结息" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/interest/start/", {"year": YEAR})
    assert response.status_code == 302
    page = client.get("/staff/interest/").content.decode()
    assert "已完成" in page and "122.43" in page and "48.93" in page and "hx-trigger" not in page
    run = InterestRun.objects.get(year=YEAR)
    InterestRun.objects.filter(pk=run.pk).update(state=InterestRunState.RUNNING, processed_accounts=1)
    fragment = client.get(f"/staff/interest/{run.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "25%" in fragment


# Years in order --------------------------------------------------------------------------------------------

DECEMBER = date(2026, 12, 1)  # both the 2025 and the 2026 interest years have ended


@pytest.fixture
def clock(monkeypatch):
    """Pages and the API read today's date: 1 December 2026."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DECEMBER)
    return DECEMBER


@pytest.fixture
def skipped_2025(world):
    """Money in the 2025 interest year (1 July 2024 – 30 June 2025) that was never settled: account_a was
    posted to again in the 2026 year (its 2025 figures wait as its closed period), account_b not since."""
    a, b = world.account_a, world.account_b
    post(a, "1000.00", date(2025, 3, 1))
    post(a, "1000.00", date(2025, 10, 1))
    post(b, "1000.00", date(2025, 3, 1))
    return a, b


def start(year: int, actor, django_capture_on_commit_callbacks) -> InterestRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = interest_run_start(year=year, actor=actor, today=DECEMBER)
    return InterestRun.objects.get(pk=run.pk)


def test_it_refuses_to_start_a_year_while_an_earlier_year_is_owed(world, skipped_2025, django_capture_on_commit_callbacks):
    a, b = skipped_2025
    with pytest.raises(ValidationError) as refused:
        start(2026, world.director, django_capture_on_commit_callbacks)
    message = refused.value.message_dict["year"][0]
    assert "请先结2025年度" in message and "2 个账户" in message
    assert not InterestRun.objects.exists() and not JournalEntry.objects.filter(business_type=BusinessType.GJ_INTEREST).exists()
    # Settled in order, nobody loses the 2025 interest: 1 000 × 122 days (1 Mar – 30 Jun) = 122 000 → 5.08.
    assert start(2025, world.director, django_capture_on_commit_callbacks).state == InterestRunState.DONE
    assert interest_row(a).amount == interest_row(b).amount == D("5.08")
    assert service.interest_year_owed_before(2026) is None
    assert start(2026, world.director, django_capture_on_commit_callbacks).state == InterestRunState.DONE
    assert SubLedgerRow.objects.filter(sub_account_id=a.sub_account_id, entry__business_type=BusinessType.GJ_INTEREST).count() == 2
    assert ledger_reconcile() == []


def test_it_refuses_while_the_earlier_run_has_not_finished(world, skipped_2025, django_capture_on_commit_callbacks):
    InterestRun.objects.create(year=2025, period_start=date(2024, 7, 1), period_end=date(2025, 6, 30),
                               state=InterestRunState.FAILED, total_accounts=2)
    with pytest.raises(ValidationError, match="2025年度结息尚未完成（失败）"):
        start(2026, world.director, django_capture_on_commit_callbacks)
    assert not InterestRun.objects.filter(year=2026).exists()


def test_the_first_year_the_system_runs_is_not_refused(world, history, django_capture_on_commit_callbacks):
    """No run before and no money before 1 July 2025 (accounts opened in January 2025 were empty)."""
    assert service.interest_year_owed_before(YEAR) is None
    assert start(YEAR, world.director, django_capture_on_commit_callbacks).total_interest == D("122.43")


def test_the_api_refuses_with_the_year_to_settle_first(world, skipped_2025, clock):
    response = _api(world.director).post("/api/deposits/interest/runs/", {"year": 2026}, format="json")
    assert response.status_code == 400 and "请先结2025年度" in response.json()["year"][0]
    assert not InterestRun.objects.exists()


def test_the_page_offers_the_year_owed_first_and_refuses_the_later_one(world, skipped_2025, clock):
    client = APIClient()
    client.force_login(world.director)
    page = client.get("/staff/interest/").content.decode()
    assert "开始2025年度结息" in page and "开始2026年度结息" not in page and "2025年度完成后方可结2026年度" in page
    response = client.post("/staff/interest/start/", {"year": 2026}, follow=True)
    assert "请先结2025年度" in response.content.decode() and not InterestRun.objects.exists()


# Rounding -------------------------------------------------------------------------------------------------

def test_the_parts_add_up_to_the_rounded_total(world, settle):
    """SPEC §2.1 rounds the total. c: 积数 120 + 120 = 240 → 0.01 (each part alone 0.005 → 0.01 + 0.01);
    d: 100 + 100 = 200 → 0.0083 → 0.01 (each part alone 0.0042 → 0.00 + 0.00)."""
    c = open_member(world.clerk, world.unit_a, 3)
    d = open_member(world.clerk, world.unit_a, 4)
    last_day = date(2026, 6, 30)
    for account, amount in ((c, "120.00"), (d, "100.00")):
        post(account, amount, last_day, prior=True)
        post(account, amount, last_day)
    assert interest_to_date(sub(c), last_day) == (D("0.00"), D("0.01"))
    assert interest_to_date(sub(d), last_day) == (D("0.01"), D("0.00"))
    settle(world.director)
    for account, parts in ((c, (D("0.00"), D("0.01"))), (d, (D("0.01"), D("0.00")))):
        row = interest_row(account)
        assert row.amount == D("0.01") and (row.current_year_amount, row.prior_year_amount) == parts
    assert ledger_reconcile() == []
