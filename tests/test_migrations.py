"""Each app's migrations are squashed into one initial migration (issue 11). A new database must still get every
rule and seed the old chain wrote by hand, since makemigrations only writes what the models say; and a database
at the old head, or a later migration that names an old step, must find the squashed migration in its place."""

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from fund.ledger.chart import CHART
from fund.ledger.models import Account

# Written by RunSQL in the migrations, nowhere in the models.
TRIGGERS = {
    ("ledger_journalline", "ledger_entry_balanced"),
    ("ledger_journalentry", "ledger_entry_has_lines"),
    ("ledger_journalline", "ledger_journalline_append_only"),
    ("ledger_journalentry", "ledger_journalentry_append_only"),
    ("ledger_subledgerrow", "ledger_subledgerrow_append_only"),
    ("audit_auditevent", "audit_auditevent_append_only"),
    ("audit_personview", "audit_personview_append_only"),
    ("policy_policyvalue", "policy_policyvalue_guard"),
}
FUNCTIONS = {
    "ledger_check_entry_balanced", "ledger_check_entry_has_lines", "ledger_refuse_change",
    "ledger_interest_period_start", "audit_refuse_change", "policy_value_guard",
}
SEQUENCES = {
    "ledger_entry_number_seq": 1,
    "deposits_unit_number_seq": 1,
    "deposits_member_number_seq": 100000001,
    "deposits_application_number_seq": 1,
    "deposits_transfer_seq": 1,
    "withdrawals_number_seq": 1,
    "withdrawals_standing_seq": 1,
}


def _rows(sql: str) -> set[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row if len(row) > 1 else row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_a_new_database_keeps_the_rules_written_by_hand():
    assert TRIGGERS <= _rows(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal")
    assert FUNCTIONS <= _rows("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
    assert set(SEQUENCES.items()) <= _rows("SELECT sequencename, start_value FROM pg_sequences")
    # The balance check waits for the commit, so an entry's lines can be written one by one.
    assert _rows("SELECT tgdeferrable AND tginitdeferred FROM pg_trigger WHERE tgname = 'ledger_entry_balanced'") == {True}


@pytest.mark.django_db
def test_a_new_database_has_the_chart_of_accounts_from_its_migrations():
    assert set(Account.objects.values_list("code", "name", "kind", "is_control")) == set(CHART)


def test_no_migration_replaces_itself_or_an_old_step_twice():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replaced: Counter[tuple[str, str]] = Counter()
    for key, migration in loader.disk_migrations.items():
        # A migration that lists its own name is removed from the graph with the names it replaces.
        assert key not in migration.replaces, key
        replaced.update(migration.replaces)
    assert [key for key, n in replaced.items() if n > 1] == []
    # The old files are gone: the squashed migration is the only way to each old step.
    assert set(replaced).isdisjoint(loader.disk_migrations)


def test_a_migration_that_names_an_old_step_runs_after_the_migration_that_replaces_it():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replacing = {old: key for key, migration in loader.disk_migrations.items() for old in migration.replaces}
    # loans 0001 still depends on people 0001_initial, now part of people's squashed migration.
    assert ("people", "0001_initial") in loader.disk_migrations["loans", "0001_initial"].dependencies
    parents = {node.key for node in loader.graph.node_map["loans", "0001_initial"].parents}
    assert replacing["people", "0001_initial"] in parents
    assert set(replacing).isdisjoint(loader.graph.nodes)
