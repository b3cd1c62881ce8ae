# Kinerja — one command starts the system, one runs the tests. Both install what they need:
# a pinned uv (into .cache/tools), the locked virtual environment (.venv), and the Kafka
# broker (from Maven Central into .cache/kafka).

SHELL := /bin/bash
UV_VERSION := 0.13.8
TOOLS := .cache/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
KAFKA_PORT ?= 19092
TEST_KAFKA_PORT ?= 39092
PYTEST_ARGS ?=
SERVICES := appraisal feedback reporting

.PHONY: help install run kafka kafka-stop migrate seed test lint format bench bench-relay docs clean

help:
	@echo "make run    start gateway, services, Kafka (Ctrl-C stops everything)"
	@echo "make test   run the whole test suite against a real Kafka broker"
	@echo "make lint   ruff + mypy;  make bench  benchmarks;  make docs  event docs"

$(UV):
	@command -v python3 >/dev/null || { echo "python3 (3.11) is needed"; exit 1; }
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --all-extras --python 3.11
	@touch $@

install: $(VENV)/.synced

kafka: install
	KINERJA_KAFKA_PORT=$(KAFKA_PORT) deploy/kafka/broker.sh start

kafka-stop:
	KINERJA_KAFKA_PORT=$(KAFKA_PORT) deploy/kafka/broker.sh stop

migrate: install
	@for s in $(SERVICES); do $(BIN)/kinerja-$$s migrate || exit 1; done

seed: migrate
	$(BIN)/kinerja-appraisal seed-demo

# The whole system under honcho (a Procfile runner): Kafka, three services, the gateway.
# Each service connects as its own Kafka principal (<SERVICE>_KAFKA_USERNAME/_PASSWORD from
# the broker's credentials file, deploy/kafka/broker.sh credentials).
run: install
	KINERJA_KAFKA_PORT=$(KAFKA_PORT) deploy/kafka/broker.sh fetch
	@$(MAKE) --no-print-directory seed
	@credentials=$$(KINERJA_KAFKA_PORT=$(KAFKA_PORT) deploy/kafka/broker.sh credentials) || exit 1; \
	eval "$$credentials"; \
	KINERJA_KAFKA_PORT=$(KAFKA_PORT) KAFKA_BOOTSTRAP_SERVERS=$${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$(KAFKA_PORT)} \
	  FEEDBACK_SEED_DEMO=$${FEEDBACK_SEED_DEMO:-true} \
	  $(BIN)/honcho -d . -f deploy/Procfile start

# Tests start their own broker on a test port with fresh storage and always stop it; they
# connect as its admin, with the credentials in its data folder (tests/conftest.py).
test: install
	@KINERJA_KAFKA_PORT=$(TEST_KAFKA_PORT) KINERJA_KAFKA_DATA=$(CURDIR)/var/kafka-test deploy/kafka/broker.sh stop >/dev/null 2>&1 || true
	@rm -rf var/kafka-test
	@export KINERJA_KAFKA_PORT=$(TEST_KAFKA_PORT) KINERJA_KAFKA_DATA=$(CURDIR)/var/kafka-test; \
	export KAFKA_BOOTSTRAP_SERVERS=$${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$(TEST_KAFKA_PORT)}; \
	deploy/kafka/broker.sh start || exit 1; \
	status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	deploy/kafka/broker.sh stop; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared/src services/*/src

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks (not tests; nothing timed is asserted): see docs/performance.md. Each writes
# bench/results/<name>-<time>.json and prints a table. `make bench BENCH_ARGS=--quick`.
bench-relay: install
	$(BIN)/python bench/outbox_relay.py --rows $(RELAY_ROWS)
bench-relay: RELAY_ROWS ?= 100000

bench-ingestion: install
	$(BIN)/python bench/ingestion.py --lag-rate 15 --lag-seconds 20 $(BENCH_ARGS)

bench-reports: install
	$(BIN)/python bench/report_queries.py $(BENCH_ARGS)

bench-replay: install
	$(BIN)/python bench/replay.py --events $(REPLAY_EVENTS) $(BENCH_ARGS)
bench-replay: REPLAY_EVENTS ?= 2000

.PHONY: bench-gateway
bench-gateway: install
	$(BIN)/python bench/gateway_latency.py 3000

bench: bench-ingestion bench-reports bench-replay bench-relay bench-gateway

# Event schemas, AsyncAPI and the catalogue page, generated from the shared library.
docs: install
	$(BIN)/kinerja-events docs
	$(BIN)/kinerja-events check-compat

clean:
	rm -rf var .cache/kafka $(VENV)
