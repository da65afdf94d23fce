from django.db import migrations


def seed(apps, schema_editor):
    # The chart as the code knows it now: adds 221 提取待付款 where it is missing.
    Account = apps.get_model("ledger", "Account")
    from fund.ledger.chart import CHART

    for code, name, kind, is_control in CHART:
        Account.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "is_control": is_control})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_interest_accumulation")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
