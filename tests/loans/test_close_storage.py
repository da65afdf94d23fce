"""What the close and the yearly job rely on in storage: an instalment's loan and segment are one key (a segment
of another loan is refused), and the tables a batch updates by the 20,000 keep room for the update beside each
row (fillfactor), so the update writes no index."""

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from loans.models import Instalment, ScheduleSegment

pytestmark = pytest.mark.django_db


def test_it_refuses_an_instalment_on_another_loans_segment(ln: Any) -> None:
    owner = ln.active_loan(card_balance="5000.00")
    colleague = ln.active_loan(card_balance="5000.00")
    theirs = ScheduleSegment.objects.filter(loan=colleague).first()
    first = Instalment.objects.filter(loan=owner).order_by("number").first()
    assert theirs is not None and first is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.filter(pk=first.pk).update(segment=theirs)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # its own loan's segment is taken, and the key still checks a segment exists
    with transaction.atomic():
        Instalment.objects.filter(pk=first.pk).update(segment=ScheduleSegment.objects.filter(loan=owner).first())
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize("table,most", [
    ("loans_collectionitem", 80), ("ledger_subaccount", 80), ("integrations_sandboxbankaccount", 80),
    ("loans_loan", 80), ("loans_instalment", 90),
])
def test_a_batch_updated_table_keeps_room_for_its_updates(table: str, most: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        options = cursor.fetchone()[0] or []
    fill = [int(o.split("=")[1]) for o in options if o.startswith("fillfactor=")]
    assert fill and fill[0] <= most
