from django.db import migrations

FORWARD = r"""
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_personview_append_only BEFORE UPDATE OR DELETE ON audit_personview
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

BACKWARD = r"""
DROP TRIGGER audit_personview_append_only ON audit_personview;
DROP TRIGGER audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
