"""The baseline for bench/pages.py: the smallest Flask app, served by the same gunicorn.

    gunicorn -c gunicorn.conf.py bench.hello:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
