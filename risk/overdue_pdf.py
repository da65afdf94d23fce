"""《逾期贷款通知单》: a fund.printing document with the centre's seal and a verification code the public verify page
checks, printed from the overdue case page (risk.services.overdue.overdue_notice_print), its context fixed then."""

from fund.printing.services import register_document_kind

OVERDUE_NOTICE = "risk.overdue_notice"

register_document_kind(OVERDUE_NOTICE, title="逾期贷款通知单", template="risk/pdf/overdue_notice.html")
