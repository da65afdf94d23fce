"""Load the demo centre: 3 branches, staff for every post, units with members, a developer, sandbox data.

Runs once: if the demo branches exist it loads nothing and only prints the logins.
"""

import importlib
import random
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from fund.demo import DEMO_PASSWORD, DemoContext, seed_core
from fund.integrations.models import SandboxIdentity
from fund.people.models import Branch

BUSINESS_APPS = ("deposits", "withdrawals", "loans", "risk")


class Command(BaseCommand):
    help = "载入演示数据（已存在则跳过），并可打印访问地址与演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--logins", action="store_true", help="只打印演示账号")
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self._print_logins(options["url"])
            return
        if Branch.objects.filter(code="01").exists():
            # The sandbox is seeded last, so without it the previous load stopped part-way.
            if not SandboxIdentity.objects.exists():
                raise CommandError("演示数据上次未载入完整。请运行 scripts/stop --clean 后重新运行 scripts/run。")
            self.stdout.write("演示数据已存在，跳过。")
            return
        ctx = DemoContext(rng=random.Random(20261122), today=timezone.localdate())
        with transaction.atomic():
            seed_core(ctx)
        modules = []
        for config in apps.get_app_configs():
            if config.name in BUSINESS_APPS:
                try:
                    modules.append(importlib.import_module(f"{config.name}.demo"))
                except ModuleNotFoundError:
                    continue
        for module in modules:
            module.seed(ctx)
        importlib.import_module("fund.appointments.demo").seed_appointments(ctx)  # needs the lines' members
        from fund.integrations.seed import seed_sandbox

        with transaction.atomic():
            seed_sandbox(people=ctx.people, employers=ctx.employers, city_code=settings.FUND_CITY_CODE)
        # Business that reads the outside systems (a withdrawal's rules) comes after their records, outside any
        # transaction as in production (no outside call runs inside one). If it stops, the sandbox's people go
        # again, so that the next run still says the load stopped part-way.
        try:
            for module in modules:
                if hasattr(module, "seed_after_sandbox"):
                    module.seed_after_sandbox(ctx)
            importlib.import_module("fund.bundles.demo").seed(ctx)  # 一件事 and 跨省通办 (asks the sandboxes)
        except BaseException:
            SandboxIdentity.objects.all().delete()
            raise
        importlib.import_module("fund.tracking.demo").seed(ctx)  # 我的办件: every demo application on the register
        importlib.import_module("fund.whatif.demo").seed(ctx)  # a what-if over the business just decided
        importlib.import_module("fund.ratings.demo").seed(ctx)  # the lines' applications are all there now
        importlib.import_module("fund.assessment.demo").seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入：{len(ctx.people)} 名职工，{len(ctx.employers)} 个单位。"))

    def _print_logins(self, url: str) -> None:
        from fund.people.models import User

        rows = [
            ("综合窗口", "clerk01", "受理岗，市直管理部"),
            ("综合窗口", "review01", "初审岗，市直管理部"),
            ("综合窗口", "approve01", "审批岗，市直管理部"),
            ("综合窗口", "director", "分管副主任，全中心（可调整政策参数）"),
            ("综合窗口", "clerk02", "受理/初审，高新区管理部"),
            ("综合窗口", "loanadmin", "委贷管理岗，全中心（楼盘准入、放款通知）"),
            ("综合窗口", "finance", "财务岗，全中心（放款审核放行、付款管理）"),
            ("稽核", "auditor", "只读后台 /admin/"),
        ]
        operators = (("单位网厅", "unit01", "单位经办人"), ("开发企业", "dev01", "开发企业经办人"),
                     ("受托银行", "bank01", "受托银行网点经办人（受理贷款申请）"))
        for portal, username, note in operators:
            if User.objects.filter(username=username).exists():
                rows.append((portal, username, note))
        # Members sign in with their ID number; the demo gives a few of them a login (one with a loan, one with a
        # developer's application to confirm, one with an online application).
        for member in User.objects.filter(person__isnull=False, password__startswith="pbkdf2").order_by("id")[:4]:
            rows.append(("个人网厅", member.username, f"职工 {member.first_name}（身份证号码登录）"))
        line = "─" * 72
        self.stdout.write(f"\n{line}\n  住房公积金管理中心 已启动：{url}\n  API 文档：{url}api/docs/\n{line}")
        for portal, username, note in rows:
            self.stdout.write(f"  {portal:<6}  {username:<20}  {note}")
        self.stdout.write(f"  所有演示账号的密码：{DEMO_PASSWORD}\n{line}\n")
