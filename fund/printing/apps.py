from django.apps import AppConfig

# The one kind the core prints itself: a general notice. Business kinds are registered by their apps.
NOTICE_KIND = "printing.notice"


class PrintingConfig(AppConfig):
    name = "fund.printing"
    label = "printing"
    verbose_name = "文件打印"

    def ready(self) -> None:
        from .registry import register_document_kind

        register_document_kind(NOTICE_KIND, title="通知书", template="printing/kinds/notice.html")

        from fund.audit.actions import register_actions, register_audit_values

        from .models import DocumentStatus

        register_actions({
            "printing": "文件打印", "printing.document.requested": "申请打印文件", "printing.document.reused": "重用已生成文件",
            "printing.document.requeued": "文件重新排队生成", "printing.document.rendered": "文件已生成",
            "printing.document.failed": "文件生成失败",
        })
        register_audit_values("status", DocumentStatus, prefix="printing")
        register_audit_values("state", DocumentStatus, prefix="printing")

        from fund.audit.schedules import register_task_names

        register_task_names({"printing.requeue_stale": "重新排队未生成的文件"})
