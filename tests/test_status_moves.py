"""The one status-move helper: the table decides, the old state is compared and set, and every move leaves a
history row and an audit event."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from fund.audit.models import AuditEvent
from fund.people.models import Branch
from fund.workflow.models import ItemState, WorkItem
from fund.workflow.moves import MoveTable, StaleStatus, move_status, status_history
from tests.conftest import BranchFactory

pytestmark = pytest.mark.django_db

ITEM_MOVES = MoveTable(WorkItem, noun="待办", moves={ItemState.OPEN: {ItemState.DONE, ItemState.CANCELLED}})


@pytest.fixture
def item() -> WorkItem:
    branch = BranchFactory(code="09", name="测试管理部")
    return WorkItem.objects.create(
        flow="t", step="s", step_label="环节", subject_type=ContentType.objects.get_for_model(Branch),
        subject_id=branch.pk, subject_label="测试", branch=branch, due_on=date(2026, 7, 1),
    )


def test_a_move_the_table_allows_is_made_once_with_history_and_audit(item, world):
    old = move_status(item, ItemState.DONE, table=ITEM_MOVES, actor=world.director, action="test.done",
                      note={"why": "ok"}, opinion="同意")
    assert old == ItemState.OPEN
    item.refresh_from_db()
    assert (item.state, item.opinion) == (ItemState.DONE, "同意")
    [change] = status_history(item)
    assert (change.field, change.old, change.new, change.action) == ("state", "open", "done", "test.done")
    assert change.actor == world.director
    event = AuditEvent.objects.get(action="test.done")
    assert event.old == {"state": "open"} and event.new == {"state": "done", "why": "ok"}


def test_it_refuses_a_move_the_table_does_not_allow_naming_the_state(item):
    item.state = ItemState.DONE
    WorkItem.objects.filter(pk=item.pk).update(state=ItemState.DONE)
    with pytest.raises(ValidationError) as refused:
        move_status(item, ItemState.CANCELLED, table=ITEM_MOVES, action="test.cancel", verb="撤销")
    assert refused.value.message_dict == {"state": ["待办状态为“已办”，不能撤销"]}
    assert not status_history(item).exists() and not AuditEvent.objects.filter(action="test.cancel").exists()


def test_the_second_of_two_racing_moves_is_stale_and_writes_nothing(item):
    first, second = WorkItem.objects.get(pk=item.pk), WorkItem.objects.get(pk=item.pk)
    move_status(first, ItemState.DONE, table=ITEM_MOVES, action="test.done")
    with pytest.raises(StaleStatus):
        move_status(second, ItemState.CANCELLED, table=ITEM_MOVES, action="test.cancel")
    assert WorkItem.objects.get(pk=item.pk).state == ItemState.DONE
    assert [c.new for c in status_history(item)] == ["done"]


def test_a_table_naming_an_unknown_state_is_refused_when_declared():
    with pytest.raises(ValueError):
        MoveTable(WorkItem, noun="待办", moves={ItemState.OPEN: {"nonsense"}})
