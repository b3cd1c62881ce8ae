"""The SKM questionnaire matches the table of PermenPANRB 14/2017 (docs/domain.md, Citizen
feedback: SKM and IKM, Elements)."""

import dataclasses

import pytest

from kinerja_feedback.domain.survey import (
    SURVEY,
    SURVEY_VERSION,
    AgeBand,
    Education,
    Occupation,
    Sex,
)
from kinerja_shared.law.skm import Unsur

TABLE = [
    ("U1", "Persyaratan", ("tidak sesuai", "kurang sesuai", "sesuai", "sangat sesuai")),
    (
        "U2",
        "Sistem, mekanisme, prosedur",
        ("tidak mudah", "kurang mudah", "mudah", "sangat mudah"),
    ),
    ("U3", "Waktu penyelesaian", ("tidak cepat", "kurang cepat", "cepat", "sangat cepat")),
    ("U4", "Biaya/tarif", ("sangat mahal", "cukup mahal", "murah", "gratis")),
    (
        "U5",
        "Produk spesifikasi jenis pelayanan",
        ("tidak sesuai", "kurang sesuai", "sesuai", "sangat sesuai"),
    ),
    (
        "U6",
        "Kompetensi pelaksana",
        ("tidak kompeten", "kurang kompeten", "kompeten", "sangat kompeten"),
    ),
    (
        "U7",
        "Perilaku pelaksana",
        (
            "tidak sopan dan ramah",
            "kurang sopan dan ramah",
            "sopan dan ramah",
            "sangat sopan dan ramah",
        ),
    ),
    ("U8", "Sarana dan prasarana", ("buruk", "cukup", "baik", "sangat baik")),
    (
        "U9",
        "Penanganan pengaduan, saran, masukan",
        (
            "tidak ada",
            "ada tetapi tidak berfungsi",
            "berfungsi kurang maksimal",
            "dikelola dengan baik",
        ),
    ),
]


def test_the_survey_has_exactly_the_nine_elements_in_order() -> None:
    assert [element.code for element in SURVEY.elements] == [row[0] for row in TABLE]
    assert SURVEY.codes == tuple(Unsur)


@pytest.mark.parametrize(("code", "unsur", "labels"), TABLE)
def test_each_element_has_the_unsur_name_of_the_regulation(
    code: str, unsur: str, labels: tuple[str, ...]
) -> None:
    assert SURVEY.element(code).unsur == unsur


@pytest.mark.parametrize(("code", "unsur", "labels"), TABLE)
def test_each_element_has_the_four_answer_labels_verbatim(
    code: str, unsur: str, labels: tuple[str, ...]
) -> None:
    assert SURVEY.element(code).labels == labels


@pytest.mark.parametrize(("code", "unsur", "labels"), TABLE)
@pytest.mark.parametrize("score", [1, 2, 3, 4])
def test_a_score_maps_to_its_label(
    code: str, unsur: str, labels: tuple[str, ...], score: int
) -> None:
    assert SURVEY.element(code).label(score) == labels[score - 1]


@pytest.mark.parametrize("code", list(Unsur))
def test_each_element_asks_an_indonesian_question(code: Unsur) -> None:
    question = SURVEY.element(code).question
    assert question.startswith("Bagaimana ")
    assert question.endswith("?")
    assert "Saudara" in question


def test_the_first_question_follows_the_standard_wording() -> None:
    assert SURVEY.element("U1").question == (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
        "dengan jenis pelayanannya?"
    )


def test_questions_are_all_different() -> None:
    assert len({element.question for element in SURVEY.elements}) == 9


def test_the_survey_carries_its_version() -> None:
    assert SURVEY.version == SURVEY_VERSION
    assert SURVEY_VERSION


def test_the_survey_definition_cannot_be_changed() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SURVEY.version = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        SURVEY.elements[0].question = "other"  # type: ignore[misc]


def test_an_unknown_element_code_is_refused() -> None:
    with pytest.raises(KeyError):
        SURVEY.element("U10")


def test_sex_options_are_l_and_p_with_indonesian_labels() -> None:
    assert [(sex.value, sex.label) for sex in Sex] == [("L", "Laki-laki"), ("P", "Perempuan")]


def test_education_levels_run_from_sd_to_s3() -> None:
    assert [level.value for level in Education] == [
        "SD",
        "SMP",
        "SMA",
        "D1-D3",
        "D4-S1",
        "S2",
        "S3",
    ]


def test_occupations_are_those_of_the_skm_form() -> None:
    assert [occupation.value for occupation in Occupation] == [
        "PNS",
        "TNI",
        "POLRI",
        "SWASTA",
        "WIRAUSAHA",
        "PELAJAR-MAHASISWA",
        "LAINNYA",
    ]


@pytest.mark.parametrize("option", [*AgeBand, *Sex, *Education, *Occupation])
def test_every_profile_option_has_an_indonesian_label(
    option: AgeBand | Sex | Education | Occupation,
) -> None:
    assert option.label
    assert option.label.strip() == option.label


def test_age_bands_cover_every_age_once() -> None:
    assert len(AgeBand) == 7
    assert AgeBand.UNDER_18.label == "Di bawah 18 tahun"
    assert AgeBand.OVER_65.label == "Di atas 65 tahun"
