"""Verification codes printed on documents: random, unguessable, and easy to read back over the phone.

The alphabet leaves out 0/O and 1/I, which people confuse when typing a code from paper.
"""

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 32**12 = 2**60 codes: guessing one that was issued is hopeless
CODE_PATTERN = rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$"


def new_verification_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str | None) -> str:
    """What a person typed → the stored form: upper case, without spaces or hyphens."""
    return re.sub(r"[\s\-－—]", "", raw or "").upper()


def is_well_formed(code: str) -> bool:
    return re.fullmatch(CODE_PATTERN, code) is not None


def format_code(code: str) -> str:
    """ABCDEFGHJKLM → ABCD-EFGH-JKLM, as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
