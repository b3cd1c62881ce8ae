# Kinerja — one command starts the system, one runs the tests. Both install what they need:
# a pinned uv (into .cache/tools), the locked virtual environment (.venv), and the Kafka
# broker (from Maven Central into .cache/kafka). `make deploy-test` builds the container images
# and runs the whole system in them (docs/deploy.md).

SHELL := /bin/bash
UV_VERSION := 0.13.8
TOOLS := .cache/tools
UV := $(TOOLS)/bin/uv
# The real kustomize renders deploy/k8s in tests/deploy (go install, like uv a pinned tool).
KUSTOMIZE_VERSION := v5.8.2
KUSTOMIZE := $(TOOLS)/kustomize-$(KUSTOMIZE_VERSION)/kustomize
# ...and its output is checked against the Kubernetes API schemas kubernetes-validate bundles.
KUBERNETES_VALIDATE_VERSION := 1.37.0
KUBERNETES_VALIDATE := $(TOOLS)/kubernetes-validate-$(KUBERNETES_VALIDATE_VERSION)/bin/kubernetes-validate
# vegeta, the open-loop load generator of the event-lag benchmark (go install, pinned).
VEGETA_VERSION := v12.13.0
VEGETA := $(TOOLS)/vegeta-$(VEGETA_VERSION)/vegeta
PODMAN_COMPOSE_VERSION := 1.6.0
PODMAN_COMPOSE := $(TOOLS)/podman-compose-$(PODMAN_COMPOSE_VERSION)/bin/podman-compose
VENV := .venv
BIN := $(VENV)/bin
KAFKA_PORT ?= 19092
TEST_KAFKA_PORT ?= 39092
PYTEST_ARGS ?=
SERVICES := appraisal feedback reporting webhooks

.PHONY: help install run kafka kafka-stop migrate seed test lint format bench bench-relay docs clean
.PHONY: bench-ingestion bench-reports bench-replay
.PHONY: deploy-test deploy-test-packages

help:
	@echo "make run    start gateway, services, Kafka (Ctrl-C stops everything)"
	@echo "make test   run the whole test suite against a real Kafka broker"
	@echo "make lint   ruff + mypy;  make bench  benchmarks;  make docs  event docs"
	@echo "make deploy-test  build the images, run compose in production mode and the story"

$(UV):
	@command -v python3 >/dev/null || { echo "python3 (3.11) is needed"; exit 1; }
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --all-extras --python 3.11
	@touch $@

$(KUSTOMIZE):
	@command -v go >/dev/null || { echo "Go is needed to install kustomize $(KUSTOMIZE_VERSION)"; exit 1; }
	GOBIN=$(CURDIR)/$(@D) GOTOOLCHAIN=local go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)

$(VEGETA):
	@command -v go >/dev/null || { echo "Go is needed to install vegeta $(VEGETA_VERSION)"; exit 1; }
	GOBIN=$(CURDIR)/$(@D) GOTOOLCHAIN=local go install github.com/tsenart/vegeta/v12@$(VEGETA_VERSION)

$(KUBERNETES_VALIDATE):
	python3 -m venv $(TOOLS)/kubernetes-validate-$(KUBERNETES_VALIDATE_VERSION)
	$(TOOLS)/kubernetes-validate-$(KUBERNETES_VALIDATE_VERSION)/bin/pip install -q "kubernetes-validate==$(KUBERNETES_VALIDATE_VERSION)"

install: $(VENV)/.synced $(KUSTOMIZE) $(KUBERNETES_VALIDATE)

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
# `make bench` runs them all under one BENCH_RUN and ends with bench/marks.py: the issue's
# figures, each with its mark, the load average and the result file, from this run only.
.PHONY: bench-tools bench-ingestion-postgres bench-marks
bench-tools: $(VEGETA)

bench-relay: install
	$(BIN)/python bench/outbox_relay.py --rows $(RELAY_ROWS)
bench-relay: RELAY_ROWS ?= 100000

bench-ingestion: install $(VEGETA)
	BENCH_VEGETA=$(CURDIR)/$(VEGETA) $(BIN)/python bench/ingestion.py $(BENCH_ARGS)

# The production layout: fresh PostgreSQL databases on the local cluster
# (deploy/postgres/local.sh start), BENCH_WORKERS uvicorn workers for feedback and the baseline.
bench-ingestion-postgres: install $(VEGETA)
	deploy/postgres/local.sh status >/dev/null 2>&1 || deploy/postgres/local.sh start
	BENCH_VEGETA=$(CURDIR)/$(VEGETA) $(BIN)/python bench/ingestion.py --postgres \
	  --workers $(BENCH_WORKERS) $(BENCH_POSTGRES_ARGS) $(BENCH_ARGS)
bench-ingestion-postgres: BENCH_WORKERS ?= 2
bench-ingestion-postgres: BENCH_POSTGRES_ARGS ?= --duration 10 --lag-seconds 20

bench-marks: install
	$(BIN)/python bench/marks.py

bench-reports: install
	$(BIN)/python bench/report_queries.py $(BENCH_ARGS)

bench-replay: install
	$(BIN)/python bench/replay.py --events $(REPLAY_EVENTS) $(BENCH_ARGS)
bench-replay: REPLAY_EVENTS ?= 2000

.PHONY: bench-gateway
bench-gateway: install
	$(BIN)/python bench/gateway_latency.py 3000

.PHONY: bench-webhooks
bench-webhooks: install
	$(BIN)/python bench/webhook_delivery.py --events $(WEBHOOK_EVENTS)
bench-webhooks: WEBHOOK_EVENTS ?= 3000

BENCH_SCENARIOS := bench-ingestion bench-ingestion-postgres bench-reports bench-replay \
  bench-relay bench-gateway bench-webhooks
bench: install $(VEGETA)
	@export BENCH_RUN=$$(date -u +%Y%m%dT%H%M%SZ); status=0; \
	for scenario in $(BENCH_SCENARIOS); do \
	  $(MAKE) --no-print-directory $$scenario || { echo "$$scenario failed"; status=1; }; \
	done; \
	$(BIN)/python bench/marks.py --run $$BENCH_RUN; exit $$status

# Event schemas, AsyncAPI and the catalogue page, generated from the shared library.
docs: install
	$(BIN)/kinerja-events docs
	$(BIN)/kinerja-events check-compat

# The containers, for real (deploy/deploy-test.sh): podman and runc (and debootstrap, Maven,
# Java for the images made from Debian's packages) from Debian, podman-compose from PyPI
# (pinned, into .cache/tools), then build, start, tell the end-to-end story, remove.
$(PODMAN_COMPOSE):
	python3 -m venv $(TOOLS)/podman-compose-$(PODMAN_COMPOSE_VERSION)
	$(TOOLS)/podman-compose-$(PODMAN_COMPOSE_VERSION)/bin/pip install -q "podman-compose==$(PODMAN_COMPOSE_VERSION)"

deploy-test-packages:
	@missing=""; \
	for c in podman:podman runc:runc netavark:netavark aardvark-dns:aardvark-dns \
	         debootstrap:debootstrap mvn:maven java:openjdk-17-jre-headless openssl:openssl curl:curl; do \
	  command -v $${c%%:*} >/dev/null || [ -x /usr/lib/podman/$${c%%:*} ] || missing="$$missing $${c##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	fi

deploy-test: install deploy-test-packages $(PODMAN_COMPOSE)
	PODMAN_COMPOSE=$(CURDIR)/$(PODMAN_COMPOSE) deploy/deploy-test.sh

clean:
	rm -rf var .cache/kafka $(VENV)
