import hashlib
from datetime import timedelta

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def port_authtoken_tokens(apps, schema_editor):
    """Tokens issued before this migration (DRF authtoken, one per user, key in clear) keep working until
    they expire: each becomes a named ApiToken holding only the key's digest. The old table is left as it
    is; nothing reads it any more."""
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("people", "ApiToken")
    hours = getattr(settings, "FUND_API_TOKEN_HOURS", 12)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, name="升级前签发的令牌", key_hash=hashlib.sha256(key.encode()).hexdigest(),
                 prefix=key[:6], created_at=created, expires_at=created + timedelta(hours=hours))
        for key, user_id, created in rows
    ])


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_passwordresetrequest'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='设备或客户端名称')),
                ('key_hash', models.CharField(max_length=64, unique=True)),
                ('prefix', models.CharField(help_text='用于辨认令牌，不能用于登录', max_length=8, verbose_name='令牌前几位')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='签发时间')),
                ('created_ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='签发地址')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='最近使用')),
                ('expires_at', models.DateTimeField(verbose_name='到期时间')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='撤销时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '接口令牌',
                'verbose_name_plural': '接口令牌',
                'indexes': [models.Index(condition=models.Q(('revoked_at__isnull', True)), fields=['user', 'expires_at'], name='people_apitoken_active')],
            },
        ),
        migrations.RunPython(port_authtoken_tokens, migrations.RunPython.noop),
    ]
