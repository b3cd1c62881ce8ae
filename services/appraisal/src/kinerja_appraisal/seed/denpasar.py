"""A realistic (fictional) Kota Denpasar organisation, generated deterministically."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from kinerja_appraisal.imports.reading import Row

SETDA = ("SETDA", "Sekretariat Daerah Kota Denpasar", "other")
AGENCIES = [
    ("DISDIKPORA", "Dinas Pendidikan, Kepemudaan dan Olahraga", "dinas"),
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ("DISKOMINFOS", "Dinas Komunikasi, Informatika dan Statistik", "dinas"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan"),
]
KECAMATAN = {
    ("KEC-DB", "Kecamatan Denpasar Barat"): ["Dauh Puri", "Padangsambian", "Pemecutan"],
    ("KEC-DT", "Kecamatan Denpasar Timur"): ["Dangin Puri", "Kesiman", "Sumerta"],
    ("KEC-DS", "Kecamatan Denpasar Selatan"): ["Sanur", "Sesetan", "Panjer"],
    ("KEC-DU", "Kecamatan Denpasar Utara"): ["Peguyangan", "Ubung", "Tonja"],
}
SCHOOLS = [
    ("SDN1-DPS", "SD Negeri 1 Denpasar"),
    ("SDN3-SUMERTA", "SD Negeri 3 Sumerta"),
    ("SMPN1-DPS", "SMP Negeri 1 Denpasar"),
    ("SMPN3-DPS", "SMP Negeri 3 Denpasar"),
]
MALE = ["I Made", "I Wayan", "I Nyoman", "I Ketut", "I Putu", "I Kadek", "I Komang", "I Gede"]
FEMALE = ["Ni Luh", "Ni Made", "Ni Putu", "Ni Kadek", "Ni Komang", "Ni Wayan", "Ni Nyoman"]
NAMES = [
    "Suardana",
    "Sudarsana",
    "Artini",
    "Wirawan",
    "Astuti",
    "Pratama",
    "Dewi",
    "Suputra",
    "Mahendra",
    "Lestari",
    "Widiana",
    "Ariawan",
    "Sukerti",
    "Adnyana",
    "Yuliani",
    "Darmawan",
    "Purnamasari",
    "Santika",
    "Wulandari",
    "Budiarta",
    "Suryani",
    "Juliantara",
    "Mertayasa",
]


@dataclass
class DemoOrganisation:
    """Import rows of the demo units and employees."""

    units: list[Row]
    employees: list[Row]


class _People:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.sequence = 0
        self.rows: list[Row] = []

    def add(self, unit: str, position: str, boss: str | None, head: bool = False) -> str:
        self.sequence += 1
        female = self.random.random() < 0.5
        first = self.random.choice(FEMALE if female else MALE)
        name = f"{first} {self.random.choice(NAMES)}"
        pppk = not head and self.random.random() < 0.2
        if pppk:
            number = f"2023{self.sequence:014d}"
        else:
            birth = date(1968, 1, 1) + timedelta(days=self.random.randrange(0, 9000))
            tmt = birth.year + self.random.randrange(22, 30)
            month = self.random.randrange(1, 13)
            number = (
                f"{birth:%Y%m%d}{tmt}{month:02d}{2 if female else 1}{self.sequence % 999 + 1:03d}"
            )
        self.rows.append(
            Row(
                line=len(self.rows) + 2,
                values={
                    "nip": number,
                    "name": name,
                    "kind": "pppk" if pppk else "pns",
                    "position": position,
                    "unit_code": unit,
                    "supervisor_nip": boss or "",
                    "is_head": "ya" if head else "",
                },
            )
        )
        return number

    def team(self, unit: str, boss: str, size: int, position: str) -> None:
        for _ in range(size):
            self.add(unit, position, boss)


def build(seed: int = 2026) -> DemoOrganisation:
    """The demo organisation: Setda, seven agencies, four kecamatan, kelurahan and schools."""
    units: list[tuple[str, str, str, str]] = [(*SETDA, "")]
    units += [(code, name, kind, "SETDA") for code, name, kind in AGENCIES]
    for (code, name), villages in KECAMATAN.items():
        units.append((code, name, "kecamatan", "SETDA"))
        units += [
            (f"KEL-{v.upper().replace(' ', '')}", f"Kelurahan {v}", "kelurahan", code)
            for v in villages
        ]
    units += [(code, name, "school", "DISDIKPORA") for code, name in SCHOOLS]
    people = _People(seed)
    sekda = people.add("SETDA", "Sekretaris Daerah", None, head=True)
    people.team("SETDA", sekda, 4, "Analis Kebijakan")
    for code, _, kind in AGENCIES:
        head = people.add(code, "Kepala Dinas" if kind == "dinas" else "Kepala Badan", sekda, True)
        for bidang in ("Bidang Pelayanan", "Bidang Program"):
            kabid = people.add(code, f"Kepala {bidang}", head)
            people.team(code, kabid, 5, "Pelaksana")
    for (code, _), villages in KECAMATAN.items():
        camat = people.add(code, "Camat", sekda, head=True)
        people.team(code, camat, 4, "Pengadministrasi Umum")
        for village in villages:
            unit = f"KEL-{village.upper().replace(' ', '')}"
            lurah = people.add(unit, "Lurah", camat, head=True)
            people.team(unit, lurah, 4, "Pelayan Masyarakat")
    kadis = _head_of(people, "DISDIKPORA")
    for code, _ in SCHOOLS:
        kepsek = people.add(code, "Kepala Sekolah", kadis, head=True)
        people.team(code, kepsek, 10, "Guru")
    unit_rows = [
        Row(line=n, values={"code": c, "name": nm, "kind": k, "parent_code": p})
        for n, (c, nm, k, p) in enumerate(units, start=2)
    ]
    return DemoOrganisation(units=unit_rows, employees=people.rows)


def _head_of(people: _People, unit: str) -> str:
    for row in people.rows:
        if row.values["unit_code"] == unit and row.values["is_head"]:
            return row.values["nip"]
    raise LookupError(unit)
