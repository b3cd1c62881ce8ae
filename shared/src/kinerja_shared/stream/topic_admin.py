"""Topic settings as code: compare the cluster with settings, then apply the difference."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from kinerja_shared.events.topics import (
    SERVICE_TOPICS,
    TopicSpec,
    create_missing,
    service_topic,
)
from kinerja_shared.settings import KafkaSettings


@dataclass(frozen=True)
class TopicChange:
    """One difference between the cluster and the settings."""

    topic: str
    setting: str
    current: str | None
    desired: str
    applicable: bool
    note: str = ""

    def describe(self) -> str:
        """A line for the plan."""
        arrow = f"{self.current if self.current is not None else '(missing)'} -> {self.desired}"
        suffix = "" if self.applicable else f"  [not applied: {self.note}]"
        return f"{self.topic}: {self.setting} {arrow}{suffix}"


def desired_topics(settings: KafkaSettings) -> list[TopicSpec]:
    """The service topics as settings describe them."""
    return [service_topic(t, settings) for t in SERVICE_TOPICS]


async def plan(admin: AIOKafkaAdminClient, specs: list[TopicSpec]) -> list[TopicChange]:
    """What would change, without changing anything."""
    existing = set(await admin.list_topics())
    changes: list[TopicChange] = []
    present = [s for s in specs if s.name in existing]
    described = (
        {d["topic"]: d for d in await admin.describe_topics([s.name for s in present])}
        if present
        else {}
    )
    configs: dict[str, dict[str, str]] = {}
    if present:
        responses = await admin.describe_configs(
            [
                ConfigResource(ConfigResourceType.TOPIC, s.name, configs=dict.fromkeys(s.config))
                for s in present
            ]
        )
        for response in responses:
            for resource in response.to_object()["resources"]:
                configs[resource["resource_name"]] = {
                    e["config_names"]: e["config_value"] for e in resource["config_entries"]
                }
    for spec in specs:
        if spec.name not in existing:
            changes.append(
                TopicChange(spec.name, "topic", None, f"{spec.partitions} partitions", True)
            )
            continue
        partitions = described[spec.name]["partitions"]
        count = len(partitions)
        if count != spec.partitions:
            grow = spec.partitions > count
            changes.append(
                TopicChange(
                    spec.name,
                    "partitions",
                    str(count),
                    str(spec.partitions),
                    grow,
                    "" if grow else "Kafka cannot remove partitions",
                )
            )
        replicas = len(partitions[0]["replicas"]) if partitions else 0
        if replicas != spec.replication_factor:
            changes.append(
                TopicChange(
                    spec.name,
                    "replication.factor",
                    str(replicas),
                    str(spec.replication_factor),
                    False,
                    "needs a partition reassignment (kafka-reassign-partitions)",
                )
            )
        for key, value in spec.config.items():
            current = configs.get(spec.name, {}).get(key)
            if current != value:
                changes.append(TopicChange(spec.name, key, current, value, True))
    return changes


async def apply(
    admin: AIOKafkaAdminClient, specs: list[TopicSpec], changes: list[TopicChange]
) -> list[TopicChange]:
    """Apply the applicable changes of a plan; returns what is left (only non-applicable)."""
    by_name = {s.name: s for s in specs}
    await create_missing(admin, [by_name[c.topic] for c in changes if c.setting == "topic"])
    grow = {
        c.topic: NewPartitions(int(c.desired))
        for c in changes
        if c.setting == "partitions" and c.applicable
    }
    if grow:
        await admin.create_partitions(grow)
    altered: dict[str, dict[str, str]] = {}
    for c in changes:
        if c.applicable and c.setting not in ("topic", "partitions"):
            altered.setdefault(c.topic, dict(by_name[c.topic].config))
    if altered:
        await admin.alter_configs(
            [
                ConfigResource(ConfigResourceType.TOPIC, name, configs=values)
                for name, values in altered.items()
            ]
        )
    # The controller applies changes asynchronously: wait until brokers report them.
    left = await plan(admin, specs)
    for _ in range(100):
        if not any(c.applicable for c in left):
            break
        await asyncio.sleep(0.1)
        left = await plan(admin, specs)
    return left
