"""The flush after a transactional test (tests/fast_flush.py) leaves the database as Django's own would: every
table empty, append-only ledger rows included, and what post_migrate writes back in place."""

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.conf import settings as guardian_settings

from fund.people.models import User
from tests.conftest import deposit_months


def _tables_with_rows() -> set[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(
            f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {connection.ops.quote_name(t)})" for t in tables))
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_empties_every_table_the_test_wrote(world: Any) -> None:
    deposit_months(world.clerk, world.account_a, 1)  # journal lines and sub-ledger rows: append-only, never deleted
    written = _tables_with_rows()
    assert {"ledger_journalline", "ledger_subledgerrow", "audit_auditevent", "people_user"} <= written
    content_types, permissions = ContentType.objects.count(), Permission.objects.count()

    with CaptureQueriesContext(connection) as flushed:
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)  # as TransactionTestCase does

    # Rows deleted, not every table truncated (a TRUNCATE of ~100 tables took seconds on a loaded machine).
    assert not [q["sql"] for q in flushed.captured_queries if "TRUNCATE" in q["sql"].upper()]

    # post_migrate writes back the content types, permissions, django-guardian's anonymous user, risk's default
    # screening rules (one per registered check) and the window assessment's default weights, as after Django's
    # own flush; nothing else is left.
    assert _tables_with_rows() <= {"django_content_type", "auth_permission", "people_user", "risk_screeningrule",
                                   "assessment_weightset", "assessment_weight"}
    assert list(User.objects.values_list("username", flat=True)) == [guardian_settings.ANONYMOUS_USER_NAME]
    assert (ContentType.objects.count(), Permission.objects.count()) == (content_types, permissions)
