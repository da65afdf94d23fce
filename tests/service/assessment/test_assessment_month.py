"""窗口考核: a crafted month worked by hand (each figure, each term and the score), weights that change the score
from their month on, the sortable table, the export, and who sees whom."""

import itertools
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from fund.assessment import selectors as assessment_selectors
from fund.assessment import terms as assessment_terms
from fund.assessment.registry import AssessmentSource, assessment_sources
from fund.assessment.selectors import assessment_month
from fund.assessment.services import weights_set
from fund.people.models import Branch, Post
from fund.people.services import staff_create
from fund.ratings.models import Rating
from fund.tracking.models import Application, ApplicationStep
from risk.models import HitState, ScreeningHit, ScreeningRule
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 3, 1)
_numbers = itertools.count(1)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime.combine(date(2026, month, day), time(hour, minute), tzinfo=ZONE)


def application(branch: Any, handled_by: Any) -> Application:
    n = next(_numbers)
    return Application.objects.create(
        number=f"BJ20260301{n:08d}", kind="test.kind", item_code="TQ-01", title=f"办件{n}",
        subject_type=ContentType.objects.get_for_model(Branch), subject_id=20_000 + n, branch=branch,
        channel="window", submitted_at=at(2, 9), outcome="done", finished_at=at(2, 9), step_code="done",
        step_label="已办结", step_since=at(2, 9), handled_by=handled_by)


def step(app: Application, label: str, entered: datetime, left: datetime | None, *, done_by: Any = None,
         actor: Any = None, deadline: date | None = None, returned: bool = False) -> ApplicationStep:
    return ApplicationStep.objects.create(application=app, code=label, label=label, entered_at=entered, left_at=left,
                                          deadline=deadline, done_by=done_by, actor=actor, returned=returned)


def rating(app: Application, stars: int, when: datetime) -> None:
    created = Rating.objects.create(application=app, stars=stars, channel="online", bad=stars <= 2)
    Rating.objects.filter(pk=created.pk).update(created_at=when)


@pytest.fixture
def complaints(monkeypatch: Any, world: Any) -> dict[int, int]:
    """The tickets app's "complaints" source, replaced by a stand-in: two complaints against the clerk."""
    counts = {world.clerk.pk: 2}
    seen: list[tuple[date, date]] = []

    def fn(start: date, end: date) -> dict[int, int]:
        seen.append((start, end))
        return counts if (start, end) == (MONTH, date(2026, 3, 31)) else {}

    sources = [*(s for s in assessment_sources() if s.code != "complaints"), AssessmentSource("complaints", "投诉", fn)]
    monkeypatch.setattr(assessment_selectors, "assessment_sources", lambda: sources)
    monkeypatch.setattr(assessment_terms, "assessment_sources", lambda: sources)
    return counts


@pytest.fixture
def month(world: Any, complaints: Any) -> dict[str, Any]:
    """March 2026 for the clerk (and a little for clerk_b), and what lies outside it."""
    clerk, clerk_b = world.clerk, world.clerk_b
    a, b, c = (application(world.branch_a, clerk) for _ in range(3))
    step(a, "受理", at(2, 10), at(2, 10, 30), done_by=clerk, deadline=date(2026, 3, 2))  # 30 min, on time
    step(b, "初审", at(3, 9), at(5, 9), done_by=clerk, deadline=date(2026, 3, 4))  # 2880 min, a day late
    step(c, "受理", at(9, 14), at(9, 14, 10), done_by=clerk)  # 10 min, no deadline
    step(c, "初审", at(31, 23), at(1, 8, month=4), done_by=clerk, deadline=date(2026, 4, 1))  # left in April
    step(b, "补正", at(5, 9), at(6, 9), actor=clerk, returned=True)  # a return the clerk issued in March
    step(a, "补正", at(27, 9, month=2), at(28, 9, month=2), actor=clerk, returned=True)  # February's
    rating(a, 5, at(20, 12))
    rating(b, 1, at(21, 12))
    rating(c, 4, at(1, 12, month=4))  # April's
    d = application(world.branch_b, clerk_b)
    step(d, "受理", at(10, 9), at(10, 9, 20), done_by=clerk_b, deadline=date(2026, 3, 10))
    rule = ScreeningRule.objects.order_by("id").first()
    for state, decided in ((HitState.CONFIRMED, at(12, 9)), (HitState.DISMISSED, at(12, 9)),
                           (HitState.RECTIFYING, at(2, 9, month=4))):
        ScreeningHit.objects.create(rule=rule, subject_type=a.subject_type, subject_id=a.subject_id,
                                    subject_label="办件", category=rule.category, level=rule.level, summary="疑点",
                                    key=state, found_by="commit", state=state, decided_at=decided)
    return {"clerk": clerk, "clerk_b": clerk_b}


