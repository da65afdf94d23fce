from django.db import migrations


def seed_chart(apps, schema_editor):  # type: ignore[no-untyped-def]
    """402 罚息收入 and 502 贴息支出 join the chart for loan repayment and the interest subsidy: created on
    existing databases (fresh ones get them from the squash's seed of the chart as it is now). Idempotent."""
    from fund.ledger.chart import CHART

    Account = apps.get_model("ledger", "Account")
    for code, name, kind, is_control in CHART:
        Account.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "is_control": is_control})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_loans_control_account")]
    operations = [migrations.RunPython(seed_chart, migrations.RunPython.noop)]
