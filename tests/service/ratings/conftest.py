"""Applications in the register (fund.tracking), built directly as plain rows: ratings read only them."""

import itertools
from datetime import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from fund.people.models import Branch
from fund.tracking.models import Application

_numbers = itertools.count(1)


def make_application(*, branch: Any, handled_by: Any = None, person: Any = None, employer: Any = None,
                     outcome: str = "done", finished_at: datetime | None = None, item_code: str = "TQ-01") -> Application:
    """A finished application (or `outcome`), as its line would have left it in the register."""
    n = next(_numbers)
    now = timezone.now()
    return Application.objects.create(
        number=f"BJ20260316{n:08d}", kind="test.kind", item_code=item_code, title=f"测试办件{n}",
        subject_type=ContentType.objects.get_for_model(Branch), subject_id=10_000 + n, branch=branch,
        person=person, employer=employer, lookup_suffix="1234", channel="window", submitted_at=now,
        accepted_at=now, finished_at=(finished_at or now) if outcome in ("done", "refused") else None,
        outcome=outcome, step_code=outcome, step_label="已办结", step_since=now, handled_by=handled_by,
    )


@pytest.fixture
def application_of(world: Any) -> Any:
    """application_of(who=member_a|unit_a, handled_by=…): a finished application of member A (or unit A)."""

    def build(*, unit: bool = False, branch: Any = None, handled_by: Any = None, **kwargs: Any) -> Application:
        if unit:
            kwargs["employer"] = world.unit_a.employer
        else:
            kwargs["person"] = world.account_a.person
        return make_application(branch=branch or world.branch_a, handled_by=handled_by or world.clerk, **kwargs)

    return build
