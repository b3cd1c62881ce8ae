#!/usr/bin/env bash
# A local Apache Kafka broker (KRaft, one combined broker/controller node) for development and
# tests. The broker comes from Maven Central through Maven into .cache/kafka (git-ignored).
#
#   deploy/kafka/broker.sh fetch|start|stop|status|run
#
# Environment:
#   KINERJA_KAFKA_PORT      client port (default 19092); the controller uses port + 1
#   KINERJA_KAFKA_DATA      data and log folder (default var/kafka-<port>)
#   KINERJA_KAFKA_HEAP      JVM heap (default 512m)
#   KAFKA_BOOTSTRAP_SERVERS when set to anything but this broker's address, the user runs
#                           their own broker: start/stop/run do nothing but check it answers.
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
own_address=127.0.0.1:$port

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

write_config() {
  mkdir -p "$data/logs"
  cat >"$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
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
    java -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster" \
      -c "$data/server.properties" --ignore-formatted >"$data/logs/format.log" 2>&1 \
      || die "formatting KRaft storage failed; see $data/logs/format.log"
  fi
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
  fetch
  write_config
  set_java_cmd
  setsid "${java_cmd[@]}" >"$data/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_until_ready "$!"
  say "broker ready on $own_address (pid $(cat "$pidfile"), data in $data)"
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
  fetch
  write_config
  echo $$ >"$pidfile"
  set_java_cmd
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
  *) echo "usage: $0 fetch|start|stop|status|run" >&2; exit 2 ;;
esac
