"""Personal data is masked in free text; ordinary numbers are left alone."""

import pytest

from kinerja_feedback.domain.redaction import (
    DEFAULT_ABUSIVE_WORDS,
    MARKERS,
    AbuseFlag,
    PersonalDataKind,
    abuse_flags,
    contains_personal_data,
    personal_data_paths,
    redact,
)

PHONE = MARKERS[PersonalDataKind.PHONE]
EMAIL = MARKERS[PersonalDataKind.EMAIL]
NIK = MARKERS[PersonalDataKind.NIK]


def test_markers_are_the_fixed_indonesian_texts() -> None:
    assert PHONE == "[telepon disembunyikan]"
    assert EMAIL == "[email disembunyikan]"
    assert NIK == "[NIK disembunyikan]"


@pytest.mark.parametrize(
    "phone",
    [
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "081234567890",
        "08123456789",
        "0812345678",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+62.812.3456.7890",
        "+6281234567890",
        "+62 (0)812 3456 7890",
        "62812345678",
        "62 812 3456 7890",
        "(0361) 223344",
        "(0361)223344",
        "0361-223344",
        "0361 223344",
        "0361223344",
        "+62 361 223344",
        "+62 (361) 223344",
        "(021) 1234 5678",
        "+1 415 555 2671",
    ],
)
def test_phone_numbers_are_masked_in_every_common_format(phone: str) -> None:
    result = redact(f"Hubungi saya di {phone} ya")
    assert result.text == f"Hubungi saya di {PHONE} ya"
    assert result.masked[PersonalDataKind.PHONE] == 1


@pytest.mark.parametrize(
    "email",
    [
        "budi@gmail.com",
        "budi.santoso@gmail.com",
        "budi.santoso+skm@mail.denpasarkota.go.id",
        "made_wirawan-99@yahoo.co.id",
        "KETUT.Sari@Example.ORG",
    ],
)
def test_email_addresses_are_masked_with_plus_and_dots(email: str) -> None:
    result = redact(f"email: {email}, terima kasih")
    assert result.text == f"email: {EMAIL}, terima kasih"
    assert result.masked[PersonalDataKind.EMAIL] == 1


@pytest.mark.parametrize(
    "nik",
    [
        "5171012345670001",
        "5171 0123 4567 0001",
        "5171.0123.4567.0001",
        "5171-0123-4567-0001",
        "51.71.01.234567.0001",
        "517101 234567 0001",
    ],
)
def test_nik_numbers_are_masked_also_when_grouped(nik: str) -> None:
    result = redact(f"NIK saya {nik}.")
    assert result.text == f"NIK saya {NIK}."
    assert result.masked[PersonalDataKind.NIK] == 1


@pytest.mark.parametrize(
    "text",
    [
        "Rp 50.000",
        "biaya Rp. 1.250.000,00",
        "Rp 62.500.000",
        "Rp 6.281.234.567",
        "tanggal 12/10/2026",
        "tanggal 02.10.2026 jam 08.30",
        "antrian nomor 123",
        "antrian A-012",
        "tahun 2025",
        "jam 08.30",
        "buka 08.00-12.00 WITA",
        "kode 12345678901234567",
        "RT 003 RW 012",
        "3 hari, 14 hari, 60 hari",
    ],
)
def test_ordinary_numbers_are_not_masked(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.total == 0


def test_a_year_before_a_phone_number_stays_and_the_phone_is_masked() -> None:
    assert redact("tahun 2025 0812-3456-7890").text == f"tahun 2025 {PHONE}"


def test_a_nik_and_a_phone_side_by_side_are_masked_separately() -> None:
    result = redact("5171012345670001 08123456789")
    assert result.text == f"{NIK} {PHONE}"
    assert dict(result.masked) == {
        PersonalDataKind.PHONE: 1,
        PersonalDataKind.EMAIL: 0,
        PersonalDataKind.NIK: 1,
    }


def test_several_kinds_in_one_text_are_all_masked_and_counted() -> None:
    text = (
        "Saya Wayan, NIK 5171 0123 4567 0001, hp 0812-3456-7890 atau 0361 223344, "
        "email wayan.b+lapor@gmail.com. Antrian 45, bayar Rp 50.000 tanggal 12/10/2026."
    )
    result = redact(text)
    assert result.text == (
        f"Saya Wayan, NIK {NIK}, hp {PHONE} atau {PHONE}, "
        f"email {EMAIL}. Antrian 45, bayar Rp 50.000 tanggal 12/10/2026."
    )
    assert result.masked[PersonalDataKind.PHONE] == 2
    assert result.masked[PersonalDataKind.EMAIL] == 1
    assert result.masked[PersonalDataKind.NIK] == 1
    assert result.total == 4


def test_a_phone_written_inside_an_email_is_masked_as_the_email() -> None:
    assert redact("budi081234567890@gmail.com").text == EMAIL


def test_a_phone_glued_to_a_word_is_still_masked() -> None:
    assert redact("wa08123456789").text == f"wa{PHONE}"


def test_redacted_text_holds_no_personal_data() -> None:
    result = redact("hp +62 812 3456 7890, NIK 5171012345670001, a@b.co")
    assert not contains_personal_data(result.text)


def test_the_masked_counts_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        redact("x").masked[PersonalDataKind.PHONE] = 3  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pelayanan cepat, terima kasih", False),
        ("antrian nomor 123 tahun 2025 Rp 50.000", False),
        ("hubungi 0812-3456-7890", True),
        ("kirim ke budi@gmail.com", True),
        ("NIK 5171012345670001", True),
    ],
)
def test_contains_personal_data_tells_whether_anything_would_be_masked(
    text: str, expected: bool
) -> None:
    assert contains_personal_data(text) is expected


