"""服务效能: the centre's own measures, computed from the register of applications (fund.tracking), never typed.

Per catalogue item, branch and month — the month an application was submitted, in Shanghai time:
- 网办率: applications made online (channel online or cross_province) ÷ all applications;
- 秒批率: applications decided by 秒批 ÷ all applications;
- 当场办结率: window applications finished on the spot ÷ window applications (channel window; the others never
  stood at a window, so they are left out of the denominator);
- 跑动次数: visits ÷ applications (the average trips an application cost its applicant);
- 办结时长: the median minutes from 受理 (accepted_at) to 办结 (finished_at) of the applications finished with
  the outcome 已办结 (refused and withdrawn ones are not a service delivered);
- 纸质材料: pages of paper collected, in all and per application;
- counts: applications, finished (已办结), refused (不予办理).

All of it is ONE set-based query over the register's table (tracking_application) (GROUP BY GROUPING SETS with FILTER clauses and
percentile_cont), read live: no summary table to refresh or to drift from the register, and a median of a
year cannot be rebuilt from monthly medians anyway. bench/service_measures.py holds it to a year of 1,000,000
applications in ≤ 10 s. Other lines' figures (the overdue rate) come from fund.measures.registry.

Who sees what: centre-wide staff and the director the centre and every branch; a branch head (审批 or 主任
post of one branch) their branch; anyone else nothing (the pages and the API answer 404).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.http import Http404

from fund.dates import add_months, months_between
from fund.people.models import Branch, Post
from fund.people.roles import Roles, roles_of
from fund.tracking.models import Application

from .registry import MeasureSource, measure_sources

ONLINE_CHANNELS = ("online", "cross_province")
MAX_MONTHS = 36  # a period longer than three years is refused (the query reads every row of it)
RATE = Decimal("0.0001")
AVERAGE = Decimal("0.01")
MINUTES = Decimal("0.1")


@dataclass(frozen=True)
class MeasuresScope:
    """What a user may see: the centre (branch_id None) or one branch."""

    branch_id: int | None
    label: str


def measures_scope_for_user(user: Any) -> MeasuresScope | None:
    """Centre-wide staff (the director among them): the centre. A branch head — a staff member of one branch
    holding the 审批 or 主任 post — their branch. Anyone else (a clerk, a member, a unit): None."""
    if not getattr(user, "is_authenticated", False):
        return None
    roles = roles_of(user)
    if not measures_may_view(roles):
        return None
    assert roles.staff is not None
    if roles.staff.centre_wide:
        return MeasuresScope(branch_id=None, label="全中心")
    return MeasuresScope(branch_id=roles.staff.branch_id, label=roles.staff.branch.name)


def measures_may_view(roles: Roles) -> bool:
    """Centre-wide staff, and the 审批 or 主任 post of a branch (the staff navigation asks this too)."""
    staff = roles.staff
    return staff is not None and (staff.centre_wide or roles.has_post(Post.DIRECTOR) or roles.has_post(Post.APPROVE))


def measures_scope_or_404(user: Any) -> MeasuresScope:
    scope = measures_scope_for_user(user)
    if scope is None:
        raise Http404("未找到，或您无权访问")
    return scope


def measures_branches(user: Any) -> list[Branch]:
    """The branches the user may choose among: every branch for the centre, their own for a branch head."""
    scope = measures_scope_for_user(user)
    if scope is None:
        return []
    rows = Branch.objects.order_by("code")
    return list(rows if scope.branch_id is None else rows.filter(pk=scope.branch_id))


def _ratio(part: int, whole: int, places: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    applications: int = 0
    finished: int = 0  # outcome 已办结
    refused: int = 0  # outcome 不予办理
    online: int = 0  # channel online or cross_province
    instant: int = 0  # decided by 秒批
    window: int = 0  # channel window
    on_the_spot: int = 0  # window applications finished on the spot
    visits: int = 0
    pages: int = 0
    median_minutes: Decimal | None = None  # 受理 → 办结 of the finished ones

    @property
    def online_rate(self) -> Decimal | None:
        return _ratio(self.online, self.applications, RATE)

    @property
    def instant_rate(self) -> Decimal | None:
        return _ratio(self.instant, self.applications, RATE)

    @property
    def on_the_spot_rate(self) -> Decimal | None:
        return _ratio(self.on_the_spot, self.window, RATE)

    @property
    def visits_per_application(self) -> Decimal | None:
        return _ratio(self.visits, self.applications, AVERAGE)

    @property
    def pages_per_application(self) -> Decimal | None:
        return _ratio(self.pages, self.applications, AVERAGE)


@dataclass(frozen=True)
class MonthRow:
    month: date
    figures: Figures
    sources: dict[str, Decimal | None]  # source code → the month's value for the report's scope


@dataclass(frozen=True)
class ItemRow:
    code: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class BranchRow:
    branch_id: int
    name: str
    figures: Figures
    sources: dict[str, Decimal | None]  # each source's value for the period's last month


@dataclass(frozen=True)
class DetailRow:
    month: date
    item_code: str
    item_name: str
    branch_id: int
    branch_name: str
    figures: Figures


@dataclass(frozen=True)
class Report:
    start: date  # first month (its first day)
    end: date  # last month (its first day)
    scope: MeasuresScope
    branch: Branch | None  # the branch the figures are of (the filter, or a branch head's own); None: centre
    item_code: str  # "" for every item
    overall: Figures
    months: list[MonthRow]
    by_item: list[ItemRow]
    by_branch: list[BranchRow]
    rows: list[DetailRow]
    sources: list[MeasureSource] = field(default_factory=list)
    period_sources: dict[str, Decimal | None] = field(default_factory=dict)  # each source at the last month


def month_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants (Shanghai time) from the first month's first moment to the moment after the last month."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (datetime.combine(start, time.min, tzinfo=zone),
            datetime.combine(add_months(end, 1), time.min, tzinfo=zone))


# GROUPING(item_code, branch_id, month) of each grouping set: a bit is set for a column rolled up.
DETAIL, BY_MONTH, BY_ITEM, BY_BRANCH, OVERALL = 0, 6, 3, 5, 7

FIGURES_SQL = """
SELECT item_code, branch_id, month, GROUPING(item_code, branch_id, month) AS level,
       count(*) AS applications,
       count(*) FILTER (WHERE outcome = 'done') AS finished,
       count(*) FILTER (WHERE outcome = 'refused') AS refused,
       count(*) FILTER (WHERE channel IN ('online', 'cross_province')) AS online,
       count(*) FILTER (WHERE instant) AS instant,
       count(*) FILTER (WHERE channel = 'window') AS window,
       count(*) FILTER (WHERE channel = 'window' AND on_the_spot) AS on_the_spot,
       coalesce(sum(visits), 0) AS visits,
       coalesce(sum(pages), 0) AS pages,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY took) AS median_seconds
