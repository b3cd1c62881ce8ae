"""Request and response models of service points."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from kinerja_shared.schemas import RequestModel

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
ServiceType = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
StaffCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
PointKind = Literal[
    "kelurahan_office", "school", "licensing_counter", "health_centre", "office", "other"
]


class ServicePointBase(RequestModel):
    """What describes a service point."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    kind: PointKind = "office"
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    service_types: list[ServiceType] = Field(default_factory=list, max_length=50)
    staff_codes: list[StaffCode] = Field(default_factory=list, max_length=200)
    active: bool = True


class ServicePointCreate(ServicePointBase):
    """A new service point; the slug (for QR codes) is made from the name when not given."""

    unit_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    slug: Slug | None = None


class ServicePointUpdate(RequestModel):
    """Fields to change; absent fields keep their value."""

    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
        | None
    ) = None
    kind: PointKind | None = None
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    service_types: list[ServiceType] | None = Field(default=None, max_length=50)
    staff_codes: list[StaffCode] | None = Field(default=None, max_length=200)
    active: bool | None = None


class StaffPublic(BaseModel):
    """A staff member citizens may name, by the public staff code on their badge (the service
    knows no names: they stay in the appraisal service)."""

    staff_code: str


class ServicePointPublic(BaseModel):
    """A service point as the app shows it."""

    id: str
    slug: str
    name: str
    kind: str
    unit_id: str
    unit_name: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    service_types: list[str]
    staff: list[StaffPublic]
    active: bool
    distance_km: float | None = None
