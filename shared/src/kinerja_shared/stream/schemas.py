"""JSON Schemas and the AsyncAPI 3.0 document, generated from the event catalogue.

`kinerja-events docs` (and `make docs`) writes them under docs/events/; a test fails when
the checked-in files differ from what the catalogue generates now.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

import kinerja_shared.events.types  # noqa: F401  (registers every event type)
from kinerja_shared.events.catalogue import CATALOGUE, EventType
from kinerja_shared.events.envelope import CONTENT_TYPE
from kinerja_shared.events.topics import SERVICE_TOPICS
from kinerja_shared.settings import KafkaSettings
from kinerja_shared.stream.examples import example_payload

SCHEMA_BASE = "https://kinerja.denpasar.go.id/schemas/events/"


def published_types() -> list[EventType]:
    """The product's event types (tests and benchmarks register their own; those are not)."""
    return [e for e in CATALOGUE if e.model.__module__.startswith("kinerja_shared.events.types.")]


def schema_file_name(entry: EventType) -> str:
    """The file name of a type's schema, e.g. feedback.submitted.v1.json."""
    return f"{entry.name}.v{entry.version}.json"


def event_schema(entry: EventType) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event type's `data`, as it is on the wire."""
    schema = entry.model.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + schema_file_name(entry),
        "x-cloudevents-type": entry.type,
        "x-kafka-topic": entry.topic,
        "x-kafka-key": entry.model.key_field,
        **schema,
    }


def envelope_schema() -> dict[str, Any]:
    """The CloudEvents envelope every message carries (data is per type)."""
    return {
        "type": "object",
        "required": [
            "specversion",
            "id",
            "source",
            "type",
            "subject",
            "time",
            "datacontenttype",
            "data",
        ],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "description": "Unique per source; deduplicate by source+id"},
            "source": {"type": "string", "examples": ["/kinerja/feedback"]},
            "type": {"type": "string", "description": "id.denpasar.kinerja.<name>.v<version>"},
            "subject": {"type": "string", "description": "<aggregate>/<aggregate id>"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "data": {"type": "object"},
        },
    }


