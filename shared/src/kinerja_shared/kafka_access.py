"""Who may do what on Kafka: the services' and analytics' ACLs, as a function of the namespace.

Each service's principal (its name: `appraisal`, `feedback`, `reporting`, `webhooks`) may write to,
describe and create the topics it owns (events/topics.py, TOPIC_OWNERS; by prefix, so
`kinerja.feedback` also covers `kinerja.feedback.comments`), read and describe the topics it
consumes (SERVICE_CONSUMES), read its consumer groups (prefix: the group ids start with the
service's name) and write, describe and create their dead-letter topics `<group>.dlq`. The
idempotent producer needs nothing more on Kafka 4.x (WRITE on a topic allows a producer id).
`analytics` may read and describe every `kinerja.` topic and read groups whose id starts with
`analytics`; it may write nothing. Everything else is refused (the broker runs with
`allow.everyone.if.no.acl.found=false`; the super user `admin` needs no ACL).

`deploy/kafka/broker.sh` grants these for the configured namespace through
`kinerja-events acls`; the same command (run with the admin's credentials) grants them for
another namespace, and tests call `grant` for theirs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest_v1, DescribeAclsRequest_v1
from aiokafka.protocol.api import Request

from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    REPORTING,
    TOPIC_OWNERS,
    new_admin,
)
from kinerja_shared.settings import KafkaSettings

#: The topics each service consumes (names without namespace); its runtime must not read
#: anything else (a test compares the services' runtimes with the ACLs).
SERVICE_CONSUMES: dict[str, tuple[str, ...]] = {
    "appraisal": (REPORTING,),
    "feedback": (APPRAISAL,),
    "reporting": (APPRAISAL, FEEDBACK),
    # Every event may be subscribed to, except comments (citizens' text): never
    # kinerja.feedback.comments.
    "webhooks": (APPRAISAL, FEEDBACK, REPORTING),
}
#: The read-only principal of the analytics team, and the start of its group ids.
ANALYTICS = "analytics"
#: Every event topic starts with this (after the namespace).
EVENT_TOPIC_PREFIX = "kinerja."

ResourceType = Literal["topic", "group"]
Pattern = Literal["literal", "prefixed"]
Operation = Literal["read", "write", "create", "describe"]

_RESOURCE_CODES: dict[ResourceType, int] = {"topic": 2, "group": 3}
_PATTERN_CODES: dict[Pattern, int] = {"literal": 3, "prefixed": 4}
_OPERATION_CODES: dict[Operation, int] = {"read": 3, "write": 4, "create": 5, "describe": 8}
_RESOURCES = {code: name for name, code in _RESOURCE_CODES.items()}
_PATTERNS = {code: name for name, code in _PATTERN_CODES.items()}
_OPERATIONS = {code: name for name, code in _OPERATION_CODES.items()}
_ALLOW, _ANY = 3, 1


@dataclass(frozen=True, order=True)
class Acl:
    """One ALLOW rule: `User:<principal>` may `operation` on a resource name or prefix."""

    principal: str
    resource: ResourceType
    pattern: Pattern
    name: str
    operation: Operation

    def matches(self, resource: ResourceType, name: str) -> bool:
        """Whether this rule's resource pattern covers a resource."""
        if resource != self.resource:
            return False
        return name == self.name if self.pattern == "literal" else name.startswith(self.name)

    def describe(self) -> str:
        """One line for people."""
        star = "*" if self.pattern == "prefixed" else ""
        return f"User:{self.principal:<10} {self.operation:<9} {self.resource} {self.name}{star}"


def _rules(
    principal: str,
    resource: ResourceType,
    pattern: Pattern,
    name: str,
    *operations: Operation,
) -> list[Acl]:
    return [Acl(principal, resource, pattern, name, op) for op in operations]


