#!/usr/bin/env bash
# Images made from Debian's packages, for machines that cannot pull from an image registry.
#
#   deploy/local-images/build.sh debian|python|kafka|postgres|all
#
#   debian    localhost/kinerja-debian:bookworm   a minimal bookworm root made by debootstrap
#                                                 and imported (`podman import`)
#   python    localhost/kinerja-python:3.11-bookworm
#                                                 Debian's python3 (3.11) laid out like the
#                                                 python:3.11-slim image (/usr/local/bin/python,
#                                                 python3.11): deploy/Dockerfile's PYTHON_IMAGE
#   kafka     localhost/kinerja-kafka:<version>   the broker deploy/kafka/pom.xml pins, from
#                                                 Maven Central, on Debian's Java 17; used like
#                                                 apache/kafka (compose.local-images.yaml)
#   postgres  localhost/kinerja-postgres:15-bookworm
#                                                 Debian's PostgreSQL, used like the postgres
#                                                 image (POSTGRES_* variables, initdb.d)
#
# Cached: the debootstrap root as a tarball under .cache/images/ (keyed by what makes it), the
# broker's jars under .cache/kafka-image/, the images in podman's store (an image already there
# is not made again; `podman build` reuses its layers). Needs root (debootstrap), podman and,
# for kafka, Maven and Java. Prints each image's name on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=$root/.cache/images
suite=bookworm
mirror=${KINERJA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$root/deploy/kafka/pom.xml")

DEBIAN_IMAGE=localhost/kinerja-debian:$suite
PYTHON_IMAGE=localhost/kinerja-python:3.11-$suite
KAFKA_IMAGE=localhost/kinerja-kafka:$kafka_version
POSTGRES_IMAGE=localhost/kinerja-postgres:15-$suite

say() { echo "local-images: $*" >&2; }
die() { say "$*"; exit 1; }

exists() { podman image exists "$1"; }

debian() {
  # The key changes with anything that changes the root: suite, mirror, this script.
  local key tarball work
  key=$(printf '%s\n' "$suite" "$mirror" "$(sed -n '/^debian() {/,/^}/p' "${BASH_SOURCE[0]}")" | sha256sum | cut -c1-12)
  tarball=$cache/debian-$suite-$key.tar
  if exists "$DEBIAN_IMAGE" && [ "$(podman image inspect -f '{{index .Labels "kinerja.key"}}' "$DEBIAN_IMAGE" 2>/dev/null)" = "$key" ]; then
    echo "$DEBIAN_IMAGE"; return 0
  fi
  if [ ! -f "$tarball" ]; then
    command -v debootstrap >/dev/null || die "debootstrap is needed (apt-get install debootstrap)"
    say "making a minimal $suite root with debootstrap (about a minute)"
    mkdir -p "$cache"
    work=$(mktemp -d "$cache/.root.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    debootstrap --variant=minbase "$suite" "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    # No package lists, caches or documentation in the image.
    rm -rf "$work/root"/var/lib/apt/lists/* "$work/root"/var/cache/apt/*.bin \
      "$work/root"/var/cache/apt/archives/*.deb "$work/root"/usr/share/doc/* \
      "$work/root"/usr/share/man/* "$work/root"/usr/share/info/* "$work/root"/var/log/*.log
    rm -f "$cache"/debian-"$suite"-*.tar  # an older key's root
    tar -C "$work/root" --numeric-owner -cf "$tarball.part" .
    mv "$tarball.part" "$tarball"
    rm -rf "$work"
    trap - EXIT
  fi
  say "importing $tarball as $DEBIAN_IMAGE"
  podman import --quiet --change "LABEL kinerja.key=$key" --change 'CMD ["/bin/bash"]' \
    "$tarball" "$DEBIAN_IMAGE" >/dev/null
  echo "$DEBIAN_IMAGE"
}

build() { # image context [podman build options...]
  local image=$1 context=$2
  shift 2
  say "building $image"
  podman build --quiet --layers --network=host --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" \
    -t "$image" "$@" "$context" >/dev/null
  echo "$image"
}

python() {
  debian >/dev/null
  build "$PYTHON_IMAGE" "$here/python"
}

kafka_libs() {
  local libs=$root/.cache/kafka-image/$kafka_version/libs
  if [ ! -f "$libs/.complete" ]; then
    command -v mvn >/dev/null || die "Maven is needed to fetch the Kafka broker (apt-get install maven)"
    say "fetching Apache Kafka $kafka_version and its tools from Maven Central into $libs"
    rm -rf "$libs" && mkdir -p "$libs"
    mvn -q -B -f "$here/kafka/pom.xml" -Dkafka.version="$kafka_version" \
      dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime >&2 \
      || die "Maven could not resolve Kafka $kafka_version"
    touch "$libs/.complete"
  fi
  echo "$libs"
}

kafka() {
  debian >/dev/null
  local libs context
  libs=$(kafka_libs)
  # The build context: the image's files and the jars (hard links, no copies).
  context=$root/.cache/kafka-image/$kafka_version/context
  rm -rf "$context" && mkdir -p "$context"
  cp -a "$here/kafka/." "$context/"
  cp -al "$libs" "$context/libs"
  rm -f "$context/libs/.complete"
  build "$KAFKA_IMAGE" "$context" --build-arg "KAFKA_VERSION=$kafka_version"
}

postgres() {
  debian >/dev/null
  build "$POSTGRES_IMAGE" "$here/postgres"
}

case "${1:-}" in
  debian) debian ;;
  python) python ;;
  kafka) kafka ;;
  postgres) postgres ;;
  all) python && kafka && postgres ;;
  names) printf 'PYTHON_IMAGE=%s\nKAFKA_IMAGE=%s\nPOSTGRES_IMAGE=%s\n' "$PYTHON_IMAGE" "$KAFKA_IMAGE" "$POSTGRES_IMAGE" ;;
  *) echo "usage: $0 debian|python|kafka|postgres|all|names" >&2; exit 2 ;;
esac
