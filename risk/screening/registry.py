"""The registry of screening checks (see the package's docstring).

Checks register at import (each app's `ready()` imports the modules that define them); fund never sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models


class Level(models.TextChoices):
    """Linyi's four levels of an audit hit, mildest first (the value orders them)."""

    DOUBT = "1", "办理要件存疑"
    INTAKE = "2", "受理初审违规"
    SUBMIT = "3", "业务提交违规"
    REDLINE = "4", "底线红线"


class Category(models.TextChoices):
    FRAUD = "fraud", "骗提骗贷"
    AUDIT = "audit", "业务稽核"


@dataclass(frozen=True)
class Finding:
    """What a check found on one subject: a one-line Chinese summary for the queue, the evidence (values read,
    other applications' numbers, integration call ids) as JSON, and `key` telling two findings of one rule on one
    subject apart (e.g. the other person's masked ID) so that screening again finds the same hit, not a new one."""

    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    key: str = ""


Screen = Callable[[models.Model, dict[str, Any]], Iterable[Finding]]
Sweep = Callable[[date, dict[str, Any]], Iterable[tuple[models.Model, Finding]]]


@dataclass(frozen=True)
class Check:
    code: str  # "fraud.medical_record": unique; a rule row names it
    label: str  # Chinese, for the rule list and the queue
    category: str  # Category
    level: str  # the Level a rule of this check gets by default
    subjects: tuple[str, ...]  # model labels ("withdrawals.withdrawal") the screen reads
    description: str  # Chinese: what it looks for and why (the seeds' reason)
    screen: Screen | None = None  # one subject as it commits; None for sweep-only checks
    sweep: Sweep | None = None  # history, set-based, for the nightly close of a business date
    params: dict[str, Any] = field(default_factory=dict)  # defaults a rule row may override


_CHECKS: dict[str, Check] = {}


def register_check(check: Check) -> Check:
    """Register (or replace, so a reloaded module registers once) one check."""
    _CHECKS[check.code] = check
    return check


def check_get(code: str) -> Check | None:
    return _CHECKS.get(code)


def checks() -> list[Check]:
    """Every registered check, by code."""
    return sorted(_CHECKS.values(), key=lambda check: check.code)


def checks_for(model_label: str) -> list[Check]:
    """The checks that screen subjects of `model_label` ("app_label.modelname")."""
    return [check for check in checks() if model_label in check.subjects and check.screen is not None]