FROM (
    -- One narrow row per application: the sorts of the grouping sets and of the medians carry no timestamps.
    -- `took` is NULL but for the finished (已办结) ones with both times, and percentile_cont skips NULLs.
    SELECT item_code, branch_id, channel, instant, on_the_spot, visits, pages, outcome,
           CASE WHEN outcome = 'done' THEN extract(epoch FROM finished_at - accepted_at) END AS took,
           date_trunc('month', submitted_at AT TIME ZONE %(zone)s)::date AS month
    FROM {table}
    WHERE submitted_at >= %(since)s AND submitted_at < %(until)s {where}
) a
GROUP BY GROUPING SETS ((item_code, branch_id, month), (month), (item_code), (branch_id), ())
"""


def _figures(row: dict[str, Any]) -> Figures:
    seconds = row["median_seconds"]
    minutes = None if seconds is None else (Decimal(str(seconds)) / 60).quantize(MINUTES, rounding=ROUND_HALF_UP)
    return Figures(
        applications=row["applications"], finished=row["finished"], refused=row["refused"], online=row["online"],
        instant=row["instant"], window=row["window"], on_the_spot=row["on_the_spot"], visits=int(row["visits"]),
        pages=int(row["pages"]), median_minutes=minutes,
    )


def figures_query(*, start: date, end: date, branch_id: int | None = None,
                  item_code: str = "") -> list[dict[str, Any]]:
    """The raw grouped rows of the period (months `start`..`end`, by submission in Shanghai time), optionally of
    one branch and one item: each row's item_code, branch_id, month (None where rolled up), level (DETAIL,
    BY_MONTH, BY_ITEM, BY_BRANCH, OVERALL) and its counts and median_seconds. No access check: callers scope."""
    since, until = month_bounds(start, end)
    params: dict[str, Any] = {"zone": settings.TIME_ZONE, "since": since, "until": until}
    where = ""
    if branch_id is not None:
        where += " AND branch_id = %(branch)s"
        params["branch"] = branch_id
    if item_code:
        where += " AND item_code = %(item)s"
        params["item"] = item_code
    with transaction.atomic(), connection.cursor() as cursor:
        # The plan's cost over a year of rows switches JIT compilation on, which took longer (2.3 s of 7.5 in
        # EXPLAIN ANALYZE over 1,000,000 rows) than the grouping it was meant to speed up; local to this query.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(FIGURES_SQL.format(table=Application._meta.db_table, where=where), params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def item_name(code: str) -> str:
    """The catalogue's name for an item code; the code itself for one the catalogue does not list."""
    from fund.catalogue.registry import catalogue_item

    try:
        return catalogue_item(code).name
    except KeyError:
        return code


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _source_values(sources: list[MeasureSource], month: date) -> dict[str, dict[int | None, Decimal]]:
    return {s.code: s.fn(month, month_end(month)) for s in sources}


