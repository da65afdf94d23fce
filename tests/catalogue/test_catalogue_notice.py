"""The window's one-time notice: a document of kind catalogue.notice, paper materials only, staff only."""

import subprocess

import pytest

from fund.audit.models import AuditEvent
from fund.catalogue.pdf import NOTICE_KIND, notice_request
from fund.printing.models import Document, DocumentStatus


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_a_clerk_issues_a_notice_that_lists_only_paper_materials(client, world, test_items, django_capture_on_commit_callbacks):
    client.force_login(world.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/guide/TEST-RENT/notice/", {"applicant_name": "王小明"})

    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/guide/TEST-RENT/notice/?document={document.pk}"
    assert document.kind == NOTICE_KIND and document.requested_by == world.clerk
    assert [m["code"] for m in document.context["paper_materials"]] == ["lease", "marriage"]
    assert [m["code"] for m in document.context["shared_materials"]] == ["id_card", "no_home"]
    assert document.context["shared_materials"][1]["shared_label"] == "不动产登记"
    assert document.context["applicant_name"] == "王小明" and document.context["clerk_name"] == "clerk"
    assert document.context["hotline"] == "12329"
    assert document.subject_label == "王**（测试租房提取住房公积金）"
    assert AuditEvent.objects.filter(action="printing.document.requested", actor=world.clerk).exists()

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    text = pdf_text(document.file.read())
    for words in ("一次性告知单", "测试租房提取住房公积金", "房屋租赁合同", "由不动产登记数据共享替代", "12329", "王小明"):
        assert words in text.replace("\n", "").replace(" ", ""), words
    assert document.code_display in text

    page = client.get(response["Location"]).content.decode()
    assert document.code_display in page and f"/documents/{document.pk}/file" in page


def test_the_stored_context_keeps_what_the_catalogue_said_that_day(world, test_items):
    from fund.catalogue.registry import Material, ServiceItem, register_item

    document = notice_request(item=test_items["rent"], requested_by=world.clerk)
    register_item(ServiceItem(code="TEST-RENT", name="改名后的事项", category="提取",
                              materials=(Material(code="x", name="新材料"),)))
    document.refresh_from_db()
    assert document.context["item_name"] == "测试租房提取住房公积金"
    assert [m["name"] for m in document.context["paper_materials"]] == ["房屋租赁合同", "结婚证"]


def test_anonymous_users_cannot_create_documents(client, db, test_items):
    response = client.post("/staff/guide/TEST-RENT/notice/", {"applicant_name": "王小明"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/guide/TEST-RENT/notice/").status_code == 200  # the public printable page instead
    assert client.post("/guide/TEST-RENT/notice/").status_code == 405
    assert Document.objects.count() == 0


def test_the_service_refuses_an_anonymous_requester(db, test_items):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        notice_request(item=test_items["rent"], requested_by=AnonymousUser())
    assert Document.objects.count() == 0


def test_non_staff_and_staff_without_the_window_post_cannot_issue(client, world, test_items):
    for user in (world.member_a, world.unit_a_op, world.outsider):
        client.force_login(user)
        assert client.post("/staff/guide/TEST-RENT/notice/", {}).status_code == 404
    client.force_login(world.auditor)  # 稽核 reads, does not issue at the window
    assert client.get("/staff/guide/TEST-RENT/notice/").status_code == 200
    assert client.post("/staff/guide/TEST-RENT/notice/", {}).status_code == 403
    assert Document.objects.count() == 0


def test_a_too_long_applicant_name_is_refused_with_a_message(client, world, test_items):
    client.force_login(world.clerk)
    response = client.post("/staff/guide/TEST-RENT/notice/", {"applicant_name": "张" * 41})
    assert response.status_code == 400 and "申请人姓名" in response.content.decode()
    assert Document.objects.count() == 0


def test_a_clerk_sees_only_their_own_notices(client, world, test_items):
    mine = notice_request(item=test_items["rent"], requested_by=world.clerk, applicant_name="甲某")
    theirs = notice_request(item=test_items["rent"], requested_by=world.clerk_b, applicant_name="乙某")
    client.force_login(world.clerk)
    page = client.get("/staff/guide/TEST-RENT/notice/").content.decode()
    assert mine.code_display in page and theirs.code_display not in page
