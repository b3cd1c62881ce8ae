"""The SKM questionnaire of PermenPANRB 14/2017: the question and answer labels of each of the
nine unsur (kinerja_shared.law.skm), and the respondent profile."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kinerja_shared.law.skm import Unsur, validate_score

SURVEY_VERSION = "permenpanrb-14-2017.v1"
"""Version of the questionnaire below; stored with every response so old answers stay readable."""


@dataclass(frozen=True, slots=True)
class SurveyElement:
    """One SKM element (unsur): its question and the labels of scores 1 to 4."""

    code: Unsur
    question: str
    labels: tuple[str, str, str, str]

    @property
    def unsur(self) -> str:
        """The element's name in the regulation, e.g. 'Persyaratan'."""
        return self.code.label

    def label(self, score: int) -> str:
        """Return the answer label for a score from 1 to 4."""
        return self.labels[validate_score(score) - 1]


@dataclass(frozen=True, slots=True)
class Survey:
    """An immutable, versioned SKM questionnaire."""

    version: str
    elements: tuple[SurveyElement, ...]

    def element(self, code: Unsur | str) -> SurveyElement:
        """Return the element with the given code (U1..U9); KeyError if unknown."""
        for element in self.elements:
            if element.code == code:
                return element
        raise KeyError(f"unknown SKM element {code!r}")

    @property
    def codes(self) -> tuple[Unsur, ...]:
        """Return the element codes in questionnaire order."""
        return tuple(element.code for element in self.elements)


SURVEY = Survey(
    version=SURVEY_VERSION,
    elements=(
        SurveyElement(
            code=Unsur.U1,
            question=(
                "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
                "dengan jenis pelayanannya?"
            ),
            labels=("tidak sesuai", "kurang sesuai", "sesuai", "sangat sesuai"),
        ),
        SurveyElement(
            code=Unsur.U2,
            question=(
                "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"
            ),
            labels=("tidak mudah", "kurang mudah", "mudah", "sangat mudah"),
        ),
        SurveyElement(
            code=Unsur.U3,
            question=(
                "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"
            ),
            labels=("tidak cepat", "kurang cepat", "cepat", "sangat cepat"),
        ),
        SurveyElement(
            code=Unsur.U4,
            question="Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            labels=("sangat mahal", "cukup mahal", "murah", "gratis"),
        ),
        SurveyElement(
            code=Unsur.U5,
            question=(
                "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
                "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
            ),
            labels=("tidak sesuai", "kurang sesuai", "sesuai", "sangat sesuai"),
        ),
        SurveyElement(
            code=Unsur.U6,
            question=(
                "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"
            ),
            labels=("tidak kompeten", "kurang kompeten", "kompeten", "sangat kompeten"),
        ),
        SurveyElement(
            code=Unsur.U7,
            question=(
                "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan "
                "terkait kesopanan dan keramahan?"
            ),
            labels=(
                "tidak sopan dan ramah",
                "kurang sopan dan ramah",
                "sopan dan ramah",
                "sangat sopan dan ramah",
            ),
        ),
        SurveyElement(
            code=Unsur.U8,
            question="Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            labels=("buruk", "cukup", "baik", "sangat baik"),
        ),
        SurveyElement(
            code=Unsur.U9,
            question=(
                "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan "
                "pengguna layanan?"
            ),
            labels=(
                "tidak ada",
                "ada tetapi tidak berfungsi",
                "berfungsi kurang maksimal",
                "dikelola dengan baik",
            ),
        ),
    ),
)
"""The current SKM questionnaire (nine elements, in the order of the regulation)."""


class AgeBand(StrEnum):
    """Age band of a respondent (Umur); the bands are local policy, the form asks for age."""

    UNDER_18 = "UNDER_18"
    FROM_18_TO_25 = "18_25"
    FROM_26_TO_35 = "26_35"
    FROM_36_TO_45 = "36_45"
    FROM_46_TO_55 = "46_55"
    FROM_56_TO_65 = "56_65"
    OVER_65 = "OVER_65"

    @property
    def label(self) -> str:
        """Return the Indonesian label shown on the form."""
        return _AGE_LABELS[self]


_AGE_LABELS: dict[AgeBand, str] = {
    AgeBand.UNDER_18: "Di bawah 18 tahun",
    AgeBand.FROM_18_TO_25: "18–25 tahun",
    AgeBand.FROM_26_TO_35: "26–35 tahun",
    AgeBand.FROM_36_TO_45: "36–45 tahun",
    AgeBand.FROM_46_TO_55: "46–55 tahun",
    AgeBand.FROM_56_TO_65: "56–65 tahun",
    AgeBand.OVER_65: "Di atas 65 tahun",
}


class Sex(StrEnum):
    """Sex of a respondent (Jenis Kelamin), L or P as on the SKM form."""

    L = "L"
    P = "P"

    @property
    def label(self) -> str:
        """Return the Indonesian label shown on the form."""
        return _SEX_LABELS[self]


_SEX_LABELS: dict[Sex, str] = {Sex.L: "Laki-laki", Sex.P: "Perempuan"}


class Education(StrEnum):
    """Highest education of a respondent (Pendidikan Terakhir)."""

    SD = "SD"
    SMP = "SMP"
    SMA = "SMA"
    D1_D3 = "D1-D3"
    D4_S1 = "D4-S1"
    S2 = "S2"
    S3 = "S3"

    @property
    def label(self) -> str:
        """Return the Indonesian label shown on the form."""
        return _EDUCATION_LABELS[self]


_EDUCATION_LABELS: dict[Education, str] = {
    Education.SD: "SD ke bawah",
    Education.SMP: "SMP/sederajat",
    Education.SMA: "SMA/SMK/sederajat",
    Education.D1_D3: "Diploma (D1–D3)",
    Education.D4_S1: "D4/Sarjana (S1)",
    Education.S2: "Magister (S2)",
    Education.S3: "Doktor (S3)",
}


class Occupation(StrEnum):
    """Main occupation of a respondent (Pekerjaan Utama)."""

    PNS = "PNS"
    TNI = "TNI"
    POLRI = "POLRI"
    SWASTA = "SWASTA"
    WIRAUSAHA = "WIRAUSAHA"
    PELAJAR_MAHASISWA = "PELAJAR-MAHASISWA"
    LAINNYA = "LAINNYA"

    @property
    def label(self) -> str:
        """Return the Indonesian label shown on the form."""
        return _OCCUPATION_LABELS[self]


_OCCUPATION_LABELS: dict[Occupation, str] = {
    Occupation.PNS: "PNS",
    Occupation.TNI: "TNI",
    Occupation.POLRI: "POLRI",
    Occupation.SWASTA: "Pegawai swasta",
    Occupation.WIRAUSAHA: "Wirausaha",
    Occupation.PELAJAR_MAHASISWA: "Pelajar/Mahasiswa",
    Occupation.LAINNYA: "Lainnya",
}
