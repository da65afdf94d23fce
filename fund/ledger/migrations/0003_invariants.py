"""The database keeps the ledger's rules, whatever code (or person with psql) writes to it.

- An entry's lines must balance: a constraint trigger, deferred to commit, so the lines of one entry can be
  inserted one by one within a transaction.
- Entries, lines and sub-ledger rows are append-only: UPDATE and DELETE raise. Corrections are reversals.
  (TRUNCATE is left to the database owner; the application's role should not hold that privilege.)
- Entry numbers come from a sequence.
"""

from django.db import migrations

FORWARD = r"""
CREATE SEQUENCE ledger_entry_number_seq;

CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d numeric; c numeric; n integer;
BEGIN
    SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0), COUNT(*)
      INTO d, c, n
      FROM ledger_journalline WHERE entry_id = NEW.entry_id;
    IF n < 2 OR d <> c THEN
        RAISE EXCEPTION 'journal entry % does not balance: debits %, credits %, lines %', NEW.entry_id, d, c, n
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entry_balanced
    AFTER INSERT ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

CREATE FUNCTION ledger_check_entry_has_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger_journalline WHERE entry_id = NEW.id) THEN
        RAISE EXCEPTION 'journal entry % has no lines', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entry_has_lines
    AFTER INSERT ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_has_lines();

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: posted records are corrected by reversal, never changed or deleted',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER ledger_journalline_append_only BEFORE UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_journalentry_append_only BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_subledgerrow_append_only BEFORE UPDATE OR DELETE ON ledger_subledgerrow
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""

BACKWARD = r"""
DROP TRIGGER ledger_subledgerrow_append_only ON ledger_subledgerrow;
DROP TRIGGER ledger_journalentry_append_only ON ledger_journalentry;
DROP TRIGGER ledger_journalline_append_only ON ledger_journalline;
DROP FUNCTION ledger_refuse_change();
DROP TRIGGER ledger_entry_has_lines ON ledger_journalentry;
DROP FUNCTION ledger_check_entry_has_lines();
DROP TRIGGER ledger_entry_balanced ON ledger_journalline;
DROP FUNCTION ledger_check_entry_balanced();
DROP SEQUENCE ledger_entry_number_seq;
"""


def seed_chart(apps, schema_editor):
    from fund.ledger.chart import CHART

    Account = apps.get_model("ledger", "Account")
    for code, name, kind, is_control in CHART:
        Account.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "is_control": is_control})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_initial")]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(seed_chart, migrations.RunPython.noop),
    ]