def acls_for(namespace: str = "", owners: Mapping[str, str] | None = None) -> list[Acl]:
    """Every ACL of the services and of analytics for topics in a namespace (sorted)."""
    owners = TOPIC_OWNERS if owners is None else owners
    acls: list[Acl] = []
    for topic, owner in owners.items():
        acls += _rules(owner, "topic", "prefixed", namespace + topic, "write", "describe", "create")
    for service in sorted(set(owners.values()) | set(SERVICE_CONSUMES)):
        for topic in SERVICE_CONSUMES.get(service, ()):
            acls += _rules(service, "topic", "literal", namespace + topic, "read", "describe")
        acls += _rules(service, "group", "prefixed", service, "read")
        # Dead letters: <group>.dlq (dead_letter_topic), and every group id starts with the
        # service's name.
        acls += _rules(
            service, "topic", "prefixed", namespace + service, "write", "describe", "create"
        )
    acls += _rules(
        ANALYTICS, "topic", "prefixed", namespace + EVENT_TOPIC_PREFIX, "read", "describe"
    )
    acls += _rules(ANALYTICS, "group", "prefixed", ANALYTICS, "read")
    return sorted(set(acls))


#: Operations that also allow DESCRIBE (as Kafka's authorizer has it).
_IMPLIES_DESCRIBE = {"read", "write", "create", "describe"}


def allows(
    acls: Iterable[Acl], principal: str, operation: Operation, resource: ResourceType, name: str
) -> bool:
    """Whether the ACLs let a principal do an operation on a resource (Kafka's rules)."""
    wanted = _IMPLIES_DESCRIBE if operation == "describe" else {operation}
    return any(
        acl.principal == principal and acl.operation in wanted and acl.matches(resource, name)
        for acl in acls
    )


class _CreateAcls(Request[CreateAclsRequest_v1]):  # type: ignore[misc]
    """CreateAcls v1 with several creations in one request (aiokafka builds one)."""

    API_KEY = 30

    def __init__(self, creations: list[tuple[Any, ...]]) -> None:
        self._creations = creations

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> CreateAclsRequest_v1:
        return request_struct_class(self._creations)


class _DescribeAllAcls(Request[DescribeAclsRequest_v1]):  # type: ignore[misc]
    """DescribeAcls v1 matching every ACL."""

    API_KEY = 29

    def build(self, request_struct_class: type[DescribeAclsRequest_v1]) -> DescribeAclsRequest_v1:
        return request_struct_class(_ANY, None, _ANY, None, None, _ANY, _ANY)


def _raise_for(error_code: int, message: str | None) -> None:
    if error_code:
        raise for_code(error_code)(message or "")


async def describe(admin: AIOKafkaAdminClient) -> set[Acl]:
    """The ALLOW rules of the cluster that this module can express."""
    response = await admin._send_request(_DescribeAllAcls())  # aiokafka has no ACL calls
    _raise_for(response.error_code, response.error_message)
    found: set[Acl] = set()
    for resource_type, name, pattern, rules in response.resources:
        for principal, host, operation, permission in rules:
            known = (
                resource_type in _RESOURCES
                and pattern in _PATTERNS
                and operation in _OPERATIONS
                and permission == _ALLOW
                and host == "*"
                and principal.startswith("User:")
            )
            if known:
                found.add(
                    Acl(
                        principal.removeprefix("User:"),
                        _RESOURCES[resource_type],
                        _PATTERNS[pattern],
                        name,
                        _OPERATIONS[operation],
                    )
                )
    return found


async def missing(settings: KafkaSettings, acls: Iterable[Acl]) -> list[Acl]:
    """The ACLs the cluster does not have yet."""
    admin = new_admin(settings)
    await admin.start()
    try:
        present = await describe(admin)
    finally:
        await admin.close()
    return sorted(set(acls) - present)


async def grant(settings: KafkaSettings, acls: Iterable[Acl]) -> list[Acl]:
    """Create the ACLs the cluster lacks (as a principal allowed to: the admin); wait until
    the brokers apply them. Returns those created."""
    wanted = set(acls)
    admin = new_admin(settings)
    await admin.start()
    try:
        new = sorted(wanted - await describe(admin))
        if new:
            response = await admin._send_request(
                _CreateAcls(
                    [
                        (
                            _RESOURCE_CODES[acl.resource],
                            acl.name,
                            _PATTERN_CODES[acl.pattern],
                            f"User:{acl.principal}",
                            "*",
                            _OPERATION_CODES[acl.operation],
                            _ALLOW,
                        )
                        for acl in new
                    ]
                )
            )
            for error_code, message in response.creation_responses:
                _raise_for(error_code, message)
        # The controller commits them; each broker's authorizer applies them a moment later.
        for _ in range(200):
            if wanted <= await describe(admin):
                return new
            await asyncio.sleep(0.05)
        raise TimeoutError("the brokers did not apply the new ACLs within 10 s")
    finally:
        await admin.close()
