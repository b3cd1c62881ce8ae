#!/usr/bin/env bash
# kafka-run-class.sh CLASS [ARGS...]: a Kafka class on the image's jars (logs to stderr).
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} -XX:+UseSerialGC -Djava.awt.headless=true \
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' "$@"
