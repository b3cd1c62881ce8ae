#!/usr/bin/env bash
# make deploy-test: build the images, start deploy/compose.yaml in production mode with
# podman, tell the end-to-end story to the published gateway from outside, remove everything.
#
#   deploy/deploy-test.sh            (the Makefile installs its tools first)
#
# 1. images: Debian base, Python, Kafka and PostgreSQL images (deploy/local-images/build.sh,
#    cached), then the four Kinerja images from deploy/Dockerfile with PYTHON_IMAGE set to the
#    local Python image; each must run as uid 10001 and hold no compiler and no tests.
# 2. secrets: fresh ones for this run (the gateway's assertion and token keys, contact and
#    hash keys, an app key, the Kafka principals' and PostgreSQL's passwords), in a file of
#    mode 0600 that is removed at the end.
# 3. compose: deploy/compose.yaml + compose.local-images.yaml + deploy-test.compose.yaml under
#    the project name kinerja-deploy-test, started stage by stage in the order of its
#    depends_on, each stage waiting for the condition the next one names (service_healthy,
#    service_completed_successfully): podman-compose skips health conditions on podman < 4.6,
#    and podman runs healthchecks only when asked where systemd does not (a loop asks).
# 4. the story: tests/deploy/gateway_scenario.py against http://127.0.0.1:$PORT; then no
#    citizen's personal data in any container's log.
# 5. always (trap): the containers, network and volumes removed, the secrets file deleted.
# It prints the images' sizes and each step's time.
#
# Environment: KINERJA_DEPLOY_TEST_PORT (host port of the gateway, default 18000),
# PODMAN_COMPOSE (the Makefile's pinned one, required), KINERJA_DEPLOY_TEST_KEEP=1
# (leave the containers running for a look; `deploy/deploy-test.sh down` removes them).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
export CONTAINERS_CONF=$here/podman/containers.conf
project=kinerja-deploy-test
port=${KINERJA_DEPLOY_TEST_PORT:-18000}
version=0.1.0
python=$root/.venv/bin/python
podman_compose=${PODMAN_COMPOSE:?the path of podman-compose (make deploy-test sets it)}
compose_files=(-f deploy/compose.yaml -f deploy/compose.local-images.yaml -f deploy/deploy-test.compose.yaml)
started=$(date +%s.%N)
timings=()
work=""
ticker=""

say() { echo "deploy-test: $*" >&2; }
die() { say "$*"; exit 1; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

timed() { # label command...
  local t0
  t0=$(date +%s.%N)
  echo "== $1"
  "${@:2}"
  timings+=("$(printf '%-60s %7s s' "$1" "$(since "$t0")")")
}

# With a clean environment: compose interpolates the shell's variables before the secrets
# file's, and a developer's shell may hold KINERJA_* or *_KAFKA_PASSWORD of `make run`.
compose() {
  env -i PATH="$PATH" HOME="$HOME" CONTAINERS_CONF="$CONTAINERS_CONF" \
    "$podman_compose" -p "$project" --env-file "$work/env" "${compose_files[@]}" "$@"
}

containers() { podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}'; }

down() {
  [ -n "$ticker" ] && kill "$ticker" 2>/dev/null && wait "$ticker" 2>/dev/null || true
  ticker=""
  if [ -n "$(containers)" ] || podman network exists "${project}_default" 2>/dev/null; then
    if [ -n "$work" ] && [ -f "$work/env" ]; then
      compose down -v -t 10 >/dev/null 2>&1 || true
    fi
    # Whatever compose could not remove (no secrets file left from a crashed run).
    containers | xargs -r podman rm -f -t 5 >/dev/null 2>&1 || true
    podman volume ls -q --filter "label=io.podman.compose.project=$project" \
      | xargs -r podman volume rm -f >/dev/null 2>&1 || true
    podman network rm -f "${project}_default" >/dev/null 2>&1 || true
  fi
}

finish() {
  local status=$?
  if [ "${KINERJA_DEPLOY_TEST_KEEP:-}" = 1 ] && [ "$status" = 0 ]; then
    say "left running (KINERJA_DEPLOY_TEST_KEEP=1): http://127.0.0.1:$port; secrets in $work/env"
    [ -n "$ticker" ] && kill "$ticker" 2>/dev/null
    return
  fi
  if [ "$status" != 0 ] && [ -n "$(containers)" ]; then
    say "failed; the last log lines of each container:"
    for c in $(containers); do
      echo "--- $c ($(podman inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c" 2>/dev/null))" >&2
      podman logs --tail 15 "$c" 2>&1 | cut -c1-300 >&2 || true
    done
  fi
  local t0
  t0=$(date +%s.%N)
  down
  [ -n "$work" ] && rm -rf "$work"
  timings+=("$(printf '%-60s %7s s' "stop and remove everything" "$(since "$t0")")")
  report
  exit "$status"
}

report() {
  echo "== deploy-test: $([ "${status:-0}" = 0 ] && echo passed || echo FAILED)"
  printf '  %s\n' "${timings[@]}"
  printf '  %-60s %7s s\n' "total" "$(since "$started")"
  [ -n "${image_sizes:-}" ] && printf '%s\n' "$image_sizes"
  return 0
}

