"""Bulk imports of units and employees from CSV and XLSX files."""

from __future__ import annotations

import io

from appraisal.helpers import World, headers, nip
from httpx import AsyncClient
from openpyxl import Workbook

UNITS_CSV = (
    "code,name,kind,parent_code\n"
    "DISDIKPORA,Dinas Pendidikan Kepemudaan dan Olahraga,dinas,\n"
    "SDN1DPS,SD Negeri 1 Denpasar,school,DISDIKPORA\n"
    "KEC-DB,Kecamatan Denpasar Barat,kecamatan,\n"
)


def upload(name: str, content: bytes) -> dict[str, tuple[str, bytes]]:
    return {"file": (name, content)}


async def test_units_import_from_csv_builds_the_tree(client: AsyncClient, world: World) -> None:
    response = await client.post(
        "/imports/units", files=upload("units.csv", UNITS_CSV.encode()), headers=world.admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    school = (await client.get("/units", params={"q": "SDN1"}, headers=world.admin)).json()
    parent = (await client.get("/units", params={"q": "DISDIKPORA"}, headers=world.admin)).json()
    assert school["items"][0]["parent_id"] == parent["items"][0]["id"]


async def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    client: AsyncClient, world: World
) -> None:
    bad = UNITS_CSV + "X Y,Nama,dinas,\nKEL-1,Kelurahan,village,KEC-DB\nKEL-2,Kel,kelurahan,NOPE\n"
    response = await client.post(
        "/imports/units", files=upload("units.csv", bad.encode()), headers=world.admin
    )
    assert response.status_code == 422
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == [
        "line 5: code",
        "line 6: kind",
        "line 7: parent_code",
    ]
    listing = await client.get("/units", headers=world.admin)
    assert listing.json()["total"] == 0


async def test_import_valid_imports_the_good_rows_and_reports_the_bad(
    client: AsyncClient, world: World
) -> None:
    bad = UNITS_CSV + "KEL-2,Kel,kelurahan,NOPE\n"
    response = await client.post(
        "/imports/units",
        params={"import_valid": "true"},
        files=upload("units.csv", bad.encode()),
        headers=world.admin,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["valid_rows"], body["rows"]) == (3, 3, 4)
    assert body["errors"][0]["line"] == 5


async def test_employees_import_from_xlsx_with_supervisors_and_heads(
    client: AsyncClient, world: World
) -> None:
    await client.post(
        "/imports/units", files=upload("units.csv", UNITS_CSV.encode()), headers=world.admin
    )
    head, staff = nip(), nip()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIP", "Name", "Kind", "Position", "Unit Code", "Supervisor NIP", "Is Head"])
    sheet.append([staff, "Made Staff", "pns", "Guru", "SDN1DPS", head, ""])
    sheet.append([head, "Kepala Sekolah", "PNS", "Kepala Sekolah", "SDN1DPS", "", "ya"])
    sheet.append(["202100000000000777", "Kontrak", "pppk", "Operator", "SDN1DPS", head, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    response = await client.post(
        "/imports/employees", files=upload("staff.xlsx", buffer.getvalue()), headers=world.admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    found = (await client.get("/employees", params={"q": staff}, headers=world.admin)).json()
    boss = (await client.get("/employees", params={"q": head}, headers=world.admin)).json()
    assert found["items"][0]["supervisor_id"] == boss["items"][0]["id"]
    school = (await client.get("/units", params={"q": "SDN1"}, headers=world.admin)).json()
    assert school["items"][0]["head_employee_id"] == boss["items"][0]["id"]


async def test_an_employee_row_with_a_bad_nip_names_the_part(
    client: AsyncClient, world: World
) -> None:
    await client.post(
        "/imports/units", files=upload("units.csv", UNITS_CSV.encode()), headers=world.admin
    )
    csv_text = (
        "nip;name;kind;position;unit_code;supervisor_nip\n"
        f"{nip()};Good;pns;Guru;SDN1DPS;\n"
        "198609262015131001;Bad Month;pns;Guru;SDN1DPS;\n"
        f"{nip()};Bad Unit;pns;Guru;NOWHERE;\n"
    )
    response = await client.post(
        "/imports/employees", files=upload("e.csv", csv_text.encode()), headers=world.admin
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "line 3: nip"
    assert "tmt_cpns" in errors[0]["detail"]
    assert errors[1]["field"] == "line 4: unit_code"
    assert (await client.get("/employees", headers=world.admin)).json()["total"] == 0


async def test_a_file_that_is_not_csv_or_xlsx_is_refused(client: AsyncClient, world: World) -> None:
    response = await client.post(
        "/imports/units", files=upload("units.pdf", b"%PDF-1.4"), headers=world.admin
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.file"


async def test_only_bkpsdm_imports(client: AsyncClient, world: World) -> None:
    response = await client.post(
        "/imports/units",
        files=upload("units.csv", UNITS_CSV.encode()),
        headers=headers(world.settings, "supervisor", "unit_head", employee_id="x"),
    )
    assert response.status_code == 403


async def test_units_whose_parents_form_a_cycle_are_refused(
    client: AsyncClient, world: World
) -> None:
    looping = "code,name,kind,parent_code\nA1,A,dinas,B1\nB1,B,dinas,A1\nC1,C,dinas,\n"
    response = await client.post(
        "/imports/units", files=upload("u.csv", looping.encode()), headers=world.admin
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "line 2: parent_code",
        "line 3: parent_code",
    ]
