"""Parsing and validating NIP and PPPK employee numbers."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kinerja_appraisal.domain.errors import AppraisalRuleError
from kinerja_appraisal.domain.nip import (
    EmployeeKind,
    InvalidEmployeeNumber,
    InvalidNip,
    NipPart,
    Sex,
    parse_nip,
    validate_employee_number,
)

EXAMPLE = "198609262015051001"


def test_the_documented_example_parses_into_its_parts() -> None:
    nip = parse_nip(EXAMPLE)

    assert nip.value == EXAMPLE
    assert nip.birth_date == date(1986, 9, 26)
    assert (nip.tmt_cpns_year, nip.tmt_cpns_month) == (2015, 5)
    assert nip.sex is Sex.MALE
    assert nip.sequence == 1
    assert str(nip) == EXAMPLE


def test_sex_digit_2_is_female() -> None:
    assert parse_nip("199001012019032005").sex is Sex.FEMALE


def test_sequence_999_is_accepted() -> None:
    assert parse_nip("198609262015051999").sequence == 999


def test_a_leap_day_birth_date_is_accepted() -> None:
    assert parse_nip("198802292010011001").birth_date == date(1988, 2, 29)


def test_tmt_in_december_and_in_the_month_after_birth_is_accepted() -> None:
    nip = parse_nip("199912152000011001")
    assert (nip.tmt_cpns_year, nip.tmt_cpns_month) == (2000, 1)
    assert parse_nip("199001012010121001").tmt_cpns_month == 12


def test_a_parsed_nip_cannot_be_modified() -> None:
    nip = parse_nip(EXAMPLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        nip.sequence = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("number", "part"),
    [
        pytest.param("198602302015051001", NipPart.BIRTH_DATE, id="30 February"),
        pytest.param("190002292015051001", NipPart.BIRTH_DATE, id="29 February of 1900"),
        pytest.param("198613262015051001", NipPart.BIRTH_DATE, id="birth month 13"),
        pytest.param("198600262015051001", NipPart.BIRTH_DATE, id="birth month 00"),
        pytest.param("198609002015051001", NipPart.BIRTH_DATE, id="birth day 00"),
        pytest.param("198609312015051001", NipPart.BIRTH_DATE, id="31 September"),
        pytest.param("000009262015051001", NipPart.BIRTH_DATE, id="birth year 0000"),
        pytest.param("198609262015131001", NipPart.TMT_CPNS, id="tmt month 13"),
        pytest.param("198609262015001001", NipPart.TMT_CPNS, id="tmt month 00"),
        pytest.param("198609261980011001", NipPart.TMT_CPNS, id="tmt before birth"),
        pytest.param("198609261986091001", NipPart.TMT_CPNS, id="tmt in the birth month"),
        pytest.param("198609262015053001", NipPart.SEX, id="sex digit 3"),
        pytest.param("198609262015050001", NipPart.SEX, id="sex digit 0"),
        pytest.param("198609262015051000", NipPart.SEQUENCE, id="sequence 000"),
        pytest.param("19860926201505100A", NipPart.FORMAT, id="a letter"),
        pytest.param("1986-09-26-2015051", NipPart.FORMAT, id="dashes"),
        pytest.param("19860926 201505 1 001", NipPart.FORMAT, id="printed with spaces"),
        pytest.param("19860926201505100", NipPart.FORMAT, id="17 digits"),
        pytest.param("1986092620150510011", NipPart.FORMAT, id="19 digits"),
        pytest.param("", NipPart.FORMAT, id="empty"),
        pytest.param("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", NipPart.FORMAT, id="arabic-indic digits"),
        pytest.param("¹98609262015051001", NipPart.FORMAT, id="superscript digit"),
    ],
)
def test_parsing_refuses_a_nip_and_names_the_wrong_part(number: str, part: NipPart) -> None:
    with pytest.raises(InvalidNip) as caught:
        parse_nip(number)

    assert caught.value.part is part
    assert caught.value.reason == str(caught.value)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("198602302015051001", "birth date part '19860230'"),
        ("198609262015131001", "month 13"),
        ("198609261980011001", "not after the birth date 1986-09-26"),
        ("198609262015053001", "sex digit '3'"),
        ("198609262015051000", "sequence part '000'"),
        ("19860926201505100", "got 17 characters"),
        ("19860926201505100A", "only the digits"),
    ],
)
def test_the_reason_says_in_words_what_is_wrong(number: str, words: str) -> None:
    with pytest.raises(InvalidNip, match=words):
        parse_nip(number)


def test_an_invalid_nip_is_a_value_error_and_a_domain_error() -> None:
    with pytest.raises(InvalidNip) as caught:
        parse_nip("x")

    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, AppraisalRuleError)
    assert isinstance(caught.value, InvalidEmployeeNumber)


def test_validating_a_pns_number_parses_it_fully() -> None:
    assert validate_employee_number(EXAMPLE, EmployeeKind.PNS) == EXAMPLE
    with pytest.raises(InvalidNip):
        validate_employee_number("198602302015051001", EmployeeKind.PNS)


def test_validating_a_pppk_number_only_checks_18_digits() -> None:
    # Not a valid NIP (30 February, sex 9, sequence 000), but a PPPK number is not parsed.
    number = "198602302015059000"

    assert validate_employee_number(number, EmployeeKind.PPPK) == number


@pytest.mark.parametrize(
    "number", ["12345678901234567", "1234567890123456789", "12345678901234567X"]
)
def test_validating_a_pppk_number_refuses_anything_but_18_digits(number: str) -> None:
    with pytest.raises(InvalidEmployeeNumber) as caught:
        validate_employee_number(number, EmployeeKind.PPPK)

    assert not isinstance(caught.value, InvalidNip)
    assert caught.value.part is NipPart.FORMAT
    assert "PPPK" in str(caught.value)
