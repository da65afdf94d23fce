"""The database keeps the loans line's invariants whatever the services do."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fund.workflow.moves import move_status
from loans.states import APPLICATION_MOVES


def test_a_household_has_one_application_in_flight(ln: Any) -> None:
    ln.application()
    with pytest.raises(IntegrityError), transaction.atomic():
        ln.application()


def test_an_ended_application_leaves_room_for_the_next(ln: Any) -> None:
    first = ln.application(state="rejected")
    second = ln.application()
    assert first.household_key == second.household_key


def test_an_application_moves_only_along_its_table(ln: Any) -> None:
    app = ln.application(state="submitted")
    with pytest.raises(ValidationError, match="待受理"):
        move_status(app, "disbursed", table=APPLICATION_MOVES, action="loans.application.test", actor=ln.world.clerk)
    move_status(app, "reviewing", table=APPLICATION_MOVES, action="loans.application.test", actor=ln.world.clerk)
    assert app.state == "reviewing"


def test_a_signed_loan_sits_on_a_sub_account_of_loans_receivable(ln: Any) -> None:
    loan = ln.loan()
    assert loan.sub_account.control.code == "111" and loan.balance == Decimal("0.00")
    assert loan.principal == Decimal("600000.00") and loan.status == "pending"
