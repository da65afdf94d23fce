from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deposits", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE deposits_unit_number_seq; CREATE SEQUENCE deposits_member_number_seq START 100000001;",
            "DROP SEQUENCE deposits_unit_number_seq; DROP SEQUENCE deposits_member_number_seq;",
        ),
    ]
