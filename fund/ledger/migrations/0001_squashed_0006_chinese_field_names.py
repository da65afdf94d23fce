"""The ledger, squashed from 0001–0006 (issue 11): one initial migration instead of six.

The database keeps the ledger's rules, whatever code (or person with psql) writes to it (old 0003_invariants):

- An entry's lines must balance: a constraint trigger, deferred to commit, so the lines of one entry can be
  inserted one by one within a transaction.
- Entries, lines and sub-ledger rows are append-only: UPDATE and DELETE raise. Corrections are reversals.
  (TRUNCATE is left to the database owner; the application's role should not hold that privilege.)
- Entry numbers come from a sequence.

Also carried over: the chart of accounts (0003 seeded it, 0005 added 221 提取待付款; both from
fund.ledger.chart.CHART, so one seed of the chart as it is now does both) and 0004's SQL function for the
interest period.
"""

import django.db.models.deletion
import django.db.models.expressions
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


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

# The interest period (1 July – 30 June) in SQL, for the set-based posting and settlement statements;
# the same rule as fund.ledger.models.interest_period_start.
PERIOD_START = r"""
CREATE FUNCTION ledger_interest_period_start(d date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN make_date(extract(year FROM d)::int - CASE WHEN extract(month FROM d) < 7 THEN 1 ELSE 0 END, 7, 1);
"""


