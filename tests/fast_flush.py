"""Emptying the database after a transactional test (a live server, a real worker) with DELETE, not TRUNCATE.

Django empties every table after such a test with one TRUNCATE of all ~100 tables and then recreates the content
types and permissions (post_migrate). A TRUNCATE makes new files for every table and index, whether it held a
row or not: five seconds or more on a loaded machine, for a test that wrote to a dozen tables. Here the flush
deletes the rows of the tables that have any, with triggers off for that transaction (the append-only and
foreign-key triggers, as a TRUNCATE never fires row triggers either), and leaves the content types and
permissions, which post_migrate would write back the same. Sequences are not reset, as Django's flush does not
reset them either. Without the right to switch triggers off (a login that is not a superuser) it falls back to
Django's TRUNCATE.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.postgresql.operations import DatabaseOperations

# Rows post_migrate writes back after a flush, the same each time: keeping them skips a few hundred inserts.
KEPT = frozenset({"django_content_type", "auth_permission"})


def _may_disable_triggers(connection: Any) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


def _tables_with_rows(connection: Any, tables: list[str]) -> list[str]:
    quote = connection.ops.quote_name
    probe = " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(probe, tables)
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def deleting_flush() -> Iterator[None]:
    """While active, Django's flush (of PostgreSQL) deletes the rows instead of truncating the tables."""
    truncating = DatabaseOperations.sql_flush

    def sql_flush(self: DatabaseOperations, style: Any, tables: Any, *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        if not tables or reset_sequences or not _may_disable_triggers(self.connection):
            return truncating(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        emptied = [table for table in _tables_with_rows(self.connection, list(tables)) if table not in KEPT]
        # execute_sql_flush runs these in one transaction: SET LOCAL ends with it.
        return ["SET LOCAL session_replication_role = replica",
                *(f"DELETE FROM {self.quote_name(table)}" for table in emptied)]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = truncating  # type: ignore[method-assign]
