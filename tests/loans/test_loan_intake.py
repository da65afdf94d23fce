"""One intake for every channel: the window and a bank outlet accept on the spot (straight to review), online,
API and a developer's entry (once the buyer confirms) wait for the window's acceptance."""

from decimal import Decimal

import pytest

from fund.workflow.models import ItemState, WorkItem
from loans.models import ApplicationState, Channel, LoanApplication
from loans.services.applications import application_accept, application_confirm, application_submit

from tests.loans.applications_support import materials_for, new_home_form, second_hand_form

pytestmark = pytest.mark.django_db


def test_the_window_accepts_on_the_spot_and_the_review_opens(ln):
    app = application_submit(actor=ln.world.clerk, channel=Channel.WINDOW, account=ln.account,
                             fields=second_hand_form(), materials=materials_for("second_hand"))
    app.refresh_from_db()
    assert app.state == ApplicationState.REVIEWING
    assert app.visits == 1 and app.accepted_by == ln.world.clerk and app.accepted_at is not None
    assert app.quota and app.quota >= Decimal("200000.00") and app.rate and app.home_order == "first"
    assert any(limit["binding"] for limit in app.quota_detail["limits"])
    item = WorkItem.objects.get(subject_id=app.pk, state=ItemState.OPEN)
    assert item.flow == "loans.approval" and item.step == "review"
