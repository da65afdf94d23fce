from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "fund.payments"
    label = "payments"
    verbose_name = "付款"

    def ready(self) -> None:
        from fund.audit.actions import register_actions, register_audit_keys, register_audit_values

        from .models import AttemptStatus, PaymentState

        register_actions({
            "payments": "付款",
            "payments.created": "付款指令",
            "payments.paid": "银行付款成功",
            "payments.refused": "银行付款失败",
            "payments.retried": "重新付款",
            "payments.handed_off": "付款转人工处理",
            "payments.held": "暂停付款",
            "payments.released": "恢复付款",
        })
        register_audit_keys({
            "retry_after": "下次重试时间", "bank_serial": "银行流水号", "purpose": "付款用途", "payee": "收款人",
        })
        register_audit_values("state", PaymentState, prefix="payments")
        register_audit_values("status", AttemptStatus, prefix="payments")

        from fund.audit.schedules import register_task_names

        register_task_names({"payments.poll": "查询银行处理中的付款", "payments.retry_due": "到期重试付款",
                             "payments.send": "发送银行付款"})

        from django.utils.translation import gettext_lazy as _

        from fund.portals.nav import MANAGEMENT, register_nav

        register_nav("staff", _("付款管理"), "staff:payments", order=305, group=MANAGEMENT, icon="wallet",
                     visible=lambda roles: roles.handles_payments)
