"""The one-time notice (一次性告知单): everything an applicant needs for one item, on one sheet, so that a
second trip for a forgotten paper never happens.

The context is built from the registry when the notice is requested and stored with the document, so a
reprint shows what the catalogue said that day. The public guide prints the same content as plain HTML
(`notice_context` without a clerk), which creates no document.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.integrations.models import System
from fund.printing.models import Document
from fund.printing.services import document_request, mask_name, register_document_kind
from fund.validation import clean_person_name

from .registry import Channel, Material, ServiceItem

NOTICE_KIND = "catalogue.notice"
HOTLINE = "12329"
APPLICANT_MAX_LENGTH = 40

register_document_kind(NOTICE_KIND, title="住房公积金业务一次性告知单", template="catalogue/pdf/notice.html")


def system_label(value: str) -> str:
    """The shared-data system's name (不动产登记 …); an unknown value is shown as it is."""
    try:
        return str(System(value).label)
    except ValueError:
        return value


def _material_row(material: Material) -> dict[str, Any]:
    return {
        "code": material.code,
        "name": material.name,
        "copies": material.copies,
        "form": material.form_label,
        "provider": material.provider,
        "step": material.step,
        "keeper": material.keeper,
        "condition": material.condition,
        "note": material.note,
        "shared_by": material.shared_by,
        "shared_label": system_label(material.shared_by) if material.shared_by else "",
    }


def notice_context(item: ServiceItem, *, on: date, clerk_name: str = "", applicant_name: str = "") -> dict[str, Any]:
    """What the notice prints, as plain JSON-able data. Paper materials and those replaced by shared data
    are listed apart: the applicant brings only the first list."""
    return {
        "item_code": item.code,
        "item_name": item.name,
        "category": item.category,
        "summary": item.summary,
        "applicants": item.applicants,
        "conditions": list(item.conditions),
        "paper_materials": [_material_row(m) for m in item.paper_materials],
        "shared_materials": [_material_row(m) for m in item.shared_materials],
        "legal_basis": list(item.legal_basis),
        "time_limit": item.time_limit,
        "fee": item.fee,
        "channels": [c.label for c in item.channel_list],
        "at_window": Channel.WINDOW in item.channels,
        "other_channels": [c.label for c in item.channel_list if c != Channel.WINDOW],
        "visits": str(item.visits),
        "extra": [[label, text] for label, text in item.extra.items()],
        "hotline": HOTLINE,
        "notice_date": f"{on:%Y年%m月%d日}",
        "clerk_name": clerk_name,
        "applicant_name": applicant_name,
    }


def _clean_applicant(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > APPLICANT_MAX_LENGTH:
        raise ValidationError({"applicant_name": [f"申请人姓名不能超过{APPLICANT_MAX_LENGTH}个字"]})
    try:
        return clean_person_name(name, label="申请人姓名", required=False)
    except ValidationError as exc:
        raise ValidationError({"applicant_name": exc.messages}) from exc


def notice_request(*, item: ServiceItem, requested_by: Any, applicant_name: str = "") -> Document:
    """Issue a one-time notice for `item`, requested by a signed-in clerk; the PDF is rendered after commit.
    `applicant_name` is optional (at most 40 characters)."""
    if not getattr(requested_by, "is_authenticated", False):
        raise ValidationError({"requested_by": ["请先登录：一次性告知单由窗口工作人员开具"]})
    applicant = _clean_applicant(applicant_name)
    clerk = requested_by.get_full_name() or requested_by.get_username()
    return document_request(
        kind=NOTICE_KIND,
        context=notice_context(item, on=timezone.localdate(), clerk_name=clerk, applicant_name=applicant),
        requested_by=requested_by,
        subject_label=(f"{mask_name(applicant)}（{item.name}）" if applicant else item.name)[:120],
    )
