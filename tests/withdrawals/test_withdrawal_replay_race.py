"""A replayed submission (the same Idempotency-Key, or the same form sent again) always answers with the first
withdrawal, even while the first is still being written: the key decides before any check of the account
(one in flight, the balance) can refuse it. Real threads, each with its own database connection."""

import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework.test import APIClient

from tests.deposits.test_concurrency import race
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import application, withdrawal_submit

pytestmark = pytest.mark.django_db(transaction=True)

CERT = "鲁(2026)示范市不动产权第0000801号"


def _until_someone_waits_for_a_lock() -> None:
    """Return once another session of this test database is blocked on a lock (the replay behind the first
    submission). The deadline only stops a broken run from hanging; a busy machine just takes longer."""
    deadline = time.monotonic() + 300
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the same answer for the whole transaction
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the replay never waited for the first submission")


def test_a_replay_arriving_while_the_first_is_being_written_gets_the_first(wd: Any, monkeypatch: Any) -> None:
    wd.home(wd.person.id_number, CERT)  # rent goes to review, so the first stays in flight
    body = dict(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="1000.00",
                client_token="form-1")
    written = threading.Event()
    results: dict[str, Any] = {}
    real_audit_log = application.audit_log

    def audit_log_then_hold(**kwargs: Any) -> Any:
        # The first's last write inside its own transaction: hold that transaction open until the replay is
        # waiting behind it. (Not a transaction of the test's around the call: submitting asks the bank, and no
        # outside call may run inside a transaction.)
        event = real_audit_log(**kwargs)
        written.set()
        _until_someone_waits_for_a_lock()
        return event

    monkeypatch.setattr(application, "audit_log", audit_log_then_hold)

    def first() -> None:
        try:
            results["first"] = withdrawal_submit(**body)
        except Exception as exc:  # noqa: BLE001 — the test inspects it
            results["first"] = exc
            written.set()
        finally:
            connection.close()

    def replay() -> None:
        written.wait()
        try:
            with connection.cursor() as cursor:  # however long a busy machine keeps the first waiting
                cursor.execute("SET lock_timeout = '300s'")
            results["replay"] = withdrawal_submit(**body)
        except Exception as exc:  # noqa: BLE001
            results["replay"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=replay)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(results["first"], Withdrawal), results
    assert isinstance(results["replay"], Withdrawal), results  # not "您已有一笔提取正在办理"
    assert results["replay"].pk == results["first"].pk and results["replay"].replayed
    assert Withdrawal.objects.count() == 1 and Withdrawal.objects.get().state == WithdrawalState.REVIEW


def test_thirty_concurrent_replays_of_one_idempotency_key_all_answer_the_first_withdrawal(wd: Any) -> None:
    wd.home(wd.person.id_number, CERT)
    body = {"account": wd.account.pk, "reason": "07", "amount": "1000.00"}

    def post(i: int) -> Any:
        client = APIClient()
        client.force_authenticate(wd.world.member_a)
        return client.post("/api/withdrawals/", body, format="json", HTTP_IDEMPOTENCY_KEY="app-retry-1")

    responses = race(30, post)
    assert all(not isinstance(r, Exception) for r in responses), [r for r in responses if isinstance(r, Exception)]
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 29 + [201], [(r.status_code, r.content[:200]) for r in responses if r.status_code >= 400]
    first = Withdrawal.objects.get()
    assert {r.json()["id"] for r in responses} == {first.pk} and first.client_token == "app-retry-1"


def test_a_different_key_while_one_is_in_flight_is_still_refused(wd: Any) -> None:
    """The key decides only for itself: another application for the same account waits its turn."""
    wd.home(wd.person.id_number, CERT)
    withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="100.00",
                      client_token="a")
    results = race(8, lambda i: withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07",
                                                  channel="online", amount="100.00", client_token=f"b-{i}"))
    assert all(isinstance(r, ValidationError) and "正在办理" in str(r) for r in results), results
    assert Withdrawal.objects.count() == 1
