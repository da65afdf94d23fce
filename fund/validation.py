"""Checksums of the national identifiers, and the formats of free text that names a thing, in Chinese.

python-stdnum does the arithmetic (GB 11643 resident ID, GB 32100 unified social credit code, Luhn);
this module turns its exceptions into Django ValidationErrors a clerk can act on. Below them, one cleaner
per kind of free text (names, banks, accounts, centres, letters, addresses, phones) that every service uses.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

T = TypeVar("T")


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "1" male, "2" female — GB/T 2261.1 codes


def clean_resident_id(raw: str) -> ResidentId:
    """Validate an 18-digit resident ID (GB 11643) and derive birth date and sex from it."""
    value = (raw or "").strip().upper()
    if not value:
        raise ValidationError("请填写身份证号码", code="required")
    # GB 11643 is the format, the check digit and a real birth date. stdnum's validate() also rejects
    # region codes missing from its table for the birth year, which would refuse genuine older cards,
    # so the region is not checked here (the identity sandbox/registry is the authority on that).
    if len(value) != 18:
        raise ValidationError("身份证号码应为18位", code="length")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationError("身份证号码格式不正确", code="format")
    if value[17] != ric.calc_check_digit(value):
        raise ValidationError("身份证号码校验位不正确", code="checksum")
    try:
        birth = ric.get_birth_date(value)
    except StdnumError as exc:
        raise ValidationError("身份证号码中的出生日期无效", code="component") from exc
    if birth > date.today() or birth.year < 1900:
        raise ValidationError("身份证号码中的出生日期无效", code="component")
    number = value
    return ResidentId(number=number, birth_date=birth, sex="1" if int(number[16]) % 2 else "2")


def clean_credit_code(raw: str) -> str:
    """Validate a unified social credit code (GB 32100)."""
    value = (raw or "").strip().upper()
    if not value:
        raise ValidationError("请填写统一社会信用代码", code="required")
    try:
        return uscc.validate(value)
    except uscc.InvalidLength as exc:
        raise ValidationError("统一社会信用代码应为18位", code="length") from exc
    except uscc.InvalidChecksum as exc:
        raise ValidationError("统一社会信用代码校验位不正确", code="checksum") from exc
    except StdnumError as exc:
        raise ValidationError("统一社会信用代码格式不正确", code="format") from exc


# The 31 characters a credit code may use (GB 32100: digits and capitals without I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def organisation_code_complete(body: str) -> str:
    """Eight characters of an organisation code (组织机构代码, GB 11714, positions 9–17 of a credit code)
    followed by its check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return body + ("0" if check == 11 else "X" if check == 10 else str(check))


def credit_code_complete(partial: str) -> str:
    """17 characters of a unified social credit code followed by their GB 32100 check character: for the
    codes the centre makes itself (a branch's special unit, demo data), which clean_credit_code accepts."""
    return partial + uscc.calc_check_digit(partial)


def clean_bank_card(raw: str) -> str:
    """Validate a bank card number: 12–19 digits with a Luhn check digit (UnionPay cards use Luhn)."""
    value = "".join((raw or "").split())
    if not value:
        raise ValidationError("请填写银行卡号", code="required")
    if not value.isdigit() or not 12 <= len(value) <= 19:
        raise ValidationError("银行卡号应为12至19位数字", code="format")
    try:
        return luhn.validate(value)
    except StdnumError as exc:
        raise ValidationError("银行卡号校验位不正确", code="checksum") from exc


def resident_id_validator(value: str) -> None:
    clean_resident_id(value)


def credit_code_validator(value: str) -> None:
    clean_credit_code(value)


def bank_card_validator(value: str) -> None:
    clean_bank_card(value)


