"""Demo service for the stella-bench python-app image (run by gunicorn: app:app)."""
import platform

import requests
import yaml
from flask import Flask, jsonify
from markupsafe import escape

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(
        service="stella-bench-python-app",
        python=platform.python_version(),
        requests=requests.__version__,
        yaml=yaml.safe_load("scanned: true"),
        escaped=str(escape("<layers>")),
    )


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
