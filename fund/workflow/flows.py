"""Flows as data: each business line declares the steps of its manual review once, and registers them here.

    WITHDRAWAL_REVIEW = register_flow(FlowSpec(
        name="withdrawals.review", label="提取人工审核", deadline_policy="withdrawal_review_days",
        steps=(StepSpec("review", "初审", (Post.REVIEW,)), StepSpec("approve", "审批", (Post.APPROVE, Post.DIRECTOR))),
    ))

The core never imports a business app: the subject of a work item is any model instance, reached through
a generic relation, and shown through its `__str__` and `get_staff_url()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fund.audit.actions import register_actions


@dataclass(frozen=True)
class StepSpec:
    code: str
    label: str
    posts: tuple[str, ...]  # fund.people.models.Post values that may act on this step


@dataclass(frozen=True, kw_only=True)
class FlowSpec:
    name: str
    label: str
    steps: tuple[StepSpec, ...]
    deadline_policy: str  # the policy giving the working days from opening to the last step's decision

    def step(self, code: str) -> StepSpec:
        for step in self.steps:
            if step.code == code:
                return step
        raise KeyError(code)

    def after(self, code: str) -> StepSpec | None:
        codes = [s.code for s in self.steps]
        index = codes.index(code)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None


_FLOWS: dict[str, FlowSpec] = {}


def register_flow(spec: FlowSpec) -> FlowSpec:
    if len({s.code for s in spec.steps}) != len(spec.steps):
        raise ValueError(f"流程 {spec.name} 的环节编码重复")
    _FLOWS[spec.name] = spec
    # The audit code work_act writes for each step ("workflow.withdrawals.review.approve") gets its name here.
    register_actions({f"workflow.{spec.name}": spec.label})
    register_actions({f"workflow.{spec.name}.{s.code}": f"{spec.label}·{s.label}" for s in spec.steps})
    return spec


def flow(name: str) -> FlowSpec:
    return _FLOWS[name]


def flows() -> list[FlowSpec]:
    return list(_FLOWS.values())
