"""Checksums of the national identifiers, with messages in Chinese.

python-stdnum does the arithmetic (GB 11643 resident ID, GB 32100 unified social credit code, Luhn);
this module turns its exceptions into Django ValidationErrors a clerk can act on.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


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
