"""No outside system is called inside a business transaction: every operation of every system, sandbox and
HTTP alike, refuses before anything is sent or logged. The blocks a test case wraps around each test do not
count, so a test (like a request or a task) calling a client at top level is served."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils.module_loading import import_string
from fake_gateway import operations_of

from fund.demo import make_id_number
from fund.integrations import IMPLEMENTATIONS, identity_registry
from fund.integrations.base import CalledInTransaction, NotFound
from fund.integrations.models import IntegrationCall
from fund.transactions import in_business_transaction

BORN = date(1985, 6, 1)

EVERY_OPERATION = [
    pytest.param(path, name, id=f"{system}.{backend}.{name}")
    for system, paths in IMPLEMENTATIONS.items()
    for backend, path in paths.items()
    for name in operations_of(import_string(path))
]


@pytest.mark.django_db
@override_settings(FUND_INTEGRATIONS_HTTP_BASE="http://127.0.0.1:9/never-asked")
@pytest.mark.parametrize(("path", "name"), EVERY_OPERATION)
def test_it_refuses_every_operation_inside_a_transaction_before_sending_or_logging_anything(
    path: str, name: str, monkeypatch: Any
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr("fund.integrations.http.post_json", lambda **kw: sent.append(kw))
    client = import_string(path)()
    with transaction.atomic(), pytest.raises(CalledInTransaction, match=name):
        getattr(client, name)()  # refused before the arguments are even looked at
    assert sent == [] and not IntegrationCall.objects.exists()


def test_every_system_and_implementation_is_covered() -> None:
    covered = {p.values[0] for p in EVERY_OPERATION}
    assert covered == {path for paths in IMPLEMENTATIONS.values() for path in paths.values()}
    assert len(EVERY_OPERATION) > 2 * len(IMPLEMENTATIONS)


@pytest.mark.django_db
def test_it_refuses_inside_a_nested_block_and_serves_again_once_it_is_closed() -> None:
    unknown = make_id_number(birth=BORN, seq=77)
    with transaction.atomic():
        with transaction.atomic(), pytest.raises(CalledInTransaction):
            identity_registry().lookup(id_number=unknown)
        with pytest.raises(CalledInTransaction):  # still inside the outer one
            identity_registry().lookup(id_number=unknown)
    with pytest.raises(NotFound):  # served (and logged) at the test's top level
        identity_registry().lookup(id_number=unknown)
    assert IntegrationCall.objects.get().operation == "lookup"


@pytest.mark.django_db
def test_the_test_cases_own_wrapping_block_is_not_a_business_transaction() -> None:
    assert transaction.get_connection().in_atomic_block  # the db fixture's block
    assert not in_business_transaction()
    with transaction.atomic():
        assert in_business_transaction()


@pytest.mark.django_db(transaction=True)
def test_without_a_test_case_block_any_atomic_block_is_a_business_transaction() -> None:
    assert not in_business_transaction()
    with transaction.atomic():
        assert in_business_transaction()
    with pytest.raises(NotFound):
        identity_registry().lookup(id_number=make_id_number(birth=BORN, seq=78))
