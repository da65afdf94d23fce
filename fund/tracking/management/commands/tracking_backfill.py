"""Register in 我的办件 every existing application the register does not hold yet (safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand

from fund.tracking.registry import tracked_kinds
from fund.tracking.services import tracking_backfill


class Command(BaseCommand):
    help = "把尚未登记的各业务申请补登到办件库（我的办件）；可重复运行，已登记的不会重复。"

    def handle(self, *args: Any, **options: Any) -> None:
        added = tracking_backfill()
        nouns = {k.key: k.noun for k in tracked_kinds()}
        for key, count in added.items():
            self.stdout.write(f"{nouns.get(key, key)}：补登 {count} 件")
        self.stdout.write(self.style.SUCCESS(f"共补登 {sum(added.values())} 件"))
