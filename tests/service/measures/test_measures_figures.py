"""The efficiency figures of a crafted month, worked by hand (conftest.march):

    row  branch item  channel         instant spot visits pages outcome  minutes 受理→办结
    1    A      X     window                  yes  1      10    done     20   (submitted 1 Mar 00:05 Shanghai)
    2    A      X     window                       2      6     done     60
    3    A      X     online          yes          0      0     done     2
    4    A      X     online                       0      0     done     100
    5    A      Y     window                  yes  1      4     done     10
    6    A      Y     cross_province               0      0     refused  (30: a refusal is no service)
    7    B      X     window                       3      20    open     —
    8    B      X     online          yes          0      2     done     1
    9    B      Y     window                  yes  1      8     done     5    (31 Mar 23:30 Shanghai)
    10   B      Y     online   (1 Apr 00:10 Shanghai, 31 Mar in UTC: April)
    11   A      X     window   (28 Feb 23:59 Shanghai: outside March–April)

March: 9 applications; online 3,4,6,8 → 4/9 = 44.44 %; 秒批 3,8 → 2/9 = 22.22 %; window 1,2,5,7,9 of which on
the spot 1,5,9 → 3/5 = 60 %; visits 8 → 0.89 a piece; pages 50 → 5.56 a piece; finished 7, refused 1; median of
1, 2, 5, 10, 20, 60, 100 → 10 minutes.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fund.measures.selectors import Figures, measures_report
from tests.service.measures.conftest import X, Y

pytestmark = pytest.mark.django_db
D = Decimal
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def summary(f: Figures) -> tuple[Any, ...]:
    return (f.applications, f.finished, f.refused, f.online_rate, f.instant_rate, f.on_the_spot_rate,
            f.visits_per_application, f.pages, f.pages_per_application, f.median_minutes)


def test_the_figures_of_the_crafted_month_are_the_ones_worked_by_hand(march: Any) -> None:
    report = measures_report(user=march.director, start=MARCH, end=APRIL)
    by_month = {row.month: row.figures for row in report.months}
    assert summary(by_month[MARCH]) == (9, 7, 1, D("0.4444"), D("0.2222"), D("0.6000"), D("0.89"), 50, D("5.56"),
                                        D("10.0"))
    # April holds row 10 alone; row 11 (February) is in neither month nor in the whole period.
    assert summary(by_month[APRIL]) == (1, 1, 0, D("1.0000"), D("0.0000"), None, D("0.00"), 0, D("0.00"), D("40.0"))
    assert report.overall.applications == 10

    items = {row.code: row.figures for row in report.by_item}  # March and April together
    # X: rows 1,2,3,4,7,8 — finished 20,60,2,100,1 → median 20.
    assert summary(items[X]) == (6, 5, 0, D("0.5000"), D("0.3333"), D("0.3333"), D("1.00"), 38, D("6.33"), D("20.0"))
    # Y: rows 5,6,9,10 — finished 10,5,40 → median 10.
    assert summary(items[Y]) == (4, 3, 1, D("0.5000"), D("0.0000"), D("1.0000"), D("0.50"), 12, D("3.00"), D("10.0"))
    assert next(r.name for r in report.by_item if r.code == X) != X  # the catalogue's name when it lists the item


def test_a_median_of_an_even_count_is_the_mean_of_the_middle_two(march: Any) -> None:
    report = measures_report(user=march.director, start=MARCH, end=MARCH)
    branches = {row.name: row.figures for row in report.by_branch}
    # Branch A: rows 1–6, finished 2, 10, 20, 60, 100 → 20; branch B: rows 7–9, finished 1 and 5 → 3.
    assert summary(branches["市直管理部"]) == (6, 5, 1, D("0.5000"), D("0.1667"), D("0.6667"), D("0.67"), 20, D("3.33"),
                                           D("20.0"))
    assert summary(branches["高新区管理部"]) == (3, 2, 0, D("0.3333"), D("0.3333"), D("0.5000"), D("1.33"), 30,
                                            D("10.00"), D("3.0"))
    detail = {(r.item_code, r.branch_name): r.figures for r in report.rows}
    # Item X at branch A: finished 2, 20, 60, 100 → (20 + 60) / 2 = 40.
    assert summary(detail[(X, "市直管理部")]) == (4, 4, 0, D("0.5000"), D("0.2500"), D("0.5000"), D("0.75"), 16,
                                               D("4.00"), D("40.0"))
    # Item Y at branch B: row 9 alone in March (row 10 is April's).
    assert detail[(Y, "高新区管理部")].applications == 1
    assert len(report.rows) == 4


def test_months_are_split_in_shanghai_time(march: Any) -> None:
    """Row 1 (1 March 00:05 Shanghai, still February in UTC) counts in March; row 10 (1 April 00:10 Shanghai,
    31 March in UTC) in April; row 11 (28 February 23:59 Shanghai) in February."""
    february = measures_report(user=march.director, start=date(2026, 2, 1), end=date(2026, 2, 1))
    assert february.overall.applications == 1 and february.overall.pages == 99
    april = measures_report(user=march.director, start=APRIL, end=APRIL)
    assert april.overall.applications == 1 and april.overall.online == 1


def test_filters_narrow_to_one_branch_and_one_item(march: Any) -> None:
    report = measures_report(user=march.director, start=MARCH, end=MARCH, branch_id=march.branch_b.pk, item_code=Y)
    assert report.branch == march.branch_b
    assert summary(report.overall) == (1, 1, 0, D("0.0000"), D("0.0000"), D("1.0000"), D("1.00"), 8, D("8.00"), D("5.0"))
    assert [r.name for r in report.by_branch] == ["高新区管理部"] and [r.code for r in report.by_item] == [Y]


def test_an_empty_period_has_no_rates_rather_than_zero_ones(centre: Any) -> None:
    report = measures_report(user=centre.director, start=MARCH, end=APRIL)
    assert report.overall.applications == 0 and report.overall.online_rate is None
    assert [r.month for r in report.months] == [MARCH, APRIL] and report.by_item == [] and report.rows == []