# ---- free text that names a thing ------------------------------------------------------------------------
#
# A bank, an account, a centre, a letter, an address or a name has a format and a length that a real one has;
# "0" is not a bank account, "11618441.0" not a bank, "Ç" not a provident fund centre. Each cleaner returns the
# value as stored (trimmed, normalised) or raises a ValidationError whose message names the field by `label`.
# Every control character is refused in a one-line value, line breaks and tabs included (fund.middleware has
# already refused the others in every request; these also guard values that arrive by other roads).

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Multi-line text (a reason, an opinion) may keep its line breaks and tabs.
CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = re.compile(f"[{_HAN}]")
# A person's name: Chinese characters (rare ones included), or Latin letters for a foreign name; "·" joins
# the parts of a minority or foreign name.
PERSON_NAME = re.compile(f"[{_HAN}A-Za-z·•．. ]+")
# An organisation's, bank's or centre's name as registered: Chinese characters, Latin letters, digits and the
# punctuation registered names use.
ORG_NAME = re.compile(f"[{_HAN}A-Za-z0-9（）()·&＆、.．\\- ]+")
BANK_ACCOUNT = re.compile(r"\d{8,32}")
LETTER_NUMBER = re.compile(r"[A-Z0-9-]{6,40}")
ACCOUNT_NUMBER = re.compile(r"[A-Z0-9-]{4,40}")
BANK_SERIAL = re.compile(r"[A-Za-z0-9_/-]+")
MOBILE = re.compile(r"1[3-9]\d{9}")
PHONE = re.compile(r"\+?[\d\-() ]{7,20}")


def _han_count(value: str) -> int:
    return len(HAN.findall(value))


def clean_line(raw: Any, *, label: str, max_length: int, min_length: int = 1, required: bool = True) -> str:
    """One line of text: no control character (line breaks included), trimmed, within the lengths."""
    value = "" if raw is None else str(raw)
    if CONTROL.search(value):
        raise ValidationError(f"{label}不能含有换行、制表符等控制字符", code="control")
    value = value.strip()
    if not value:
        if required:
            raise ValidationError(f"请填写{label}", code="required")
        return ""
    if len(value) > max_length:
        raise ValidationError(f"{label}不能超过{max_length}字", code="max_length")
    if len(value) < min_length:
        raise ValidationError(f"{label}至少{min_length}个字", code="min_length")
    return value


def clean_text(raw: Any, *, label: str, max_length: int, required: bool = True) -> str:
    """Multi-line text (a reason, an opinion): line breaks and tabs allowed, no other control character."""
    value = "" if raw is None else str(raw)
    if CONTROL_IN_TEXT.search(value):
        raise ValidationError(f"{label}不能含有控制字符", code="control")
    value = value.strip()
    if not value and required:
        raise ValidationError(f"请填写{label}", code="required")
    if len(value) > max_length:
        raise ValidationError(f"{label}不能超过{max_length}字", code="max_length")
    return value


def clean_person_name(raw: Any, *, label: str = "姓名", required: bool = True) -> str:
    value = clean_line(raw, label=label, max_length=60, min_length=2, required=required)
    if value and not PERSON_NAME.fullmatch(value):
        raise ValidationError(f"{label}只能由汉字、字母和间隔号“·”组成", code="format")
    return value


def clean_org_name(raw: Any, *, label: str = "单位名称", required: bool = True) -> str:
    value = clean_line(raw, label=label, max_length=120, min_length=4, required=required)
    if value and (not ORG_NAME.fullmatch(value) or _han_count(value) < 2):
        raise ValidationError(f"{label}应为登记的中文名称，如“示范市安居置业有限公司”", code="format")
    return value


def clean_bank_name(raw: Any, *, label: str = "缴存银行", required: bool = True) -> str:
    """A bank's or credit cooperative's name: 建行, 中国建设银行示范市分行, 示范市农村信用合作联社."""
    value = clean_line(raw, label=label, max_length=60, min_length=2, required=required)
    if value and (not ORG_NAME.fullmatch(value) or _han_count(value) < 2 or not re.search("[行社]", value)):
        raise ValidationError(f"{label}应为银行的名称，如“中国建设银行示范市分行”", code="format")
    return value


def clean_bank_account(raw: Any, *, label: str = "单位银行账号", required: bool = True) -> str:
    """A bank account number (对公账号): 8–32 digits; the spaces and dashes people copy it with are dropped."""
    value = clean_line(raw, label=label, max_length=40, required=required)
    digits = re.sub(r"[\s\-]", "", value)
    if value and (not BANK_ACCOUNT.fullmatch(digits) or not digits.strip("0")):
        raise ValidationError(f"{label}应为8至32位数字", code="format")
    return digits


