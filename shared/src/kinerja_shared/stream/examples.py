"""Deterministic, valid example payloads for every event type (documentation and tests)."""

from __future__ import annotations

import types
import typing
import zlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from kinerja_shared.events.catalogue import EventPayload

_BY_NAME: dict[str, Any] = {
    "period_key": "2026-Q1",
    "year": 2026,
    "answers": {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3},
    "overall_rating": 5,
    "staff_code": "DPS-7K2M9Q",
    "slug": "kelurahan-dauh-puri",
    "code": "KEL-DAUHPURI",
    "name": "Kantor Kelurahan Dauh Puri",
    "display_name": "I Made Wirawan",
    "position": "Pengelola Layanan Kependudukan",
    "service_types": ["akta-kelahiran", "kartu-keluarga"],
    "service_type": "akta-kelahiran",
    "category": "simple_complaint",
    "areas": ["komunikasi", "pelayanan publik"],
    "comment_redacted": "Petugas ramah, antrian cepat. Hubungi saya di [telepon disembunyikan].",
    "explanation": "IKM 74.10 is in band C (Kurang Baik).",
    "summary_id": "0b8f6c1e-2f4d-4f43-9c55-3f1c7e2a9d10/2026-Q1",
    "description": "Papan antrean digital dan loket kedua untuk jam sibuk",
    "note": "Loket kedua dibuka setiap Senin dan Selasa",
    "progress_percent": 0,
}


def _value(name: str, annotation: Any, index: int) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return args[0]
    if name in _BY_NAME:
        return _BY_NAME[name]
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        return _value(name, real[0], index)
    if origin is list:
        return [_value(name, args[0], index)]
    if origin is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return example_of(annotation)
    if annotation is bool:
        return name in {"active", "counted", "sufficient"}
    if annotation is int:
        return 12 + index
    if annotation is Decimal:
        return "3.62"
    if annotation is datetime:
        return "2026-03-15T02:30:00Z"
    if annotation is date:
        return "2026-03-14" if not name.endswith("due") else "2026-03-19"
    if annotation is str:
        if name.endswith("_id") or name == "approved_by" or name == "decided_by":
            return f"{zlib.crc32(name.encode()):08x}-2f4d-4f43-9c55-3f1c7e2a9d10"
        return name.replace("_", "-")
    return None


def example_of(model: type[BaseModel]) -> dict[str, Any]:
    """An example instance of a model, validated by the model itself."""
    data = {
        name: _value(name, field.annotation, index)
        for index, (name, field) in enumerate(model.model_fields.items())
    }
    return model.model_validate(data).model_dump(mode="json")


def example_payload(model: type[EventPayload]) -> dict[str, Any]:
    """An example payload of an event type."""
    return example_of(model)
