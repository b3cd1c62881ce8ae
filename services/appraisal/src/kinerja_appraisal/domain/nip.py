"""NIP (Nomor Induk Pegawai) parsing and validation of employee numbers (PNS and PPPK).

A PNS NIP has 18 digits: birth date ``YYYYMMDD``, TMT CPNS ``YYYYMM``, a sex digit
(1 male, 2 female) and a 3-digit sequence from 001 upward, e.g. ``198609262015051001``.
A PPPK number also has 18 digits but is not parsed. Input is taken exactly as given:
no spaces, dots or other separators are stripped (a caller that accepts the printed
form ``19860926 201505 1 001`` removes the spaces itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kinerja_appraisal.domain.errors import AppraisalRuleError

NUMBER_LENGTH = 18

_ASCII_DIGITS = frozenset("0123456789")


class EmployeeKind(StrEnum):
    """Kind of ASN: PNS (permanent civil servant) or PPPK (contract employee)."""

    PNS = "pns"
    PPPK = "pppk"


class Sex(StrEnum):
    """Sex as encoded by the 15th digit of a NIP."""

    MALE = "male"
    FEMALE = "female"


class NipPart(StrEnum):
    """The part of an employee number a validation error is about."""

    FORMAT = "format"
    BIRTH_DATE = "birth_date"
    TMT_CPNS = "tmt_cpns"
    SEX = "sex"
    SEQUENCE = "sequence"


class InvalidEmployeeNumber(AppraisalRuleError, ValueError):
    """An employee number (NIP or PPPK number) is malformed; `part` says which part."""

    def __init__(self, part: NipPart, reason: str) -> None:
        self.part = part
        self.reason = reason
        super().__init__(reason)


class InvalidNip(InvalidEmployeeNumber):
    """A PNS NIP is malformed; `part` names the wrong part and `reason` explains it."""


@dataclass(frozen=True, slots=True)
class Nip:
    """A parsed, valid PNS NIP."""

    value: str
    birth_date: date
    tmt_cpns_year: int
    tmt_cpns_month: int
    sex: Sex
    sequence: int

    def __str__(self) -> str:
        """Return the 18-digit NIP."""
        return self.value


def _is_ascii_digits(text: str) -> bool:
    """Tell whether `text` is non-empty and made only of the ASCII digits 0-9."""
    # str.isdigit() also accepts other scripts' digits and superscripts; a NIP must not.
    return bool(text) and all(char in _ASCII_DIGITS for char in text)


def _check_format(number: str, error: type[InvalidEmployeeNumber], label: str) -> None:
    """Raise `error` unless `number` is exactly 18 ASCII digits."""
    if len(number) != NUMBER_LENGTH:
        raise error(
            NipPart.FORMAT,
            f"{label} must have exactly {NUMBER_LENGTH} digits, got {len(number)} characters",
        )
    if not _is_ascii_digits(number):
        raise error(NipPart.FORMAT, f"{label} must contain only the digits 0-9")


def parse_nip(number: str) -> Nip:
    """Parse and validate an 18-digit PNS NIP, raising `InvalidNip` naming the wrong part."""
    _check_format(number, InvalidNip, "a NIP")
    birth_text, tmt_text, sex_text, sequence_text = (
        number[0:8],
        number[8:14],
        number[14],
        number[15:18],
    )
    try:
        birth_date = date(int(birth_text[0:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        raise InvalidNip(
            NipPart.BIRTH_DATE,
            f"birth date part {birth_text!r} (digits 1-8, YYYYMMDD) is not a real date",
        ) from None
    tmt_year, tmt_month = int(tmt_text[0:4]), int(tmt_text[4:6])
    if not 1 <= tmt_month <= 12:
        raise InvalidNip(
            NipPart.TMT_CPNS,
            f"TMT CPNS part {tmt_text!r} (digits 9-14, YYYYMM) has month {tmt_month:02d},"
            " which is not 01-12",
        )
    # TMT CPNS is a month; it must start after the birth month (nobody is appointed
    # in the month they are born). No minimum age is checked: the regulation gives none
    # (docs/domain.md, NIP).
    if (tmt_year, tmt_month) <= (birth_date.year, birth_date.month):
        raise InvalidNip(
            NipPart.TMT_CPNS,
            f"TMT CPNS part {tmt_text!r} (digits 9-14) is not after the birth date"
            f" {birth_date.isoformat()}",
        )
    if sex_text == "1":
        sex = Sex.MALE
    elif sex_text == "2":
        sex = Sex.FEMALE
    else:
        raise InvalidNip(
            NipPart.SEX, f"sex digit {sex_text!r} (digit 15) must be 1 (male) or 2 (female)"
        )
    sequence = int(sequence_text)
    if sequence < 1:
        raise InvalidNip(
            NipPart.SEQUENCE, f"sequence part {sequence_text!r} (digits 16-18) must be 001 or more"
        )
    return Nip(
        value=number,
        birth_date=birth_date,
        tmt_cpns_year=tmt_year,
        tmt_cpns_month=tmt_month,
        sex=sex,
        sequence=sequence,
    )


def validate_employee_number(number: str, kind: EmployeeKind) -> str:
    """Validate a PNS NIP (fully parsed) or a PPPK number (18 digits) and return it."""
    if kind is EmployeeKind.PNS:
        parse_nip(number)
    else:
        _check_format(number, InvalidEmployeeNumber, "a PPPK employee number")
    return number
