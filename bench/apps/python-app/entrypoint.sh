#!/bin/bash
set -e

# Default: serve app:app with gunicorn from the virtualenv at /opt/venv (first on PATH).
# Any other command given to the container (e.g. `python3 -m flask run`) is run instead.
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- gunicorn --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" "$@" app:app
fi

exec "$@"
