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
