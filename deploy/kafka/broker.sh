#!/usr/bin/env bash
# A local Apache Kafka broker (KRaft, one combined broker/controller node) for development and
# tests. The broker comes from Maven Central through Maven into .cache/kafka (git-ignored).
#
#   deploy/kafka/broker.sh fetch|start|stop|status|run|credentials
#
# Every client authenticates (SASL_PLAINTEXT, SCRAM-SHA-512) and is authorised by ACLs
# (StandardAuthorizer, nothing allowed without an ACL). The principals admin (super user),
# appraisal, feedback, reporting, webhooks and analytics get their SCRAM credentials when the
# storage is formatted; their passwords are kept in <data>/credentials (mode 0600), which `credentials`
# prints as export lines. `start` and `run` grant the services' and analytics' ACLs for the
# topic namespace KINERJA_TOPIC_NAMESPACE (default none) through `kinerja-events acls`.
#
# Environment:
#   KINERJA_KAFKA_PORT      client port (default 19092); the controller uses port + 1
#   KINERJA_KAFKA_DATA      data and log folder (default var/kafka-<port>)
#   KINERJA_KAFKA_HEAP      JVM heap (default 512m)
#   ADMIN_KAFKA_PASSWORD, APPRAISAL_KAFKA_PASSWORD, FEEDBACK_KAFKA_PASSWORD,
#   REPORTING_KAFKA_PASSWORD, WEBHOOKS_KAFKA_PASSWORD, ANALYTICS_KAFKA_PASSWORD
#                           the principals' passwords when a data folder is first set up
#                           (otherwise generated); letters, digits and ._~- only
#   KAFKA_BOOTSTRAP_SERVERS when set to anything but this broker's address, the user runs
#                           their own broker: start/stop/run do nothing but check it answers,
#                           and `credentials` prints nothing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KINERJA_KAFKA_PORT:-19092}
controller_port=$((port + 1))
data=${KINERJA_KAFKA_DATA:-$root/var/kafka-$port}
heap=${KINERJA_KAFKA_HEAP:-512m}
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")
libs=$root/.cache/kafka/$version/libs
pidfile=$data/broker.pid
credentials_file=$data/credentials
own_address=127.0.0.1:$port
principals=(admin appraisal feedback reporting webhooks analytics)
mechanism=SCRAM-SHA-512
events_cli=$root/.venv/bin/kinerja-events

die() { echo "kafka: $*" >&2; exit 1; }
say() { echo "kafka: $*" >&2; }

external() {
  [ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ] && [ "$KAFKA_BOOTSTRAP_SERVERS" != "$own_address" ] \
    && [ "$KAFKA_BOOTSTRAP_SERVERS" != "localhost:$port" ]
}

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

check_java() {
  command -v java >/dev/null 2>&1 || die "Java 17 or newer is needed to run the broker; install a JDK (e.g. apt-get install openjdk-17-jre-headless)."
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ -n "$v" ] && [ "$v" -ge 17 ] || die "Java 17 or newer is needed, found: $(java -version 2>&1 | head -1)"
}

