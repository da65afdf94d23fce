"""The terms of the score: the built-in figures the assessment computes from the register of applications and
the ratings, then every registered source (fund.assessment.registry). Each term is a count; its points are the
count × the term's weight in the set in force, and the score is the base plus every term's points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .registry import assessment_sources


@dataclass(frozen=True)
class TermSpec:
    code: str
    label: str
    about: str


BUILT_IN = (
    TermSpec("steps_done", "办理环节", "本月经其办结（转入下一环节）的办件环节数"),
    TermSpec("late_steps", "超时环节", "其办结的环节中，办结日期晚于环节时限的个数"),
    TermSpec("returns", "补正退回", "由其退回申请人补正材料的次数（未一次性告知）"),
    TermSpec("good_ratings", "好评", "本月收到的、由其受理的办件的 4–5 星评价"),
    TermSpec("bad_ratings", "差评", "本月收到的、由其受理的办件的差评"),
)

# The weights the system starts with (the first migration writes them): Jining's 百分考核 starts everyone at 100
# and deducts per fault; good ratings add a little.
DEFAULT_BASE = Decimal("100")
DEFAULT_WEIGHTS = {
    "steps_done": Decimal("0"), "late_steps": Decimal("-2"), "returns": Decimal("-1"),
    "good_ratings": Decimal("0.5"), "bad_ratings": Decimal("-3"),
    "complaints": Decimal("-5"), "audit_hits": Decimal("-10"),
}


def term_specs() -> list[TermSpec]:
    """Every term, built-in first, then the registered sources (by code, so the columns stay put)."""
    sources = sorted(assessment_sources(), key=lambda s: s.code)
    return [*BUILT_IN, *(TermSpec(s.code, s.label, f"登记来源：{s.label}") for s in sources)]
