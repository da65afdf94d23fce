"""Playwright (the issue names it): the director looks at the efficiency dashboard — a year of applications
(the demo's history), the trends drawn as charts, the tables by item and branch, one branch chosen, the Excel
downloaded. The screenshot is .local/screenshots/service_measures.png."""

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from fund.dates import add_months
from fund.demo import DemoContext
from fund.measures.demo import seed
from risk.models import OverdueRate
from tests import clock
from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_director_looks_at_the_efficiency_dashboard(centre: Any, live_server: Any, page: Any) -> None:
    today = clock.today()
    seed(DemoContext(rng=random.Random(7), today=today, branches=[centre.branch_a, centre.branch_b]))
    for m in range(1, 13):  # the overdue rate at each month's last close
        last_day = add_months(today.replace(day=1), 1 - m) - timedelta(days=1)
        OverdueRate.objects.create(on=last_day, scope="centre", scope_id=0, loans=100, loan_balance=Decimal("1"),
                                   overdue_loans=1, overdue_balance=Decimal("0"), overdue_principal=Decimal("0"),
                                   borrowers=1, rate=Decimal("0.0003") + Decimal(m) / 100000)

    sign_in(page, live_server, centre.director.username)
    page.goto(f"{live_server.url}/staff/")
    page.click("nav >> text=服务效能")
    assert page.locator("[data-measures-chart]").count() == 6  # rates, trips, time, paper, counts, overdue rate
    assert page.locator("[data-measures-chart] polyline").count() == 9
    assert page.locator("[data-measures-months] tbody tr").count() == 12
    assert page.locator("[data-measures-branches] tbody tr").count() == 2
    overall = page.inner_text("[data-measures-overall]")
    assert "网办率" in overall and "个贷逾期率" in overall and "%" in overall
    page.screenshot(path=str(SHOTS / "service_measures.png"), full_page=True)

    page.select_option("select[name=branch]", str(centre.branch_b.pk))
    page.click("form.filter-bar button[type=submit]")
    assert page.locator("[data-measures-branches] tbody tr").count() == 1
    assert "高新区管理部" in page.inner_text("h1")
    with page.expect_download() as download:
        page.click("[data-measures-export]")
    assert download.value.suggested_filename.startswith("服务效能-")