# --- 0. tools -------------------------------------------------------------------------------
check_tools() {
  command -v podman >/dev/null || die "podman is needed (make deploy-test installs it)"
  command -v runc >/dev/null || die "runc is needed (make deploy-test installs it)"
  [ -x "$podman_compose" ] || die "podman-compose not found at $podman_compose (make deploy-test)"
  [ -x "$python" ] || die "the project's environment is needed (make install)"
}

# --- 1. images ------------------------------------------------------------------------------
local_images() {
  deploy/local-images/build.sh all >/dev/null
}

kinerja_images() {
  local s name
  eval "$(deploy/local-images/build.sh names)"
  for s in gateway:8000 appraisal:8001 feedback:8002 reporting:8003 webhooks:8004; do
    name=${s%%:*}
    say "building ghcr.io/kota-denpasar/kinerja-$name:$version"
    # The machine's CA bundle is lent to the build (PyPI through this machine's HTTPS), never
    # copied into an image: only the builder stage sees the build arguments.
    # --format docker: the OCI format has no HEALTHCHECK.
    podman build --format docker --layers --network=host -f deploy/Dockerfile \
      -v /etc/ssl/certs:/etc/ssl/certs:ro \
      --build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" \
      --build-arg SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
      --build-arg PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
      --build-arg UV_SYSTEM_CERTS=1 \
      --build-arg "SERVICE=$name" --build-arg "PORT=${s##*:}" \
      -t "ghcr.io/kota-denpasar/kinerja-$name:$version" . >"$work/build-$name.log" 2>&1 \
      || { tail -40 "$work/build-$name.log" >&2; die "building the $name image failed"; }
  done
}

# Runs as 10001, no compiler, no tests, no build-time CA settings in the image.
inspect_images() {
  local name image problems=""
  for name in gateway appraisal feedback reporting webhooks; do
    image=ghcr.io/kota-denpasar/kinerja-$name:$version
    [ "$(podman image inspect -f '{{.Config.User}}' "$image")" = 10001:10001 ] \
      || problems+="$image: does not run as 10001:10001; "
    podman image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$image" \
      | grep -qE '^(SSL_CERT_FILE|PIP_CERT|UV_SYSTEM_CERTS)=' \
      && problems+="$image: build-time CA settings in its environment; "
    found=$(podman run --rm --network=none --no-healthcheck --entrypoint sh "$image" -c '
      id -u
      for c in gcc cc c++ g++ clang make ld as; do command -v "$c"; done
      ls -d /app/tests /app/services/*/tests /app/services/*/bench /app/shared/tests 2>/dev/null
      /app/.venv/bin/python -c "import pytest" 2>/dev/null && echo pytest
      true')
    [ "$(echo "$found" | head -1)" = 10001 ] || problems+="$image: runs as uid $(echo "$found" | head -1); "
    extra=$(echo "$found" | tail -n +2 | tr '\n' ' ')
    [ -z "${extra// /}" ] || problems+="$image: holds $extra; "
    [ -n "$(podman image inspect -f '{{.HealthCheck}}' "$image" 2>/dev/null | grep -v '<nil>')" ] \
      || problems+="$image: no HEALTHCHECK; "
  done
  [ -z "$problems" ] || die "$problems"
  image_sizes=$(podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' \
    | grep -E 'kinerja-(gateway|appraisal|feedback|reporting|webhooks):|kinerja-(kafka|postgres|python)' \
    | sort | awk '{ printf "  image %-52s %s %s\n", $1, $2, $3 }')
  echo "$image_sizes"
}

# --- 2. secrets -----------------------------------------------------------------------------
secrets() {
  local app_key
  app_key=$(openssl rand -hex 32)
  (
    umask 077
    {
      echo "KINERJA_PUBLISH_PORT=$port"
      echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
      for p in ADMIN APPRAISAL FEEDBACK REPORTING WEBHOOKS ANALYTICS; do
        echo "${p}_KAFKA_PASSWORD=$(openssl rand -hex 24)"
      done
      echo "FEEDBACK_CONTACT_KEYS=$("$python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
      echo "FEEDBACK_HASH_KEY=$(openssl rand -base64 32)"
      echo "WEBHOOKS_SECRET_KEYS=$("$python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
      echo "GATEWAY_APP_KEYS='{\"mobile\": \"$(printf %s "$app_key" | sha256sum | cut -d' ' -f1)\"}'"
      echo "GATEWAY_OAUTH_CLIENTS='{}'"
      "$root/.venv/bin/kinerja-gateway" assertion-keys --env
      "$root/.venv/bin/kinerja-gateway" token-keys --env
      # Not for compose: the app's own key, for the story's citizens.
      echo "DEPLOY_TEST_APP_KEY=$app_key"
    } >"$work/env"
  )
}

# --- 3. compose -----------------------------------------------------------------------------
# Runs the containers' healthchecks every few seconds (podman asks systemd timers to, and
# there is no systemd here).
# Only containers not yet healthy, each check in parallel: the start-up is what is waited for,
# and Kafka's check (a JVM) would hold up the others.
health_ticker() {
  local c
  while true; do
    for c in $(podman ps --filter "label=io.podman.compose.project=$project" \
      --filter health=starting --filter health=unhealthy --format '{{.Names}}'); do
      podman healthcheck run "$c" >/dev/null 2>&1 &
    done
    wait
    sleep 2
  done
}

# The stages of compose.yaml's depends_on, and what each service's dependents wait for:
# lines of "service condition" (healthy, completed or started), a blank line between stages.
stages() {
  "$python" - "${compose_files[@]}" <<'PY'
import sys
import yaml
files = [f for f in sys.argv[1:] if f != "-f"]
services = {}
for f in files:
    for name, s in (yaml.safe_load(open(f)).get("services") or {}).items():
        services.setdefault(name, {}).update({k: v for k, v in s.items() if k == "depends_on"})
wanted = {}
for name, s in services.items():
    for dep, how in (s.get("depends_on") or {}).items():
        cond = how.get("condition", "service_started") if isinstance(how, dict) else "service_started"
        cond = {"service_healthy": "healthy", "service_completed_successfully": "completed"}.get(cond, "started")
        rank = {"started": 0, "completed": 1, "healthy": 1}
        if rank[cond] >= rank.get(wanted.get(dep, "started"), 0):
            wanted[dep] = cond
done = set()
while len(done) < len(services):
    ready = sorted(n for n, s in services.items() if n not in done and set(s.get("depends_on") or {}) <= done)
    if not ready:
        sys.exit(f"depends_on has a cycle among {sorted(set(services) - done)}")
    for n in ready:
        # Nobody waits for the gateway: it is waited for like a service, healthy.
        print(n, wanted.get(n, "healthy"))
    print()
    done |= set(ready)
PY
}

wait_for() { # container condition timeout
  local c=$1 condition=$2 limit=$3 t0 status code health restarts
  t0=$(date +%s)
  while true; do
    read -r status code health restarts < <(podman inspect \
      -f '{{.State.Status}} {{.State.ExitCode}} {{if .State.Health.Status}}{{.State.Health.Status}}{{else}}none{{end}} {{.RestartCount}}' \
      "$c" 2>/dev/null || echo missing)
    case "$condition:$status:$health" in
      healthy:running:healthy | started:running:*) return 0 ;;
      completed:exited:*) [ "$code" = 0 ] && return 0; die "$c exited with $code" ;;
      *:missing:*) die "$c does not exist" ;;
    esac
    [ "${restarts:-0}" -lt 3 ] || die "$c keeps restarting ($restarts restarts)"
    [ $(( $(date +%s) - t0 )) -lt "$limit" ] || die "$c not $condition within $limit s ($status, $health)"
    sleep 1
  done
}

