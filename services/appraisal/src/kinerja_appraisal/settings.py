"""Settings of the appraisal service (environment prefix APPRAISAL_)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kinerja_appraisal.domain.policy import AppraisalPolicy
from kinerja_shared.settings import ServiceSettings

PREFIX = "/api/v1/appraisal"


class AppraisalSettings(ServiceSettings):
    """Settings of the appraisal service; local policies have documented defaults."""

    service_name: ClassVar[str] = "appraisal"
    default_port: ClassVar[int] = 8001

    model_config = SettingsConfigDict(
        env_prefix="APPRAISAL_", extra="ignore", populate_by_name=True
    )

    policy: AppraisalPolicy = Field(
        default_factory=AppraisalPolicy,
        description="Local policies (docs/domain.md, Appraisal): objection window and the"
        " appraiser's statement days, award years, development threshold, Hasil small part,"
        " kurva rounding (exact: at most down, at least up) and small-unit threshold (4).",
    )
    development_plan_due_days: int = Field(
        default=90,
        ge=1,
        description="Days from the WITA date of finalisation to a development plan's due date.",
    )
    development_plan_areas: list[str] = Field(
        default_factory=lambda: ["komunikasi", "pelayanan publik"],
        description="Areas a development plan opens with (training in communication and"
        " public service by default).",
    )
    unit_head_hasil_mapping: dict[str, str] = Field(
        default_factory=lambda: {
            "istimewa": "di_atas",
            "baik": "sesuai",
            "butuh_perbaikan": "di_bawah",
            "kurang": "di_bawah",
            "sangat_kurang": "di_bawah",
        },
        description="The Hasil Kerja a unit head takes from the unit's organisation predikat.",
    )
    reminder_scan_seconds: float = Field(
        default=300,
        ge=0,
        description="How often the deadline reminders are looked for (0: never); the first"
        " scan runs one interval after start.",
    )
    skp_reminder_days: int = Field(
        default=7,
        ge=0,
        description="Days before a planned or running period's last day to remind of an SKP"
        " of its year not submitted or not approved.",
    )
    unit_closing_days: int = Field(
        default=14,
        ge=0,
        description="Days after a period's last day by which a unit's assessments are to be"
        " final (local policy: the unit's closing date the draft reminders count to).",
    )
    draft_reminder_days: int = Field(
        default=3,
        ge=0,
        description="Days before the unit's closing date to remind of an assessment still a draft.",
    )
    objection_reminder_days: int = Field(
        default=3,
        ge=0,
        description="Days before the objection window's last day to remind an employee who"
        " has neither acknowledged the result nor objected.",
    )
    consumer_group: str = Field(
        default="appraisal",
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Kafka consumer group id (tests give each run its own).",
    )
    max_import_rows: int = Field(
        default=20000,
        ge=1,
        description="Largest import file, in rows after the header (blank rows count too);"
        " counted while the file is read.",
    )
    max_import_bytes: int = Field(
        default=4_194_304,
        ge=0,
        description="Largest import upload in bytes (the whole multipart body; 413 problem),"
        " refused before it is read; it replaces max_body_bytes on /imports/.",
    )
    max_import_expanded_bytes: int = Field(
        default=33_554_432,
        ge=0,
        description="Largest size an XLSX import may expand to, in bytes (its zip entries as"
        " declared, which bound what is decompressed); checked before parsing.",
    )