fetch() {
  [ -f "$libs/.complete" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "Maven is needed to fetch the Kafka broker from Maven Central; install it (e.g. apt-get install maven)."
  say "fetching Apache Kafka $version from Maven Central into $libs"
  rm -rf "$libs"
  mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$libs" -DincludeScope=runtime >&2 \
    || die "Maven could not resolve org.apache.kafka:kafka_2.13:$version"
  touch "$libs/.complete"
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

generate_password() {
  od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

# The principals' passwords: from the environment when given, otherwise generated, once per
# data folder (the storage is formatted with them; later changes would not reach it).
ensure_credentials() {
  if [ -f "$credentials_file" ]; then
    local p var given
    for p in "${principals[@]}"; do
      var=${p^^}_KAFKA_PASSWORD
      if [ "$p" != admin ] && ! grep -q "^$var=" "$credentials_file"; then
        add_principal "$p"
        continue
      fi
      given=${!var:-}
      if [ -n "$given" ] && [ "$given" != "$(password_of "$p")" ]; then
        say "$var differs from the password $data was set up with; the broker keeps $credentials_file"
      fi
    done
    return 0
  fi
  [ -f "$data/kraft/meta.properties" ] && die "$data was formatted before the broker required authentication (no $credentials_file); remove $data to start afresh"
  mkdir -p "$data"
  local tmp p var password
  tmp=$(mktemp "$data/.credentials.XXXXXX")
  chmod 600 "$tmp"
  {
    echo "# SASL credentials of the Kafka broker on $own_address (deploy/kafka/broker.sh credentials)"
    echo "KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT"
    echo "KAFKA_SASL_MECHANISM=$mechanism"
    for p in "${principals[@]}"; do
      var=${p^^}_KAFKA_PASSWORD
      password=${!var:-$(generate_password)}
      [[ $password =~ ^[A-Za-z0-9._~-]+$ ]] || { rm -f "$tmp"; die "$var may only hold letters, digits and ._~-"; }
      if [ "$p" = admin ]; then
        echo "KAFKA_USERNAME=admin"
        echo "KAFKA_PASSWORD=$password"
      else
        echo "${p^^}_KAFKA_USERNAME=$p"
        echo "${p^^}_KAFKA_PASSWORD=$password"
      fi
    done
  } >"$tmp"
  mv "$tmp" "$credentials_file"
}

# A principal newer than the data folder (e.g. webhooks): its password joins the credentials
# file, and a storage already formatted gets its SCRAM credential once the broker answers
# (add_pending_principals, before the ACLs are granted).
add_principal() { # principal
  local var=${1^^}_KAFKA_PASSWORD password
  password=${!var:-$(generate_password)}
  [[ $password =~ ^[A-Za-z0-9._~-]+$ ]] || die "$var may only hold letters, digits and ._~-"
  {
    echo "${1^^}_KAFKA_USERNAME=$1"
    echo "$var=$password"
  } >>"$credentials_file"
  [ -f "$data/kraft/meta.properties" ] && echo "$1" >>"$data/scram-pending"
  say "added the principal $1 to $credentials_file"
}

add_pending_principals() {
  [ -f "$data/scram-pending" ] || return 0
  local config p
  config=$(mktemp "$data/.admin.XXXXXX")
  chmod 600 "$config"
  cat >"$config" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=$mechanism
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(password_of admin)";
PROPS
  while read -r p; do
    [ -n "$p" ] || continue
    java -cp "$libs/*" kafka.admin.ConfigCommand --bootstrap-server "$own_address" \
      --command-config "$config" --alter --entity-type users --entity-name "$p" \
      --add-config "$mechanism=[password=$(password_of "$p")]" >>"$data/logs/scram.log" 2>&1 \
      || { rm -f "$config"; die "adding the SCRAM credential of $p failed; see $data/logs/scram.log"; }
    say "the principal $p can log in"
  done <"$data/scram-pending"
  rm -f "$config" "$data/scram-pending"
}

password_of() { # principal
  local var=KAFKA_PASSWORD
  [ "$1" = admin ] || var=${1^^}_KAFKA_PASSWORD
  sed -n "s/^$var=//p" "$credentials_file"
}

credentials() {
  external && return 0
  ensure_credentials
  sed -n 's/^\([A-Z_]*=.*\)$/export \1/p' "$credentials_file"
}

write_config() {
  mkdir -p "$data/logs"
  ensure_credentials
  local admin_password
  admin_password=$(password_of admin)
  # The admin password is in it (the broker's own logins): readable by the owner only.
  (umask 077 && : >"$data/server.properties")
  cat >"$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=CLIENT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=CLIENT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
# Clients: SCRAM, credentials in the cluster metadata (set at format time).
listener.name.client.sasl.enabled.mechanisms=$mechanism
sasl.mechanism.inter.broker.protocol=$mechanism
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
# The controller (loopback only): PLAIN with the admin login (SCRAM needs the metadata first).
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin_password" user_admin="$admin_password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin
log.dirs=$data/kraft
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=-1
PROPS
  if [ ! -f "$data/kraft/meta.properties" ]; then
    local cluster
    cluster=$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    local scram=() p
    for p in "${principals[@]}"; do
      scram+=(--add-scram "$mechanism=[name=$p,password=$(password_of "$p")]")
    done
    java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster" \
      -c "$data/server.properties" --ignore-formatted "${scram[@]}" >"$data/logs/format.log" 2>&1 \
      || die "formatting KRaft storage failed; see $data/logs/format.log"
  fi
}

check_events_cli() {
  [ -x "$events_cli" ] || die "granting ACLs needs the project's environment ($events_cli); run make install"
}

# The services' and analytics' ACLs for the configured topic namespace (idempotent).
grant_acls() {
  add_pending_principals
  env KAFKA_BOOTSTRAP_SERVERS="$own_address" KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT \
    KAFKA_SASL_MECHANISM="$mechanism" KAFKA_USERNAME=admin KAFKA_PASSWORD="$(password_of admin)" \
    "$events_cli" acls --quiet >>"$data/logs/acls.log" 2>&1 \
    || die "granting ACLs failed; see $data/logs/acls.log"
}

java_cmd=()
set_java_cmd() {
  java_cmd=(java "-Xms${heap}" "-Xmx${heap}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$here/log4j2.properties"
    "-Dkafka.log.file=$data/logs/server.log"
    -cp "$libs/*" kafka.Kafka "$data/server.properties")
}

wait_until_ready() { # pid
  for _ in $(seq 1 240); do
    if answers 127.0.0.1 "$port"; then return 0; fi
    kill -0 "$1" 2>/dev/null || die "the broker exited during start-up; see $data/logs/"
    sleep 0.25
  done
  die "the broker did not accept connections on $port within 60 s; see $data/logs/"
}

start() {
  if external; then
    say "using the broker at $KAFKA_BOOTSTRAP_SERVERS (KAFKA_BOOTSTRAP_SERVERS); not starting one"
    return 0
  fi
  if pid=$(running_pid); then
    say "already running on $own_address (pid $pid)"
    return 0
  fi
  answers 127.0.0.1 "$port" && die "port $port is taken by another process"
  check_java
  check_events_cli
  fetch
  write_config
  set_java_cmd
  setsid "${java_cmd[@]}" >"$data/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_until_ready "$!"
  grant_acls
  say "broker ready on $own_address (pid $(cat "$pidfile"), data in $data, credentials in $credentials_file)"
}

stop() {
  external && return 0
  local pid
  if ! pid=$(running_pid); then
    say "not running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; say "stopped"; return 0; }
    sleep 0.25
  done
  say "the broker did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

run() { # foreground, for a process runner (honcho)
  if external; then
    say "using the broker at $KAFKA_BOOTSTRAP_SERVERS; nothing to run"
    exec sleep infinity
  fi
  check_java
  check_events_cli
  fetch
  write_config
  echo $$ >"$pidfile"
  set_java_cmd
  # The ACLs once the broker answers (this shell becomes the broker).
  (wait_until_ready $$ && grant_acls && say "ACLs granted") </dev/null &
  exec "${java_cmd[@]}"
}

status() {
  if external; then
    host=${KAFKA_BOOTSTRAP_SERVERS%%,*}
    answers "${host%:*}" "${host##*:}" && { echo "external broker $host answers"; return 0; }
    echo "external broker $host does not answer"; return 1
  fi
  if pid=$(running_pid) && answers 127.0.0.1 "$port"; then
    echo "running on $own_address (pid $pid)"
  else
    echo "not running"; return 1
  fi
}

case "${1:-}" in
  fetch) check_java; fetch ;;
  start) start ;;
  stop) stop ;;
  run) run ;;
  status) status ;;
  credentials) credentials ;;
  *) echo "usage: $0 fetch|start|stop|status|run|credentials" >&2; exit 2 ;;
esac
