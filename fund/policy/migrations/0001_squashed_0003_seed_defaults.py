"""Policy values, squashed from 0001–0003 (issue 11): one initial migration instead of three.

The database keeps policy history whatever code writes to it (old 0002_append_only):

- Rows are never deleted.
- A row is never changed, except once: a not-yet-withdrawn row may be marked withdrawn (withdrawn_at,
  withdrawn_by, withdraw_reason), with every other column unchanged. Whether it is still in the future is
  the service's check (the database does not know the centre's calendar day).

Every policy's SPEC default (and the 2024 loan rates, so history exists) is seeded here (old 0003_seed_defaults).
policy_defaults_seed writes every definition there is, so the later migrations that only called it again for
policies added since (payments 0002, deposits 0010 and 0015, withdrawals 0003) have nothing left to do.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('policy', '0001_initial'),
        ('policy', '0002_append_only'),
        ('policy', '0003_seed_defaults'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PolicyValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=64, verbose_name='政策项')),
                ('number', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True, verbose_name='数值')),
                ('text', models.CharField(blank=True, max_length=32, verbose_name='选项值')),
                ('effective_from', models.DateField(verbose_name='生效日期')),
                ('note', models.CharField(help_text='政策文件文号或调整原因', max_length=200, verbose_name='依据')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='设置时间')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='撤回时间')),
                ('withdraw_reason', models.CharField(blank=True, max_length=200, verbose_name='撤回原因')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='设置人')),
                ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='撤回人')),
            ],
            options={
                'verbose_name': '政策参数',
                'verbose_name_plural': '政策参数',
                'ordering': ['name', '-effective_from', '-created_at'],
                'indexes': [models.Index(fields=['name', 'effective_from'], name='policy_value_lookup')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('name', 'effective_from'), name='policy_value_one_live_row_per_date'), models.CheckConstraint(condition=models.Q(models.Q(('number__isnull', False), ('text', '')), models.Q(('number__isnull', True), models.Q(('text', ''), _negated=True)), _connector='OR'), name='policy_value_number_xor_text')],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        # Reversing leaves the rows: they are history, and the table refuses deletes.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
