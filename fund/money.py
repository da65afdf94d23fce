"""Money is Decimal yuan with two places; this module is the one place that rounds it."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

FEN = Decimal("0.01")
YUAN = Decimal("1")
ZERO = Decimal("0.00")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN}


def to_fen(value: Decimal | int | str) -> Decimal:
    """Round half up to the fen (0.01 yuan)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def round_money(value: Decimal, *, unit: Decimal = FEN, mode: str = "half_up") -> Decimal:
    """Round to a unit (0.01, 1, 100 …) with a named mode; the result always carries two places."""
    steps = (Decimal(value) / unit).quantize(YUAN, rounding=ROUNDING_MODES[mode])
    return (steps * unit).quantize(FEN)


# An amount this large is refused before rounding: it would not round to the fen in Decimal's 28 digits.
AMOUNT_LIMIT = Decimal("1e15")


def to_decimal(raw: object) -> Decimal | None:
    """A number typed by a person or read from an uploaded cell, or None when it is not one.

    Takes an int, a Decimal, a float (by its shortest repr, so 0.1 stays 0.1) or text with thousands
    separators (, or ，) and an optional trailing 元; a bool, NaN, infinity or anything else is not a number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, Decimal)):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "").removesuffix("元").strip()
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if number.is_finite() else None


def parse_amount(raw: object, *, label: str = "金额") -> Decimal:
    """User input as a positive amount with at most two decimals, to the fen; raise ValueError with a
    Chinese message naming `label`."""
    value = to_decimal(raw)
    if value is None:
        raise ValueError(f"{label}必须是数字")
    if value <= 0:
        raise ValueError(f"{label}必须大于 0")
    if value >= AMOUNT_LIMIT:
        raise ValueError(f"{label}过大")
    if value != value.quantize(FEN):
        raise ValueError(f"{label}最多保留两位小数")
    return value.quantize(FEN)


def clean_amount(raw: object, *, label: str = "金额", required: bool = True) -> Decimal | None:
    """parse_amount for a service that reports fields (use with fund.validation.clean_into): a refusal is a
    ValidationError; empty input is None unless `required`."""
    if raw is None or (isinstance(raw, str) and raw == ""):
        if required:
            raise ValidationError(f"请填写{label}", code="required")
        return None
    try:
        return parse_amount(raw, label=label)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid") from exc


def format_percent(value: Decimal) -> str:
    """A stored fraction as a percentage for people: 0.1200 → 12%, 0.02525 → 2.525%."""
    return f"{(Decimal(value) * 100).normalize():f}%"


def format_money(value: Decimal | int | str) -> str:
    """An amount for people: thousands separators and two decimals, 12345.6 → "12,345.60", -5 → "-5.00".
    Every page and document writes money through this (the `money` template filter), so they agree."""
    return f"{to_fen(value):,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
# 万 and 亿 name groups of four digits; 万亿 (a trillion) is as far as an amount of this centre can reach.
_GROUPS = ("", "万", "亿", "万亿")
CAPITALS_LIMIT = Decimal(10) ** (4 * len(_GROUPS))


def amount_in_capitals(value: Decimal | int | str) -> str:
    """The amount in Chinese capitals (大写金额) as financial documents write it, rounded to the fen:
    12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分, 100 → 壹佰元整, 1.05 → 壹元零伍分, 0 → 零元整.

    Follows the People's Bank rules for filling in vouchers: 壹 is written before 拾 (壹拾元); one 零 stands
    for a run of zeros inside the number but not at the end of a group (壹佰万壹仟元, 壹万零壹元); 整 ends an
    amount without 分; 零 after 元 when 角 is zero and 分 is not. A negative amount is prefixed 负."""
    amount = to_fen(value)
    if abs(amount) >= CAPITALS_LIMIT:
        raise ValueError("金额超出大写金额可表示的范围")
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    words = _yuan_in_capitals(yuan)
    if words:
        words += "元"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif fen and words:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    else:
        words = (words or "零元") + "整"
    return sign + words


def _yuan_in_capitals(yuan: int) -> str:
    digits = str(yuan) if yuan else ""
    words, zero_pending, group_has_digit = "", False, False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        place, group = position % 4, position // 4
        digit = int(char)
        if digit:
            if zero_pending:
                words += "零"
            words += _DIGITS[digit] + _PLACES[place]
            zero_pending, group_has_digit = False, True
        else:
            zero_pending = True
        if place == 0:
            if group_has_digit:
                words += _GROUPS[group]
                # zeros that end a group are not read: 壹佰万壹仟, not 壹佰万零壹仟
                zero_pending = False
            group_has_digit = False
    return words
