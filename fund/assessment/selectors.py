"""The window assessment (窗口考核, Jining's 百分考核) of one month: per staff member, figures from the system's own
data and a score from the weights in force, each term shown.

Figures (the month is Shanghai's calendar month):
- steps done: `ApplicationStep` rows whose `done_by` is the person and `left_at` falls in the month, by label;
- median handling time: the median of `left_at − entered_at` over those steps, in minutes;
- on time: of those steps with a deadline, the share left on or before it (`left_at`'s date ≤ `deadline`);
  late steps are the rest; steps without a deadline count in neither;
- returns for missing materials: steps with `returned` that the person moved the application into (`actor`),
  entered in the month — the returns they issued, which is what 一次性告知 asks to avoid;
- every registered source (稽核疑点, 投诉 …): its count for the person;
- ratings received in the month on applications the person accepted (`Application.handled_by`): count,
  average, good (4–5) and bad.

Who sees whom: a director or 稽核 with a centre-wide post sees every branch; a director or 审批 post of a
branch (the branch's head) sees that branch; any other member of staff sees only their own row. Not staff: 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q
from django.http import Http404

from fund.aggregates import MedianSeconds
from fund.dates import add_months, first_of_month
from fund.people.models import Branch, Post, StaffProfile
from fund.people.roles import roles_of
from fund.ratings.models import Rating
from fund.ratings.selectors import GOOD_STARS, month_bounds
from fund.tracking.models import ApplicationStep

from .models import WeightSet
from .registry import assessment_sources
from .terms import BUILT_IN, TermSpec, term_specs

TWO = Decimal("0.01")


def plain(value: Decimal) -> str:
    """A number as people write it: 100, -2, 0.5, 74.5 (never 1E+2 or 100.00)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text



# ---- who sees whom -------------------------------------------------------------------------------------------------

HEAD_POSTS = (Post.DIRECTOR, Post.APPROVE)
CENTRE_POSTS = (Post.DIRECTOR, Post.AUDIT)


@dataclass(frozen=True)
class AssessmentScope:
    kind: str  # "all" / "branch" / "self"
    branch_id: int | None
    user_id: int
    label: str

    @property
    def chooses_branch(self) -> bool:
        return self.kind == "all"


def assessment_scope(user: Any) -> AssessmentScope:
    """What `user` may see of the assessment; 404 for anyone not on staff."""
    roles = roles_of(user)
    staff = roles.staff
    if staff is None:
        raise Http404("未找到，或您无权访问")
    if staff.centre_wide and any(roles.has_post(p) for p in CENTRE_POSTS):
        return AssessmentScope("all", None, user.pk, "全中心")
    if any(roles.has_post(p) for p in HEAD_POSTS):
        return AssessmentScope("branch", staff.branch_id, user.pk, staff.branch.name)
    return AssessmentScope("self", staff.branch_id, user.pk, "本人")


def weights_may_edit(user: Any) -> bool:
    """The director sets the weights (分管副主任/主任 post)."""
    return roles_of(user).has_post(Post.DIRECTOR)


# ---- weights -------------------------------------------------------------------------------------------------------

def weights_in_force(month: date) -> WeightSet:
    """The set in force for `month`: the latest starting on or before its first day (the newest of a month)."""
    found = (WeightSet.objects.filter(effective_from__lte=first_of_month(month))
             .order_by("-effective_from", "-id").prefetch_related("weights").first())
    if found is None:  # the migration writes the default set; a database without it is broken, not empty
        raise LookupError("没有生效的考核权重")
    return found


def weights_history() -> list[WeightSet]:
    return list(WeightSet.objects.select_related("created_by").prefetch_related("weights").order_by("-effective_from", "-id"))


def weight_map(weight_set: WeightSet) -> dict[str, Decimal]:
    return {w.term: w.per for w in weight_set.weights.all()}


def weights_text(weights: dict[str, Decimal]) -> str:
    """"超时环节 -2；差评 -3 …" for the audit log and the history (terms of every known spec, then the rest)."""
    labels = {t.code: t.label for t in term_specs()}
    return "；".join(f"{labels.get(code, code)} {'+' if per > 0 else ''}{plain(per)}" for code, per in weights.items() if per)


# ---- the figures ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    code: str
    label: str
    count: int
    per: Decimal
    points: Decimal


