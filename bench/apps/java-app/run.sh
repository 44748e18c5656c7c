#!/bin/sh
# Started by tini (the image's Entrypoint: /usr/bin/tini -- /opt/app/run.sh).
set -e
exec java ${JAVA_OPTS:-} -jar /opt/app/app.jar "$@"