def seed_chart(apps, schema_editor):  # type: ignore[no-untyped-def]
    from fund.ledger.chart import CHART

    Account = apps.get_model("ledger", "Account")
    for code, name, kind, is_control in CHART:
        Account.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "is_control": is_control})


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('ledger', '0001_initial'),
        ('ledger', '0002_initial'),
        ('ledger', '0003_invariants'),
        ('ledger', '0004_interest_accumulation'),
        ('ledger', '0005_withdrawal_payable'),
        ('ledger', '0006_chinese_field_names'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Account',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=10, unique=True, verbose_name='科目代码')),
                ('name', models.CharField(max_length=60, verbose_name='科目名称')),
                ('kind', models.CharField(choices=[('asset', '资产'), ('liability', '负债'), ('equity', '净资产'), ('income', '收入'), ('expense', '支出')], max_length=10, verbose_name='类别')),
                ('is_control', models.BooleanField(default=False, help_text='有明细分户账（如个人账户）的科目', verbose_name='控制科目')),
            ],
            options={
                'verbose_name': '会计科目',
                'verbose_name_plural': '会计科目',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='JournalEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=32, unique=True, verbose_name='业务流水号')),
                ('business_type', models.CharField(choices=[('GJ01', '汇缴'), ('GJ02', '补缴'), ('GJ03', '开户'), ('GJ06', '内部转移'), ('GJ07', '外部转出'), ('GJ08', '外部转入'), ('GJ09', '年终结息'), ('GJ11', '部分提取'), ('GJ12', '销户提取'), ('GJ99', '其他归集业务'), ('DK01', '贷款发放'), ('DK02', '正常还款'), ('DK03', '提前还款'), ('DK04', '逾期还款'), ('DK05', '公积金提取还款'), ('DK06', '结清'), ('DK09', '核销'), ('DK99', '其他贷款业务'), ('CZ', '冲账')], max_length=4, verbose_name='业务类型')),
                ('reference', models.CharField(db_index=True, max_length=120, verbose_name='业务参考')),
                ('idempotency_key', models.CharField(max_length=160, unique=True, verbose_name='幂等键')),
                ('value_date', models.DateField(db_index=True, verbose_name='记账日期')),
                ('posted_at', models.DateTimeField(auto_now_add=True, verbose_name='过账时间')),
                ('memo', models.CharField(blank=True, max_length=200, verbose_name='摘要')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='ledger.journalentry', verbose_name='冲正原凭证')),
            ],
            options={
                'verbose_name': '记账凭证',
                'verbose_name_plural': '记账凭证',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='SubAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=32, unique=True, verbose_name='分户账号')),
                ('name', models.CharField(max_length=120, verbose_name='户名')),
                ('balance', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='余额')),
                ('current_year', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='当年归集余额')),
                ('prior_year', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='上年结转余额')),
                ('accumulation', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=24, verbose_name='积数')),
                ('accumulated_to', models.DateField(verbose_name='积数计至')),
                ('accumulation_prior', models.DecimalField(db_default=Decimal('0.00'), decimal_places=2, default=Decimal('0.00'), max_digits=24, verbose_name='上年结转积数')),
                ('closed_period_end', models.DateField(blank=True, help_text='已跨期但尚未结息的计息期止日', null=True, verbose_name='待结息期末')),
                ('closed_accumulation', models.DecimalField(db_default=Decimal('0.00'), decimal_places=2, default=Decimal('0.00'), max_digits=24, verbose_name='待结息积数')),
                ('closed_accumulation_prior', models.DecimalField(db_default=Decimal('0.00'), decimal_places=2, default=Decimal('0.00'), max_digits=24, verbose_name='待结息上年结转积数')),
                ('closed_current_year', models.DecimalField(db_default=Decimal('0.00'), decimal_places=2, default=Decimal('0.00'), help_text='已结束计息期的当年归集余额，结息时转入上年结转', max_digits=18, verbose_name='待结转当年归集')),
                ('allow_negative', models.BooleanField(default=False, verbose_name='允许负余额')),
                ('opened_on', models.DateField(verbose_name='开户日期')),
                ('control', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sub_accounts', to='ledger.account', verbose_name='控制科目')),
            ],
            options={
                'verbose_name': '分户账',
                'verbose_name_plural': '分户账',
            },
        ),
        migrations.CreateModel(
            name='SubLedgerRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value_date', models.DateField(verbose_name='记账日期')),
                ('amount', models.DecimalField(decimal_places=2, help_text='正数增加余额，负数减少余额', max_digits=18, verbose_name='发生额')),
                ('current_year_amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='当年归集发生额')),
                ('prior_year_amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='上年结转发生额')),
                ('balance_after', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='余额')),
                ('summary', models.CharField(blank=True, max_length=120, verbose_name='摘要')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sub_rows', to='ledger.journalentry', verbose_name='记账凭证')),
                ('sub_account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rows', to='ledger.subaccount', verbose_name='分户账')),
            ],
            options={
                'verbose_name': '明细账',
                'verbose_name_plural': '明细账',
            },
        ),
        migrations.CreateModel(
            name='JournalLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('debit', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='借方')),
                ('credit', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='贷方')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='ledger.account', verbose_name='科目')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='ledger.journalentry')),
            ],
            options={
                'verbose_name': '分录',
                'verbose_name_plural': '分录',
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('credit', 0), ('debit__gt', 0)), models.Q(('credit__gt', 0), ('debit', 0)), _connector='OR'), name='journalline_one_side_positive')],
            },
        ),
        migrations.AddConstraint(
            model_name='subaccount',
            constraint=models.CheckConstraint(condition=models.Q(('balance', django.db.models.expressions.CombinedExpression(models.F('current_year'), '+', models.F('prior_year')))), name='subaccount_balance_is_split'),
        ),
        migrations.AddConstraint(
            model_name='subaccount',
            constraint=models.CheckConstraint(condition=models.Q(('allow_negative', True), models.Q(('balance__gte', 0), ('current_year__gte', 0), ('prior_year__gte', 0)), _connector='OR'), name='subaccount_not_overdrawn'),
        ),
        migrations.AddIndex(
            model_name='subledgerrow',
            index=models.Index(fields=['sub_account', 'id'], name='ledger_subl_sub_acc_57568f_idx'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunSQL(PERIOD_START, "DROP FUNCTION ledger_interest_period_start(date);"),
        migrations.RunPython(seed_chart, migrations.RunPython.noop),
    ]