def test_personal_data_paths_find_leaks_anywhere_in_an_event_payload() -> None:
    payload = {
        "service_point_id": "sp-1",
        "scores": [4, 3, 4],
        "comment": "ok",
        "answers": [{"note": "telp 0812 3456 7890"}, {"note": "bagus"}],
        "meta": {"contact": "x@y.id", "count": 5, "flag": None},
    }
    assert personal_data_paths(payload) == ["$.answers[0].note", "$.meta.contact"]


def test_personal_data_paths_are_empty_for_a_clean_payload() -> None:
    assert personal_data_paths({"unit": "Dukcapil", "ikm": 88.5, "tags": ["cepat"]}) == []


@pytest.mark.parametrize(
    "text",
    [
        "dasar anjing",
        "ANJING kau",
        "4nj1ng",
        "anjiiing",
        "pegawai goblok",
        "g0bl0k",
        "tolol!!!",
        "t0l0l",
        "kerjanya bangsat",
        "b4ngs4t",
        "goblokmu",
        "anjingnya",
        "dasar anjing-anjing",
        "dasar cicing",
        "celeng",
        "bangke",
        "fucking slow",
        "sh1t service",
        "b!tch",
        "dasar anak haram",
    ],
)
def test_insults_are_flagged_as_abusive_language(text: str) -> None:
    assert AbuseFlag.ABUSIVE_LANGUAGE in abuse_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "pelayanan di pantai sangat baik",
        "urus asuransi kesehatan",
        "laptop asus saya",
        "petugas ramah dan cepat",
        "antrian 123 jam 08.30",
        "tolong dibantu",
        "kantor bupati",
    ],
)
def test_ordinary_words_are_not_flagged_as_abusive(text: str) -> None:
    assert AbuseFlag.ABUSIVE_LANGUAGE not in abuse_flags(text)


def test_the_word_list_can_be_replaced() -> None:
    assert abuse_flags("dasar kunyuk", abusive_words={"kunyuk"}) == [AbuseFlag.ABUSIVE_LANGUAGE]
    assert abuse_flags("dasar anjing", abusive_words={"kunyuk"}) == []


def test_the_default_word_list_is_lowercase_and_modest() -> None:
    assert all(word == word.lower() for word in DEFAULT_ABUSIVE_WORDS)
    assert 10 <= len(DEFAULT_ABUSIVE_WORDS) <= 60


@pytest.mark.parametrize(
    ("text", "shouting"),
    [
        ("PELAYANAN SANGAT LAMBAT SEKALI", True),
        ("PELAYANAN SANGAT LAMBAT sekali!!", True),
        ("Pelayanan di kantor Dukcapil lambat", False),
        ("KTP dan KK sudah jadi", False),
        ("OK", False),
    ],
)
def test_text_mostly_in_capitals_is_flagged_as_shouting(text: str, shouting: bool) -> None:
    assert (AbuseFlag.SHOUTING in abuse_flags(text)) is shouting


@pytest.mark.parametrize(
    ("text", "repetitive"),
    [
        ("spam spam spam spam", True),
        ("aaaaaaaaaaaa", True),
        ("beli beli murah beli beli murah beli beli murah beli", True),
        ("tolong tolong dibantu", False),
        ("cepat-cepat dilayani, terima kasih...... ", False),
    ],
)
def test_repetitive_text_is_flagged(text: str, repetitive: bool) -> None:
    assert (AbuseFlag.REPETITION in abuse_flags(text)) is repetitive


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("cek http://promo.example", True),
        ("daftar di www.judi-online.com", True),
        ("klik bit.ly/abc", True),
        ("info di denpasarkota.go.id", True),
        ("email saya budi@gmail.com", False),
        ("jam 08.30 di Jl. Gajah Mada", False),
    ],
)
def test_links_are_flagged(text: str, link: bool) -> None:
    assert (AbuseFlag.LINK in abuse_flags(text)) is link


def test_a_polite_text_has_no_flags() -> None:
    assert abuse_flags("Petugas loket 3 ramah, prosesnya cepat. Terima kasih!") == []


def test_flags_come_in_a_stable_order() -> None:
    assert abuse_flags("ANJING ANJING ANJING ANJING www.spam.com") == [
        AbuseFlag.ABUSIVE_LANGUAGE,
        AbuseFlag.SHOUTING,
        AbuseFlag.REPETITION,
        AbuseFlag.LINK,
    ]


def test_a_uuid_whose_digits_look_like_a_phone_number_is_not_personal_data() -> None:
    identifier = "03311086-75a9-45e2-826b-23696eeba3cd"
    assert personal_data_paths({"feedback_id": identifier}) == []
    assert personal_data_paths({"comment": "hubungi 0812-3456-7890"}) == ["$.comment"]