def _message_name(entry: EventType) -> str:
    return f"{entry.name.replace('.', '_')}_v{entry.version}"


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0 description of every topic and message."""
    # The documented layout is the default one, whatever this machine's environment says.
    partitions = KafkaSettings.model_fields["partitions"].default
    replicas = KafkaSettings.model_fields["replication_factor"].default
    retention = KafkaSettings.model_fields["retention_ms"].default
    headers = {
        "type": "object",
        "properties": {
            "content-type": {"const": CONTENT_TYPE},
            "ce_id": {"type": "string"},
            "ce_type": {"type": "string"},
            "ce_source": {"type": "string"},
        },
    }
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic in SERVICE_TOPICS:
        entries = [e for e in published_types() if e.topic == topic]
        channel_id = topic.replace(".", "_")
        channel_messages = {}
        for entry in entries:
            name = _message_name(entry)
            data = example_payload(entry.model)
            key = str(data[entry.model.key_field])
            messages[name] = {
                "name": entry.type,
                "title": entry.model.__name__,
                "summary": (entry.model.__doc__ or "").strip().splitlines()[0],
                "contentType": CONTENT_TYPE,
                "headers": headers,
                "payload": {
                    "allOf": [
                        envelope_schema(),
                        {
                            "properties": {
                                "type": {"const": entry.type},
                                "data": {"$ref": f"schemas/{schema_file_name(entry)}"},
                            }
                        },
                    ]
                },
                "bindings": {
                    "kafka": {
                        "key": {
                            "type": "string",
                            "description": f"the {entry.model.key_field} of the event",
                        },
                        "bindingVersion": "0.5.0",
                    }
                },
                "examples": [
                    {
                        "name": name,
                        "headers": {"content-type": CONTENT_TYPE, "ce_type": entry.type},
                        "payload": {
                            "specversion": "1.0",
                            "id": "5b1c8f5e-6a7d-4c0b-9a43-2f5e8d7c1a90",
                            "source": f"/kinerja/{topic.split('.')[-1]}",
                            "type": entry.type,
                            "subject": f"{entry.model.aggregate}/{key}",
                            "time": "2026-03-15T02:30:00Z",
                            "datacontenttype": "application/json",
                            "data": data,
                        },
                    }
                ],
            }
            channel_messages[name] = {"$ref": f"#/components/messages/{name}"}
        channels[channel_id] = {
            "address": topic,
            "description": f"Events published by the {topic.split('.')[-1]} service.",
            "messages": channel_messages,
            "bindings": {
                "kafka": {
                    "topic": topic,
                    "partitions": partitions,
                    "replicas": replicas,
                    "topicConfiguration": {"retention.ms": retention, "cleanup.policy": ["delete"]},
                    "bindingVersion": "0.5.0",
                }
            },
        }
        operations[f"consume_{channel_id}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "summary": f"Read {topic} (use your own consumer group, or none).",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Kinerja events",
            "version": "1.0.0",
            "description": (
                "Evaluation events of Kinerja (Kota Denpasar). CloudEvents 1.0 in structured "
                "JSON mode; the Kafka key is the aggregate id (ordering per key); delivery is "
                "at least once — deduplicate by source + id. No personal data of citizens. "
                "See docs/events.md."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "local": {
                "host": "127.0.0.1:19092",
                "protocol": "kafka",
                "description": "The broker `make run` starts",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def _field_type(prop: dict[str, Any]) -> str:
    if "anyOf" in prop:
        return " or ".join(_field_type(p) for p in prop["anyOf"])
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    kind = str(prop.get("type", "any"))
    if kind == "array":
        return f"list of {_field_type(prop.get('items', {}))}"
    if kind == "object" and "additionalProperties" in prop:
        return f"map of {_field_type(prop['additionalProperties'])}"
    return kind + (f" ({prop['format']})" if "format" in prop else "")


def catalogue_markdown() -> str:
    """docs/events/catalogue.md: every topic and event with its fields and an example."""
    lines = [
        "# Event catalogue",
        "",
        "Generated from the shared library's catalogue by `make docs`; do not edit.",
        "",
    ]
    for topic in SERVICE_TOPICS:
        lines += [f"## Topic `{topic}`", ""]
        for entry in [e for e in published_types() if e.topic == topic]:
            schema = event_schema(entry)
            required = set(schema.get("required", []))
            lines += [
                f"### `{entry.type}`",
                "",
                (entry.model.__doc__ or "").strip().replace("\n", " "),
                "",
                f"Kafka key: `{entry.model.key_field}`; subject: "
                f"`{entry.model.aggregate}/<{entry.model.key_field}>`; "
                f"schema: [`schemas/{schema_file_name(entry)}`](schemas/{schema_file_name(entry)})",
                "",
                "| field | type | required | description |",
                "| --- | --- | --- | --- |",
            ]
            for name, prop in schema["properties"].items():
                desc = str(prop.get("description", "")).replace("|", "\\|")
                lines.append(
                    f"| `{name}` | {_field_type(prop)} | "
                    f"{'yes' if name in required else 'no'} | {desc} |"
                )
            example = json.dumps(example_payload(entry.model), indent=2, ensure_ascii=False)
            lines += ["", "Example `data`:", "", "```json", example, "```", ""]
    return "\n".join(lines)


def rendered_files() -> dict[str, str]:
    """Every generated file, relative to docs/events/, with its content."""
    files = {
        f"schemas/{schema_file_name(e)}": json.dumps(event_schema(e), indent=2, sort_keys=True)
        + "\n"
        for e in published_types()
    }
    files["catalogue.md"] = catalogue_markdown()
    files["asyncapi.yaml"] = yaml.safe_dump(
        asyncapi_document(), sort_keys=False, allow_unicode=True, width=100
    )
    return files


def write_docs(target: Path) -> list[str]:
    """Write the generated files under `target`; returns those that changed."""
    changed = []
    for relative, content in rendered_files().items():
        path = target / relative
        if not path.exists() or path.read_text() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
            changed.append(relative)
    return changed


def stale_files(target: Path) -> list[str]:
    """Generated files that are missing or differ from the catalogue."""
    return [
        rel
        for rel, content in rendered_files().items()
        if not (target / rel).exists() or (target / rel).read_text() != content
    ]
