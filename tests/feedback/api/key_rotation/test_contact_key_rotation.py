"""Contact encryption keys rotate: FEEDBACK_CONTACT_KEYS lists the current key first and the
retired ones after it; `kinerja-feedback reencrypt` moves every stored value to the current
key; a value no listed key reads is a problem naming the cause, never "no contact"."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from cryptography.fernet import Fernet
from feedback.fixtures import PREFIX, UNIT_HEAD, create_point, submission, submit
from httpx import ASGITransport, AsyncClient
from pydantic import ValidationError
from sqlalchemy import select
from typer.testing import CliRunner

from kinerja_feedback.cli import app as cli
from kinerja_feedback.models import Feedback
from kinerja_feedback.settings import DEV_CONTACT_KEY, FeedbackSettings
from support.gateway_assertion import AsGateway
from support.production import clear_settings_environment, production_environment

OLD, NEW, STRANGER = (Fernet.generate_key().decode() for _ in range(3))
#: Idempotency keys of the submissions, by name.
KEYS = {n: str(uuid.uuid4()) for n in ("k-old", "k-new", "k-lost", "k-1", "k-2", "k-x", "k-y")}
CONTACT = {"name": "Made", "phone": "081234567890"}
COMMENT = "Petugas minta uang, hubungi 081234567890"


@asynccontextmanager
async def feedback_with_keys(app_factory: Callable[..., Any], keys: str) -> AsyncIterator[Any]:
    """A client of an app on the same database whose FEEDBACK_CONTACT_KEYS are `keys`."""
    app = app_factory(contact_keys=keys)
    async with AsyncClient(
        transport=ASGITransport(app, raise_app_exceptions=False),
        base_url="http://feedback",
        auth=AsGateway("feedback"),
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    await app.state.runtime.engine.dispose()


async def complaint_with_contact(http: AsyncClient, *, key: str) -> dict[str, Any]:
    """A complaint with a contact and a comment, its handler assigned (the unit head)."""
    body = submission(is_complaint=True, comment=COMMENT, contact=CONTACT)
    receipt = await submit(http, body, key=key)
    assert receipt.status_code == 201, receipt.text
    fid = receipt.json()["feedback_id"]
    assigned = await http.post(f"{PREFIX}/complaints/{fid}/assignment", json={}, headers=UNIT_HEAD)
    assert assigned.status_code == 200, assigned.text
    return dict(receipt.json())


async def stored(http: AsyncClient, feedback_id: str) -> Feedback:
    async with http.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        row = await session.scalar(select(Feedback).where(Feedback.id == feedback_id))
        assert row is not None
        return row


def decrypts_with(key: str, token: str | None) -> bool:
    assert token is not None
    return Fernet(key.encode()).decrypt(token.encode()) is not None


async def test_a_contact_encrypted_with_a_retired_key_reads_after_rotation(
    client: AsyncClient, app_factory: Callable[..., Any]
) -> None:
    await create_point(client)
    async with feedback_with_keys(app_factory, OLD) as before:
        fid = (await complaint_with_contact(before, key=KEYS["k-old"]))["feedback_id"]
    async with feedback_with_keys(app_factory, f"{NEW},{OLD}") as rotated:
        contact = await rotated.get(f"{PREFIX}/complaints/{fid}/contact", headers=UNIT_HEAD)
        assert contact.status_code == 200, contact.text
        assert contact.json()["phone"] == CONTACT["phone"]
        original = await rotated.get(f"{PREFIX}/moderation/{fid}/original", headers=UNIT_HEAD)
        assert original.json()["comment"] == COMMENT
        # New values are encrypted with the first key listed.
        newer = (await complaint_with_contact(rotated, key=KEYS["k-new"]))["feedback_id"]
        row = await stored(rotated, newer)
        assert decrypts_with(NEW, row.contact_encrypted)
        assert decrypts_with(NEW, row.comment_encrypted)


async def test_a_contact_no_listed_key_reads_is_a_problem_naming_the_cause_and_logged(
    client: AsyncClient, app_factory: Callable[..., Any], capfd: pytest.CaptureFixture[str]
) -> None:
    await create_point(client)
    async with feedback_with_keys(app_factory, OLD) as before:
        receipt = await complaint_with_contact(before, key=KEYS["k-lost"])
    fid = receipt["feedback_id"]
    async with feedback_with_keys(app_factory, NEW) as forgot_the_old_key:
        capfd.readouterr()  # the app logs JSON lines to the stderr captured here
        for path in (f"complaints/{fid}/contact", f"moderation/{fid}/original"):
            response = await forgot_the_old_key.get(f"{PREFIX}/{path}", headers=UNIT_HEAD)
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert "FEEDBACK_CONTACT_KEYS" in response.json()["detail"]
        # The citizen's retry of the same submission replays the receipt: the same cause.
        replay = await submit(
            forgot_the_old_key,
            submission(is_complaint=True, comment=COMMENT, contact=CONTACT),
            key=KEYS["k-lost"],
        )
        assert replay.status_code == 503
        assert "tracking code" in replay.json()["detail"]
        err = capfd.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert [line["feedback_id"] for line in errors] == [fid] * 3
    assert all("FEEDBACK_CONTACT_KEYS" in line["message"] for line in errors)
    assert CONTACT["phone"] not in err


async def test_reencrypt_moves_every_stored_value_to_the_current_key(
    client: AsyncClient,
    app_factory: Callable[..., Any],
    feedback_db: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await create_point(client)
    async with feedback_with_keys(app_factory, OLD) as before:
        first = await complaint_with_contact(before, key=KEYS["k-1"])
        second = await complaint_with_contact(before, key=KEYS["k-2"])
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", feedback_db)
    monkeypatch.setenv("FEEDBACK_CONTACT_KEYS", f"{NEW},{OLD}")
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["reencrypt"])
    assert result.exit_code == 0, result.output
    assert "6 values in 2 submission(s) re-encrypted with the current key" in result.output
    async with feedback_with_keys(app_factory, NEW) as after:
        for receipt in (first, second):
            fid = receipt["feedback_id"]
            row = await stored(after, fid)
            for token in (row.contact_encrypted, row.comment_encrypted):
                assert decrypts_with(NEW, token)
            assert decrypts_with(NEW, row.tracking_code_encrypted)
            contact = await after.get(f"{PREFIX}/complaints/{fid}/contact", headers=UNIT_HEAD)
            assert contact.json()["phone"] == CONTACT["phone"]
        replay = await submit(
            after, submission(is_complaint=True, comment=COMMENT, contact=CONTACT), key=KEYS["k-1"]
        )
        assert replay.json()["tracking_code"] == first["tracking_code"]
    again = await asyncio.to_thread(CliRunner().invoke, cli, ["reencrypt"])
    assert "6 values in 2 submission(s) re-encrypted" in again.output  # idempotent


async def test_reencrypt_names_what_no_listed_key_reads_and_leaves_it(
    client: AsyncClient,
    app_factory: Callable[..., Any],
    feedback_db: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await create_point(client)
    async with feedback_with_keys(app_factory, STRANGER) as elsewhere:
        lost = (await complaint_with_contact(elsewhere, key=KEYS["k-x"]))["feedback_id"]
    async with feedback_with_keys(app_factory, OLD) as before:
        kept = (await complaint_with_contact(before, key=KEYS["k-y"]))["feedback_id"]
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", feedback_db)
    monkeypatch.setenv("FEEDBACK_CONTACT_KEYS", f"{NEW},{OLD}")
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["reencrypt"])
    assert result.exit_code == 1
    assert "3 values in 1 submission(s) re-encrypted" in result.output
    assert (
        f"3 values in 1 submission(s) that no key of FEEDBACK_CONTACT_KEYS reads, left as they "
        f"are: {lost}"
    ) in result.output
    async with feedback_with_keys(app_factory, NEW) as after:
        assert decrypts_with(NEW, (await stored(after, kept)).contact_encrypted)
        assert decrypts_with(STRANGER, (await stored(after, lost)).contact_encrypted)


def test_the_contact_keys_are_fernet_keys_each_listed_once() -> None:
    assert FeedbackSettings(contact_keys=f" {NEW} , {OLD} ").contact_key_list() == [NEW, OLD]
    with pytest.raises(ValidationError, match="key 2 is not a Fernet key"):
        FeedbackSettings(contact_keys=f"{NEW},not-a-key")
    with pytest.raises(ValidationError, match="listed twice"):
        FeedbackSettings(contact_keys=f"{NEW},{NEW}")


def test_one_key_under_the_former_name_is_read_as_a_list_of_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear_settings_environment(monkeypatch)
    monkeypatch.setenv("FEEDBACK_CONTACT_KEY", OLD)
    assert FeedbackSettings().contact_key_list() == [OLD]


def test_production_refuses_the_development_key_among_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear_settings_environment(monkeypatch)
    for name, value in production_environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FEEDBACK_CONTACT_KEYS", f"{NEW},{DEV_CONTACT_KEY}")
    with pytest.raises(ValidationError, match="development key in FEEDBACK_CONTACT_KEYS"):
        FeedbackSettings()