start_stage() { # service:condition...
  local names=() item
  for item in "$@"; do names+=("${item%%:*}"); done
  compose up -d --no-build --no-deps "${names[@]}" >"$work/compose-up.log" 2>&1 \
    || { cat "$work/compose-up.log" >&2; die "podman-compose up ${names[*]} failed"; }
  for item in "$@"; do
    wait_for "${project}_${item%%:*}_1" "${item##*:}" 240
  done
}

compose_up() {
  health_ticker &
  ticker=$!
  local stage=() line n=0
  while IFS= read -r line; do
    if [ -z "$line" ]; then
      n=$((n + 1))
      timed "start stage $n: ${stage[*]%%:*}" start_stage "${stage[@]}"
      stage=()
    else
      stage+=("${line% *}:${line#* }")
    fi
  done < <(stages)
}

gateway_ready() {
  local t0
  t0=$(date +%s)
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    [ $(( $(date +%s) - t0 )) -lt 120 ] || die "the gateway on 127.0.0.1:$port never got ready"
    sleep 1
  done
  curl -sS "http://127.0.0.1:$port/health/ready"
  echo
}

# --- 4. the story ---------------------------------------------------------------------------
scenario() {
  "$python" tests/deploy/gateway_scenario.py run "http://127.0.0.1:$port" "$work/env"
}

logs_hold_no_personal_data() {
  local c
  for c in $(containers); do podman logs "$c" 2>&1; done >"$work/containers.log"
  "$python" tests/deploy/gateway_scenario.py check-logs "$work/containers.log"
}

# --------------------------------------------------------------------------------------------
if [ "${1:-}" = down ]; then
  down
  exit 0
fi
check_tools
work=$(mktemp -d /tmp/kinerja-deploy-test.XXXXXX)
trap finish EXIT
trap 'exit 130' INT TERM
down  # what a crashed run left
timed "base images (Debian, Python, Kafka, PostgreSQL)" local_images
timed "Kinerja images (4 services)" kinerja_images
timed "images: non-root, no compiler, no tests" inspect_images
timed "secrets (fresh, production)" secrets
stack_started=$(date +%s.%N)
compose_up
timed "gateway ready from outside" gateway_ready
timings+=("$(printf '%-60s %7s s' "(start: compose up to gateway ready)" "$(since "$stack_started")")")
timed "end-to-end story through the gateway" scenario
timed "no personal data in the containers' logs" logs_hold_no_personal_data
