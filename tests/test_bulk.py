"""fund.bulk: rows loaded by COPY (NULLs, Decimals and text with tabs and newlines intact) into a scratch table
that is analysed for its keys and gone at commit."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from fund.bulk import bulk_settings, copy_text, temp_table_load

pytestmark = pytest.mark.django_db(transaction=True)  # COMMIT itself is what is checked


def test_rows_are_loaded_as_given_and_the_table_is_gone_at_commit() -> None:
    rows = [(1, "DK1", Decimal("1604.36"), None), (2, "户名\t带\n符号\\", Decimal("0.01"), True)]
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
    with transaction.atomic(), connection.cursor() as cursor:
        bulk_settings(cursor)
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "32MB"
        temp_table_load(cursor, "bulk_probe", (("n", "integer"), ("ref", "text"), ("amount", "numeric"),
                                               ("ok", "boolean")), iter(rows), keys=("ref",))
        cursor.execute("SELECT n, ref, amount, ok FROM bulk_probe ORDER BY n")
        assert cursor.fetchall() == rows
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'bulk_probe'")
        assert cursor.fetchone()[0] == 2  # analysed: the planner knows its size
        copy_text(cursor, "bulk_probe", ("n", "ref"), "3\tDK3\n")
        cursor.execute("SELECT COUNT(*) FROM bulk_probe WHERE amount IS NULL AND ok IS NULL")
        assert cursor.fetchone()[0] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('pg_temp.bulk_probe')")
        assert cursor.fetchone()[0] is None
    with connection.cursor() as cursor:  # the settings were the transaction's only
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before
