from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deposits", "0005_cross_region_transfer")]

    operations = [
        migrations.RunSQL("CREATE SEQUENCE deposits_transfer_seq;", "DROP SEQUENCE deposits_transfer_seq;"),
    ]
