"""The event catalogue is the single source of the checked-in schemas and AsyncAPI file."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from kinerja_shared.stream.compatibility import breaking_changes, check_released
from kinerja_shared.stream.examples import example_payload
from kinerja_shared.stream.schemas import (
    event_schema,
    published_types,
    rendered_files,
    stale_files,
)
from support.common import ROOT

DOCS = ROOT / "docs" / "events"


def test_the_checked_in_event_docs_match_the_catalogue() -> None:
    assert stale_files(DOCS) == [], "run `make docs` and commit docs/events/"


def test_every_released_schema_is_still_compatible() -> None:
    assert check_released(DOCS / "released") == {}


def test_every_event_type_has_a_valid_example_and_a_schema_file() -> None:
    files = rendered_files()
    for entry in published_types():
        example = example_payload(entry.model)
        assert entry.model.model_validate(example)
        assert f"schemas/{entry.name}.v{entry.version}.json" in files


def test_the_asyncapi_document_describes_every_type_on_its_topic() -> None:
    document = yaml.safe_load(rendered_files()["asyncapi.yaml"])
    assert document["asyncapi"] == "3.0.0"
    messages = document["components"]["messages"]
    for entry in published_types():
        name = f"{entry.name.replace('.', '_')}_v{entry.version}"
        assert messages[name]["name"] == entry.type
        channel = document["channels"][entry.topic.replace(".", "_")]
        assert channel["address"] == entry.topic
        assert name in channel["messages"]
        example = messages[name]["examples"][0]["payload"]
        assert example["type"] == entry.type
        assert example["subject"].startswith(f"{entry.model.aggregate}/")
    # every $ref points at something that exists
    text = json.dumps(document)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        if ref.startswith("#/"):
            node = document
            for step in ref[2:].split("/"):
                node = node[step]
        else:
            assert (DOCS / ref).exists(), ref


@pytest.fixture
def schema() -> dict:
    return event_schema(next(e for e in published_types() if e.name == "feedback.submitted"))


def test_adding_an_optional_field_is_compatible(schema: dict) -> None:
    new = copy.deepcopy(schema)
    new["properties"]["language"] = {"type": "string", "default": "id"}
    assert breaking_changes(schema, new) == []


def test_removing_a_field_is_breaking(schema: dict) -> None:
    new = copy.deepcopy(schema)
    del new["properties"]["channel"]
    new["required"].remove("channel")
    assert breaking_changes(schema, new) == ["channel: removed or renamed"]


def test_renaming_a_field_is_breaking(schema: dict) -> None:
    new = copy.deepcopy(schema)
    new["properties"]["visited_on"] = new["properties"].pop("visit_date")
    new["required"] = ["visited_on" if r == "visit_date" else r for r in new["required"]]
    problems = breaking_changes(schema, new)
    assert "visit_date: removed or renamed" in problems
    assert "visited_on: new field is required (new fields must be optional)" in problems


def test_narrowing_a_type_is_breaking(schema: dict) -> None:
    new = copy.deepcopy(schema)
    new["properties"]["staff_code"] = {"type": "string"}  # was string or null
    assert breaking_changes(schema, new) == ["staff_code: type narrowed"]
    newer = copy.deepcopy(schema)
    newer["properties"]["channel"] = {"enum": ["app", "kiosk"], "type": "string"}
    assert breaking_changes(schema, newer) == ["channel: type narrowed"]


def test_widening_a_type_is_compatible(schema: dict) -> None:
    new = copy.deepcopy(schema)
    new["properties"]["channel"] = {"type": "string"}
    assert breaking_changes(schema, new) == []


def test_making_an_optional_field_required_is_breaking(schema: dict) -> None:
    new = copy.deepcopy(schema)
    new["required"].append("staff_code")
    assert breaking_changes(schema, new) == ["staff_code: optional field made required"]
