from django.db import migrations


def loans_control(apps, schema_editor):
    """委托贷款 (111) becomes a control account: each loan's principal outstanding is a sub-account under it, so
    reconcile proves Σ loan balances = loans receivable. Existing databases have it as a plain account; nothing
    has been posted to it without a sub-ledger movement (no loan was disbursed before this)."""
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(code="111").update(is_control=True)


def loans_plain(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(code="111").update(is_control=False)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_squashed_0006_chinese_field_names")]
    operations = [migrations.RunPython(loans_control, loans_plain)]
