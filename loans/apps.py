from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "贷款"

    def ready(self) -> None:
        from . import nav, panels, signing_pdf  # noqa: F401
        from .audit_names_projects import register_project_audit_names

        register_project_audit_names()
        from .catalogue import register_loan_items

        register_loan_items()
        from . import pdf  # noqa: F401  (registers the approval opinion)
        from .services import approval  # noqa: F401  (registers the approval flows)
        from .signing_names import register_signing_names

        register_signing_names()
