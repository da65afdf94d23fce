"""The registry of close steps (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

StepRun = Callable[[date], dict[str, int]]


@dataclass(frozen=True)
class CloseStep:
    name: str  # "loans.debit": unique, stored on each step's run row
    label: str  # Chinese, shown on the close's progress page
    order: int  # steps run in ascending order (ties by name)
    run: StepRun


_STEPS: dict[str, CloseStep] = {}


def register_close_step(name: str, *, label: str, order: int, run: StepRun) -> None:
    """Register (or replace, so a reloaded app registers once) one step of the nightly close."""
    _STEPS[name] = CloseStep(name=name, label=label, order=order, run=run)


def close_steps() -> list[CloseStep]:
    """The registered steps in the order the close runs them."""
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))
