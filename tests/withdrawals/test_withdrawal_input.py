"""Bad input at the service: each case raises ValidationError naming the field, in Chinese, and writes nothing.
(The API's 400s are another engineer's tests.) One `wd` for the whole table keeps it fast."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from fund.audit.models import AuditEvent
from fund.demo import make_id_number
from tests.withdrawals.conftest import illness, paper_codes
from withdrawals.models import Withdrawal
from withdrawals.services import withdrawal_submit

pytestmark = pytest.mark.django_db

OTHER = make_id_number(birth=date(1991, 5, 6), seq=701, male=False)
CERT = {"certificate_number": "鲁(2026)示范市不动产权第0000501号"}

# (what is wrong, the field the error must name, the submission's arguments)
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("负数金额", "amount", {"reason": "07", "amount": "-100"}),
    ("金额为 0", "amount", {"reason": "07", "amount": "0"}),
    ("三位小数", "amount", {"reason": "07", "amount": "1.234"}),
    ("不是数字", "amount", {"reason": "07", "amount": "abc"}),
    ("NaN", "amount", {"reason": "07", "amount": "NaN"}),
    ("Decimal NaN", "amount", {"reason": "07", "amount": Decimal("NaN")}),
    ("无穷大", "amount", {"reason": "07", "amount": "Infinity"}),
    ("过大", "amount", {"reason": "07", "amount": "1e20"}),
    ("超出 28 位有效数字", "amount", {"reason": "07", "amount": "1e30"}),
    ("29 位整数", "amount", {"reason": "07", "amount": "1" * 29}),
    ("超过余额", "amount", {"reason": "07", "amount": "23040.01"}),
    ("未知原因", "reason", {"reason": "42"}),
    ("空原因", "reason", {"reason": ""}),
    ("原因不许的关系", "relation", {"reason": "07", "amount": "10", "relation": "spouse", "other_id_number": OTHER,
                             "other_name": "某女"}),
    ("未知关系", "relation", {"reason": "01", "relation": "cousin", "other_id_number": OTHER, "other_name": "某",
                          "details": CERT}),
    ("关系人身份证格式", "other_id_number", {"reason": "01", "relation": "spouse", "other_id_number": "37080219910506",
                                   "other_name": "某女", "details": CERT}),
    ("关系人身份证校验位", "other_id_number", {"reason": "01", "relation": "spouse",
                                    "other_id_number": OTHER[:-1] + ("0" if OTHER[-1] != "0" else "1"),
                                    "other_name": "某女", "details": CERT}),
    ("缺关系人姓名", "other_name", {"reason": "01", "relation": "spouse", "other_id_number": OTHER, "details": CERT}),
    ("关系人姓名是数字", "other_name", {"reason": "01", "relation": "spouse", "other_id_number": OTHER,
                                 "other_name": "11618441.0", "details": CERT}),
    ("关系人姓名不是姓名", "other_name", {"reason": "01", "relation": "spouse", "other_id_number": OTHER,
                                  "other_name": "Ç", "details": CERT}),
    ("银行卡格式", "payee_card", {"reason": "07", "amount": "10", "payee_card": "abc"}),
    ("银行卡校验位", "payee_card", {"reason": "07", "amount": "10", "payee_card": "6217000000000000013"}),
    ("购房缺证号和发票", "certificate_number", {"reason": "01"}),
    ("证号过长", "certificate_number", {"reason": "01", "details": {"certificate_number": "证" * 61}}),
    ("证号大写后过长", "certificate_number", {"reason": "01", "details": {"certificate_number": "ß" * 60}}),
    ("证号含 NUL", "certificate_number", {"reason": "01", "details": {"certificate_number": "A1\x00"}}),
    ("发票号含换行", "invoice_number", {"reason": "01", "details": {"invoice_number": "0001\n0002"}}),
    ("销户提取填了金额", "amount", {"reason": "03", "amount": "100"}),
    ("渠道不正确", "channel", {"reason": "07", "amount": "10", "channel": "fax"}),
    ("网厅办理须窗口的原因", "reason", {"reason": "09", "details": illness("100")}),
]

WINDOW_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("缺必填：医疗费用", "expenses", {"reason": "09", "materials": paper_codes("09")}),
    ("缺必填：就诊医院", "hospital", {"reason": "09", "details": {"expenses": "100", "medical": {"record_number": "ZY1",
                                     "diagnosis": "肺癌"}}, "materials": paper_codes("09")}),
    ("缺必填：病案号", "record_number", {"reason": "09", "details": {"expenses": "100", "hospital": "示范市人民医院",
                                        "diagnosis": "肺癌"}, "materials": paper_codes("09")}),
    ("出院诊断过长", "diagnosis", {"reason": "09", "details": {**illness("100"), "medical": {
        "hospital": "示范市人民医院", "record_number": "ZY1", "diagnosis": "癌" * 201}}, "materials": paper_codes("09")}),
    ("医疗费用不是数字", "expenses", {"reason": "09", "details": {**illness("1"), "expenses": "很多"}, "materials": paper_codes("09")}),
    ("缺必填：证号和工程费用", "cost", {"reason": "02", "materials": paper_codes("02")}),
    ("继承关系不在选项中", "heir_relation", {"reason": "08", "other_id_number": OTHER, "other_name": "某女",
                                   "payee_card": "6217000000000000012", "details": {"heir_relation": "朋友"},
                                   "materials": paper_codes("08")}),
    ("继承人缺银行卡", "payee_card", {"reason": "08", "other_id_number": OTHER, "other_name": "某女",
                               "details": {"heir_relation": "spouse"}, "materials": paper_codes("08")}),
    ("缺纸质材料", "materials", {"reason": "09", "details": illness("100"), "materials": []}),
    ("未知材料编码", "materials", {"reason": "09", "details": illness("100"),
                             "materials": [*paper_codes("09"), "nonsense"]}),
]


def _refusal(wd: Any, kw: dict[str, Any], actor: Any, channel: str) -> tuple[dict[str, list[str]], bool]:
    """Submit bad input: (the field errors it raised, whether nothing at all was written)."""
    counts = Withdrawal.objects.count(), AuditEvent.objects.filter(action__startswith="withdrawals.").count()
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=actor, account=wd.account, **{"channel": channel, **kw})
    after = Withdrawal.objects.count(), AuditEvent.objects.filter(action__startswith="withdrawals.").count()
    return err.value.message_dict, after == counts


def _chinese(messages: list[str]) -> bool:
    return bool(messages) and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages)


def test_bad_input_online_names_the_field_and_writes_nothing(wd):
    for label, field, kw in CASES:
        errors, nothing_written = _refusal(wd, kw, wd.world.member_a, "online")
        assert _chinese(errors.get(field, [])) and nothing_written, (label, errors)


def test_bad_input_at_the_window_names_the_field_and_writes_nothing(wd):
    for label, field, kw in WINDOW_CASES:
        errors, nothing_written = _refusal(wd, kw, wd.world.clerk, "window")
        assert _chinese(errors.get(field, [])) and nothing_written, (label, errors)


def test_naming_oneself_as_the_relation_is_refused(wd):
    errors, nothing_written = _refusal(
        wd, {"reason": "01", "relation": "spouse", "other_id_number": wd.person.id_number, "other_name": "本人",
             "details": CERT}, wd.world.member_a, "online")
    assert _chinese(errors.get("other_id_number", [])) and nothing_written, errors


def test_a_good_submission_after_bad_ones_is_accepted(wd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                              amount=" 100.50 ", client_token="t-1")
        again = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                                  amount="100.50", client_token="t-1")
    assert again.pk == w.pk and w.amount_requested == Decimal("100.50")
    assert Withdrawal.objects.count() == 1