def test_a_crafted_month_is_worked_by_hand_each_term_and_the_score(world, month):
    result = assessment_month(world.director, month=MONTH, sort="name")
    row = next(r for r in result.rows if r.user_id == world.clerk.pk)
    assert row.steps == 3 and dict(row.steps_by_label) == {"受理": 2, "初审": 1}
    assert row.median_minutes == Decimal("30.0")  # of 10, 30 and 2880 minutes
    assert (row.with_deadline, row.late, row.on_time) == (2, 1, Decimal("0.5"))
    assert row.returns == 1
    assert row.sources == {"audit_hits": 1, "complaints": 2}  # the dismissed hit and April's do not count
    assert (row.ratings, row.rating_avg, row.good, row.bad) == (2, Decimal("3.00"), 1, 1)
    terms = {t.code: (t.count, t.per, t.points) for t in row.terms}
    assert terms == {
        "steps_done": (3, Decimal("0"), Decimal("0")), "late_steps": (1, Decimal("-2"), Decimal("-2")),
        "returns": (1, Decimal("-1"), Decimal("-1")), "good_ratings": (1, Decimal("0.5"), Decimal("0.5")),
        "bad_ratings": (1, Decimal("-3"), Decimal("-3")), "audit_hits": (1, Decimal("-10"), Decimal("-10")),
        "complaints": (2, Decimal("-5"), Decimal("-10")),
    }
    # 100 − 2 − 1 + 0.5 − 3 − 10 − 10
    assert row.score == Decimal("74.5")
    assert row.explanation == ("100 − 2×1（超时环节） − 1×1（补正退回） + 0.5×1（好评） − 3×1（差评） − 10×1（稽核疑点） "
                               "− 5×2（投诉） = 74.5")
    other = next(r for r in result.rows if r.user_id == world.clerk_b.pk)
    assert (other.steps, other.late, other.score) == (1, 0, Decimal("100"))
    assert [r.name for r in result.rows] == sorted(r.name for r in result.rows)


def test_new_weights_change_the_score_from_their_month_and_only_the_director_sets_them(world, month):
    with pytest.raises(PermissionDenied):
        weights_set(actor=world.clerk, effective_from=MONTH, base=100, weights={}, today=MONTH)
    with pytest.raises(ValidationError) as refused:
        weights_set(actor=world.director, effective_from=date(2026, 2, 1), base=100, weights={"late_steps": "x"},
                    today=MONTH)
    assert set(refused.value.message_dict) == {"effective_from", "w_late_steps"}
    weights_set(actor=world.director, effective_from=MONTH, base=90,
                weights={"late_steps": "-5", "bad_ratings": "-4", "audit_hits": "-20", "steps_done": "1"},
                note="加大超时扣分", today=MONTH)
    row = next(r for r in assessment_month(world.director, month=MONTH).rows if r.user_id == world.clerk.pk)
    # 90 + 1×3 − 5×1 − 4×1 − 20×1; returns, good ratings and complaints now weigh nothing
    assert row.score == Decimal("64")
    assert row.explanation == "90 + 1×3（办理环节） − 5×1（超时环节） − 4×1（差评） − 20×1（稽核疑点） = 64"
    february = assessment_month(world.director, month=date(2026, 2, 1))
    assert february.weights.base == Decimal("100")  # the month before keeps the weights it was scored with


def test_each_sees_whom_their_post_allows(world, month):
    head = staff_create(actor=None, username="head_a", name="审批甲", branch=world.branch_a, posts=[Post.APPROVE],
                        employee_number="head_a", password=PASSWORD)
    assert {r.user_id for r in assessment_month(world.clerk, month=MONTH).rows} == {world.clerk.pk}
    assert {r.user_id for r in assessment_month(head, month=MONTH).rows} == {world.clerk.pk}  # branch A's, not B's
    assert {world.clerk.pk, world.clerk_b.pk} <= {r.user_id for r in assessment_month(world.director, month=MONTH).rows}
    page = Client()
    page.force_login(world.clerk_b)
    html = page.get("/staff/assessment/", {"month": "2026-03"}).content.decode()
    assert f'data-user="{world.clerk_b.pk}"' in html and f'data-user="{world.clerk.pk}"' not in html
    for outsider in (world.member_a, world.unit_a_op):
        api = APIClient()
        api.force_authenticate(outsider)
        assert api.get("/api/service/assessment/").status_code == 404
        page.force_login(outsider)
        assert page.get("/staff/assessment/").status_code == 404


def test_the_table_sorts_by_any_column_and_exports_what_it_shows(world, month):
    api = APIClient()
    api.force_authenticate(world.director)
    by_late = api.get("/api/service/assessment/", {"month": "2026-03", "sort": "-late"}).json()
    assert by_late["rows"][0]["user_id"] == world.clerk.pk and by_late["rows"][0]["late"] == 1
    by_score = api.get("/api/service/assessment/", {"month": "2026-03", "sort": "score"}).json()
    assert by_score["rows"][0]["score"] == "74.50"
    assert api.get("/api/service/assessment/", {"sort": "password"}).status_code == 400
    page = Client()
    page.force_login(world.director)
    html = page.get("/staff/assessment/", {"month": "2026-03", "sort": "-source:audit_hits"}).content.decode()
    assert 'data-chart="scores"' in html and "74.5" in html and "稽核疑点 ↓" in html
    sheet = page.get("/staff/assessment/export/", {"month": "2026-03", "branch": world.branch_a.pk})
    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    clerk_row = next(r for r in rows if r and r[0] == world.clerk.get_full_name())
    assert clerk_row[-2] == 74.5 and "= 74.5" in clerk_row[-1]
    assert not any(r and r[0] == world.clerk_b.get_full_name() for r in rows)  # the branch asked for only
