"""The database keeps policy history whatever code writes to it.

- Rows are never deleted.
- A row is never changed, except once: a not-yet-withdrawn row may be marked withdrawn (withdrawn_at,
  withdrawn_by, withdraw_reason), with every other column unchanged. Whether it is still in the future is
  the service's check (the database does not know the centre's calendar day).
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION policy_value_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'policy values are never deleted; withdraw a future value instead'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL
       OR NEW.name IS DISTINCT FROM OLD.name
       OR NEW.number IS DISTINCT FROM OLD.number
       OR NEW.text IS DISTINCT FROM OLD.text
       OR NEW.effective_from IS DISTINCT FROM OLD.effective_from
       OR NEW.note IS DISTINCT FROM OLD.note
       OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'policy values are never changed; schedule a new value instead'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER policy_policyvalue_guard BEFORE UPDATE OR DELETE ON policy_policyvalue
    FOR EACH ROW EXECUTE FUNCTION policy_value_guard();
"""

BACKWARD = r"""
DROP TRIGGER policy_policyvalue_guard ON policy_policyvalue;
DROP FUNCTION policy_value_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