def measures_report(*, user: Any, start: date, end: date, branch_id: int | None = None,
                    item_code: str = "") -> Report:
    """The figures of months `start`..`end` (any day of each; months by submission, Shanghai time) as `user`
    may see them: 404 for a user who may not look, or for a branch outside their scope. A branch head's figures
    are always their branch's."""
    scope = measures_scope_or_404(user)
    start, end = start.replace(day=1), end.replace(day=1)
    if scope.branch_id is not None:
        if branch_id not in (None, scope.branch_id):
            raise Http404("未找到，或您无权访问")
        branch_id = scope.branch_id
    branch = None
    if branch_id is not None:
        branch = Branch.objects.filter(pk=branch_id).first()
        if branch is None:
            raise Http404("未找到，或您无权访问")
    raw = figures_query(start=start, end=end, branch_id=branch_id, item_code=item_code)
    levels: dict[int, list[dict[str, Any]]] = {}
    for row in raw:
        levels.setdefault(row["level"], []).append(row)
    overall = _figures(levels[OVERALL][0]) if levels.get(OVERALL) else Figures()
    by_month = {r["month"]: _figures(r) for r in levels.get(BY_MONTH, [])}
    sources = measure_sources()
    months = []
    month_values: dict[str, dict[int | None, Decimal]] = {}
    for i in range(months_between(start, end)):
        month = add_months(start, i)
        month_values = _source_values(sources, month)
        months.append(MonthRow(month=month, figures=by_month.get(month, Figures()),
                               sources={code: values.get(branch_id) for code, values in month_values.items()}))
    # month_values now holds the last month's: the by-branch table shows each source at the period's end.
    names = dict(Branch.objects.values_list("pk", "name"))
    by_item = sorted((ItemRow(code=r["item_code"], name=item_name(r["item_code"]), figures=_figures(r))
                      for r in levels.get(BY_ITEM, [])), key=lambda r: r.code)
    by_branch = sorted((BranchRow(branch_id=r["branch_id"], name=names.get(r["branch_id"], str(r["branch_id"])),
                                  figures=_figures(r),
                                  sources={code: values.get(r["branch_id"]) for code, values in month_values.items()})
                        for r in levels.get(BY_BRANCH, [])), key=lambda r: r.branch_id)
    rows = sorted((DetailRow(month=r["month"], item_code=r["item_code"], item_name=item_name(r["item_code"]),
                             branch_id=r["branch_id"], branch_name=names.get(r["branch_id"], str(r["branch_id"])),
                             figures=_figures(r)) for r in levels.get(DETAIL, [])),
                  key=lambda r: (r.month, r.item_code, r.branch_id))
    return Report(start=start, end=end, scope=scope, branch=branch, item_code=item_code, overall=overall,
                  months=months, by_item=by_item, by_branch=by_branch, rows=rows, sources=sources,
                  period_sources={code: values.get(branch_id) for code, values in month_values.items()})