@dataclass
class AssessmentRow:
    user_id: int
    name: str
    branch: str
    steps: int = 0
    steps_by_label: list[tuple[str, int]] = field(default_factory=list)
    median_minutes: Decimal | None = None
    with_deadline: int = 0
    late: int = 0
    returns: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    ratings: int = 0
    rating_avg: Decimal | None = None
    good: int = 0
    bad: int = 0
    base: Decimal = Decimal("0")
    terms: list[Term] = field(default_factory=list)
    score: Decimal = Decimal("0")

    @property
    def on_time(self) -> Decimal | None:
        """Share of steps with a deadline done on time, to four places; None when none had a deadline."""
        if not self.with_deadline:
            return None
        return (Decimal(self.with_deadline - self.late) / Decimal(self.with_deadline)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def on_time_pct(self) -> str:
        rate = self.on_time
        return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"

    @property
    def step_counts(self) -> list[dict[str, Any]]:
        return [{"label": label, "count": count} for label, count in self.steps_by_label]

    @property
    def active(self) -> bool:
        return bool(self.steps or self.returns or self.ratings or any(self.sources.values()))

    @property
    def explanation(self) -> str:
        """"100 − 2×3（超时环节）+ 0.5×4（好评）= 96" — every term with a weight, in order."""
        parts = [plain(self.base)]
        for term in self.terms:
            if term.per and term.count:
                sign = "+" if term.per > 0 else "−"
                parts.append(f"{sign} {plain(abs(term.per))}×{term.count}（{term.label}）")
        return " ".join(parts) + f" = {plain(self.score)}"

    def value(self, code: str) -> int:
        return {"steps_done": self.steps, "late_steps": self.late, "returns": self.returns,
                "good_ratings": self.good, "bad_ratings": self.bad}.get(code, self.sources.get(code, 0))


@dataclass
class Assessment:
    month: date
    scope: AssessmentScope
    branch: Branch | None
    weights: WeightSet
    specs: list[TermSpec]
    rows: list[AssessmentRow]
    sort: str

    @property
    def sources(self) -> list[TermSpec]:
        """The registered sources' terms (after the built-in ones)."""
        return self.specs[len(BUILT_IN):]


def _population(scope: AssessmentScope, branch_id: int | None) -> dict[int, AssessmentRow]:
    profiles = StaffProfile.objects.select_related("user", "branch")
    if scope.kind == "self":
        profiles = profiles.filter(user_id=scope.user_id)
    elif scope.kind == "branch" and scope.branch_id is not None:
        profiles = profiles.filter(branch_id=scope.branch_id)
    elif branch_id is not None:
        profiles = profiles.filter(branch_id=int(branch_id))
    return {p.user_id: AssessmentRow(user_id=p.user_id, name=p.user.get_full_name() or p.user.username,
                                     branch=p.branch.name)
            for p in profiles.order_by("branch__code", "employee_number")}


def _minutes(seconds: float | None) -> Decimal | None:
    return None if seconds is None else (Decimal(str(seconds)) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _fill(rows: dict[int, AssessmentRow], month: date) -> None:
    start, end = month_bounds(month)
    ids = list(rows)
    steps = ApplicationStep.objects.filter(done_by_id__in=ids, left_at__gte=start, left_at__lt=end)
    by_label: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in (steps.order_by().values("done_by_id", "label")
                .annotate(n=Count("id"), timed=Count("id", filter=Q(deadline__isnull=False)),
                          late=Count("id", filter=Q(deadline__isnull=False, left_at__date__gt=F("deadline"))))
                .order_by("done_by_id", "-n", "label")):
        target = rows[row["done_by_id"]]
        target.steps += row["n"]
        target.with_deadline += row["timed"]
        target.late += row["late"]
        by_label[row["done_by_id"]].append((row["label"], row["n"]))
    for user_id, labels in by_label.items():
        rows[user_id].steps_by_label = labels
    medians = steps.order_by().values("done_by_id").annotate(median=MedianSeconds(F("left_at") - F("entered_at")))
    for median in medians.values_list("done_by_id", "median"):
        rows[median[0]].median_minutes = _minutes(median[1])
    returns = ApplicationStep.objects.filter(returned=True, actor_id__in=ids, entered_at__gte=start, entered_at__lt=end)
    for actor_id, count in returns.order_by().values("actor_id").annotate(n=Count("id")).values_list("actor_id", "n"):
        rows[actor_id].returns = count
    ratings = Rating.objects.filter(application__handled_by_id__in=ids, created_at__gte=start, created_at__lt=end)
    for user_id, count, average, good, bad in (
            ratings.order_by().values("application__handled_by_id")
            .annotate(n=Count("id"), avg=Avg("stars"), good=Count("id", filter=Q(stars__gte=GOOD_STARS)),
                      bad_count=Count("id", filter=Q(bad=True)))
            .values_list("application__handled_by_id", "n", "avg", "good", "bad_count")):
        target = rows[user_id]
        target.ratings, target.good, target.bad = count, good, bad
        target.rating_avg = Decimal(str(average)).quantize(TWO, rounding=ROUND_HALF_UP)
    last_day = add_months(month, 1) - timedelta(days=1)
    for source in assessment_sources():
        counts = source.fn(first_of_month(month), last_day)
        for user_id, count in counts.items():
            if user_id in rows:
                rows[user_id].sources[source.code] = int(count)


def _score(row: AssessmentRow, weights: WeightSet, specs: list[TermSpec]) -> None:
    per = weight_map(weights)
    row.base = weights.base
    row.terms = []
    total = weights.base
    for spec in specs:
        count = row.value(spec.code)
        weight = per.get(spec.code, Decimal("0"))
        points = (weight * count).quantize(TWO, rounding=ROUND_HALF_UP)
        row.terms.append(Term(code=spec.code, label=spec.label, count=count, per=weight, points=points))
        total += points
    row.score = total.quantize(TWO, rounding=ROUND_HALF_UP)


def _sort_key(code: str) -> Any:
    def key(row: AssessmentRow) -> Any:
        if code == "name":
            return row.name
        if code == "branch":
            return row.branch
        value = {"steps": row.steps, "median": row.median_minutes, "on_time": row.on_time, "late": row.late,
                 "returns": row.returns, "ratings": row.ratings, "rating_avg": row.rating_avg, "good": row.good,
                 "bad": row.bad, "score": row.score}.get(code) if not code.startswith("source:") \
            else row.sources.get(code.removeprefix("source:"), 0)
        return value

    return key


def sort_codes() -> list[str]:
    return ["name", "branch", "steps", "median", "on_time", "late", "returns", "ratings", "rating_avg", "good", "bad",
            "score", *(f"source:{s.code}" for s in assessment_sources())]


def sort_rows(rows: list[AssessmentRow], sort: str) -> str:
    """Sort in place by `sort` ("score", "-late", "source:audit_hits" …); an unknown code is refused by the
    caller. Rows without a value (no deadline, no rating) go last either way. Returns the sort applied."""
    descending = sort.startswith("-")
    code = sort.lstrip("-")
    key = _sort_key(code)
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    present.sort(key=lambda r: (key(r), r.name), reverse=descending)
    rows[:] = present + missing
    return sort


def assessment_month(user: Any, *, month: date, branch_id: int | None = None, sort: str = "-score") -> Assessment:
    """The assessment of `month` as `user` may see it: one row per member of staff in scope with any figure
    that month (their own row always for someone who sees only themself), scored and sorted."""
    scope = assessment_scope(user)
    month = first_of_month(month)
    branch = None
    if scope.kind == "all" and branch_id is not None:
        branch = Branch.objects.filter(pk=branch_id).first()
        if branch is None:
            raise Http404("未找到，或您无权访问")
    elif scope.branch_id is not None:
        branch = Branch.objects.filter(pk=scope.branch_id).first()
    if sort.lstrip("-") not in sort_codes():
        raise ValueError(sort)
    rows = _population(scope, branch_id if scope.kind == "all" else None)
    _fill(rows, month)
    weights = weights_in_force(month)
    specs = term_specs()
    kept = [r for r in rows.values() if r.active or scope.kind == "self"]
    for row in kept:
        _score(row, weights, specs)
    sort_rows(kept, sort)
    return Assessment(month=month, scope=scope, branch=branch, weights=weights, specs=specs, rows=kept, sort=sort)


def weights_for_api(weights: WeightSet) -> dict[str, Any]:
    specs = {t.code: t for t in term_specs()}
    return {
        "id": weights.pk, "effective_from": weights.effective_from, "base": weights.base, "base_text": plain(weights.base),
        "note": weights.note,
        "created_by": str(weights.created_by) if weights.created_by else None, "created_at": weights.created_at,
        "weights": [{"term": w.term, "label": specs[w.term].label if w.term in specs else w.term, "per": w.per, "per_text": plain(w.per)}
                    for w in weights.weights.all()],
    }
