"""Where a piece of code stands in the caller's database transaction.

Outside systems (the bank, registries, SMS …) must never be called while a business transaction is open: a
payment could leave the bank and then the record of it roll back, and a slow answer would hold row locks for
its whole length. `fund.integrations` asks `in_business_transaction()` before every operation, and services
that call outside systems themselves may ask it too.

A test case (pytest-django's `db` fixture, Django's `TestCase`) wraps each test in atomic blocks of its own and
marks them `_from_testcase`; those are not business transactions, so a test that calls a service at top level
is treated exactly as a request or a task would be in production.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction


def in_business_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True inside an atomic block other than the ones a test case wraps around each test."""
    connection = transaction.get_connection(using)
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
