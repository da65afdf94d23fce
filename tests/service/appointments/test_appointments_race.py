"""Never over-booked: bookers racing for a slot's last seats, each in its own connection, committing for real.
The seat is taken under a row lock on the slot's counter row (SELECT … FOR UPDATE), so they queue on it."""

import threading
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fund.appointments.models import Booking, BookingState, Slot
from fund.appointments.services.booking import booking_create
from tests import clock
from tests.service.appointments.conftest import ITEM, make_member, week

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY, TUESDAY = date(2026, 10, 12), date(2026, 10, 13)


def test_bookers_racing_for_the_last_seats_never_overbook(hall):
    week(hall.branch_a, range(5), capacity=3)
    members = [make_member(10 + i) for i in range(6)]
    results: list[object] = [None] * len(members)
    with clock.travel_to(MONDAY):
        booking_create(actor=hall.owner, branch=hall.branch_a, item_code=ITEM, day=TUESDAY, start=time(9))
        barrier = threading.Barrier(len(members))

        def run(i: int) -> None:
            try:
                barrier.wait()
                results[i] = booking_create(actor=members[i], branch=hall.branch_a, item_code=ITEM, day=TUESDAY,
                                            start=time(9))
            except Exception as exc:  # noqa: BLE001 — the test inspects what each booker met
                results[i] = exc
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(members))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)  # only stops a deadlock from hanging the run
    assert not any(t.is_alive() for t in threads)
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 2 and len(refused) == 4, results
    assert all("约满" in r.message_dict["start"][0] for r in refused)
    slot = Slot.objects.get(branch=hall.branch_a, day=TUESDAY, start=time(9))
    assert slot.booked == slot.capacity == 3
    assert Booking.objects.filter(slot=slot, state=BookingState.BOOKED).count() == 3
