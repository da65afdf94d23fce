from django.core.management.base import BaseCommand, CommandError

from fund.ledger.selectors import ledger_reconcile


class Command(BaseCommand):
    help = "核对账务：个人账户余额合计 = 住房公积金科目余额，贷款分户余额合计 = 委托贷款科目余额，分户余额 = 明细账合计，总账借贷平衡，以及各业务登记的核对（如每笔贷款分户余额 = 还款计划剩余本金）。不一致时以非零状态退出。"

    def handle(self, *args: object, **options: object) -> None:
        problems = ledger_reconcile()
        if problems:
            for problem in problems:
                self.stderr.write(f"不一致 — {problem}")
            raise CommandError(f"对账失败：{len(problems)} 处不一致")
        self.stdout.write(self.style.SUCCESS("对账平衡：个人账户余额合计与住房公积金科目一致，贷款分户余额合计与委托贷款科目一致，"
                                             "明细账与分户余额一致，总账借贷平衡。"))