def clean_centre_name(raw: Any, *, label: str, required: bool = True) -> str:
    """Another provident fund centre (or one of its branches): 武汉住房公积金管理中心, 某某中心某某管理部."""
    value = clean_line(raw, label=label, max_length=120, min_length=4, required=required)
    if value and (not ORG_NAME.fullmatch(value) or _han_count(value) < 2
                  or not any(word in value for word in ("中心", "管理部"))):
        raise ValidationError(f"{label}应为住房公积金中心的名称，如“武汉住房公积金管理中心”", code="format")
    return value


def clean_letter_number(raw: Any, *, label: str = "联系函编号", required: bool = True) -> str:
    """A transfer platform contact letter's number: 6–40 letters, digits and dashes, at least 4 digits."""
    value = clean_line(raw, label=label, max_length=40, required=required).upper()
    if value and (not LETTER_NUMBER.fullmatch(value) or sum(c.isdigit() for c in value) < 4):
        raise ValidationError(f"{label}应为6至40位字母或数字，如“ZY2026112200000001”", code="format")
    return value


def clean_account_number(raw: Any, *, label: str, required: bool = True) -> str:
    """A personal account number at another centre: 4–40 letters, digits and dashes."""
    value = clean_line(raw, label=label, max_length=40, required=required).upper()
    if value and (not ACCOUNT_NUMBER.fullmatch(value) or not any(c.isdigit() for c in value)):
        raise ValidationError(f"{label}应为4至40位字母或数字", code="format")
    return value


def clean_bank_serial(raw: Any, *, label: str = "银行流水号", required: bool = True) -> str:
    """A bank's serial or a paying-in slip's number: one receipt pays one bill by it, so it is a key, with no
    space or line break that would make the same receipt a second, different key."""
    value = clean_line(raw, label=label, max_length=64, required=required)
    if value and not BANK_SERIAL.fullmatch(value):
        raise ValidationError(f"{label}应为字母、数字或“-”“_”“/”，不含空格", code="format")
    return value


def clean_address(raw: Any, *, label: str = "地址", required: bool = True, max_length: int = 200) -> str:
    value = clean_line(raw, label=label, max_length=max_length, min_length=5, required=required)
    if value and _han_count(value) < 2:
        raise ValidationError(f"{label}应为详细地址，如“示范市高新区科技路88号”", code="format")
    return value


def clean_mobile(raw: Any, *, label: str = "手机号码", required: bool = True) -> str:
    value = "".join(clean_line(raw, label=label, max_length=20, required=required).replace("-", "").split())
    if value and not MOBILE.fullmatch(value):
        raise ValidationError(f"{label}应为以1开头的11位手机号码", code="format")
    return value


def clean_phone(raw: Any, *, label: str = "联系电话", required: bool = True) -> str:
    """A mobile or a landline with its area code (0537-3100001); an extension may follow a dash."""
    value = clean_line(raw, label=label, max_length=30, required=required)
    if value and (not PHONE.fullmatch(value) or not 7 <= sum(c.isdigit() for c in value) <= 20):
        raise ValidationError(f"{label}应为手机号码或带区号的固定电话，如“0537-3100001”", code="format")
    return value


def clean_into(errors: dict[str, list[str]], field: str, cleaner: Callable[..., T], raw: Any, **options: Any) -> T | None:
    """Run one cleaner for a service that reports every field at once: a refusal goes into `errors` under
    `field` and None comes back."""
    try:
        return cleaner(raw, **options)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


# Model-field validators, for the forms Django builds from models (the admin's editable tables).

def one_line_validator(value: str) -> None:
    clean_line(value, label="内容", max_length=len(value or "") or 1, required=False)


def address_validator(value: str) -> None:
    clean_address(value, required=False)


def org_name_validator(value: str) -> None:
    clean_org_name(value, label="名称", required=False)
