r"""Static files under fingerprinted names, and the one helper templates link them with.

Every file under static/ is served at /static/<stem>.<hash>.<ext>: <hash> is the
first 12 hex digits of the SHA-256 of its bytes, just before its last extension
(static/saate.css → /static/saate.0123456789ab.css; static/icons/x.svg →
/static/icons/x.<hash>.svg). The URL shape is a promise to the proxy, which may
serve these files straight from disk (docs/deploy/nginx.conf):

    ^/static/(?P<name>.+)\.(?P<hash>[0-9a-f]{12})\.(?P<ext>[a-z0-9]+)$

is the file static/<name>.<ext>. Such a response carries
`Cache-Control: public, max-age=31536000, immutable`: new content gets a new name.
Templates link every file with `asset_url("saate.css")`, never by its plain name.

The plain names (/static/saate.css) keep working for old links, kept for five
minutes (`public, max-age=300`) and then revalidated by ETag: never immutable.

A fingerprinted name whose hash is not the file's current one is a 404, sent
with `no-store` (app/security.py) so that no cache keeps it. The app knows only
the content it started with, so it cannot tell an older hash (a page drawn
before a deploy) from a newer one (a page drawn by an instance already upgraded,
asking one that is not, during a rolling deploy). Serving the current bytes under
a newer hash would pin the old styles to the new name in every browser and proxy
for a year; a 404 is not kept, and the next page load asks again. Pages are never
cached (no-store), so a hash goes stale only in the moment between a page and
its stylesheets.

The manifest is built once, when the app is made: every file is read and hashed
and its bytes are kept in memory (the folder is a few tens of KB), so the bytes
served under a hash are always the bytes hashed, and a request never touches the
disk or builds a path from what the visitor sent. A file added or changed takes
effect at the next start. Dotfiles are left out; a file without a lowercase
extension, or whose own name already looks fingerprinted, stops the start-up.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, url_for

STATIC_FOLDER = Path(__file__).resolve().parent.parent / "static"
HASH_DIGITS = 12
# The documented URL shape, after /static/ (the proxy's regex adds the prefix).
FINGERPRINTED = re.compile(r"(?P<name>.+)\.(?P<hash>[0-9a-f]{12})\.(?P<ext>[a-z0-9]+)")
PLAIN = re.compile(r"(?P<name>.+)\.(?P<ext>[a-z0-9]+)")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATED = "public, max-age=300"
EXTENSION = "saate.assets"


@dataclass(frozen=True)
class Asset:
    name: str  # its path under static/: "saate.css"
    fingerprinted: str  # "saate.0123456789ab.css"
    digest: str
    content: bytes
    mimetype: str


class Manifest:
    """Every static file, by its plain and by its fingerprinted name."""

    def __init__(self, assets: list[Asset]) -> None:
        self.by_name = {asset.name: asset for asset in assets}
        self.by_fingerprint = {asset.fingerprinted: asset for asset in assets}

    def url(self, name: str) -> str:
        """The fingerprinted URL of static/<name>: the `asset_url` of templates."""
        asset = self.by_name.get(name)
        if asset is None:
            raise LookupError(f"static/{name} does not exist (or was added after start-up)")
        return url_for("static", filename=asset.fingerprinted)


def fingerprinted_name(name: str, digest: str) -> str:
    stem, ext = name.rsplit(".", 1)
    return f"{stem}.{digest}.{ext}"


def read_asset(folder: Path, path: Path) -> Asset:
    name = path.relative_to(folder).as_posix()
    if not PLAIN.fullmatch(name) or FINGERPRINTED.fullmatch(name):
        raise ValueError(f"static/{name}: a static file needs a lowercase extension and a "
                         "name that does not look fingerprinted (see app/assets.py)")
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:HASH_DIGITS]
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Asset(name, fingerprinted_name(name, digest), digest, content, mimetype)


def load_manifest(folder: Path = STATIC_FOLDER) -> Manifest:
    paths = sorted(path for path in folder.rglob("*") if path.is_file() and not any(
        part.startswith(".") for part in path.relative_to(folder).parts))
    return Manifest([read_asset(folder, path) for path in paths])


def serve(filename: str) -> Response:
    manifest: Manifest = current_app.extensions[EXTENSION]
    asset, cache = manifest.by_fingerprint.get(filename), IMMUTABLE
    if asset is None:
        asset, cache = manifest.by_name.get(filename), REVALIDATED
    if asset is None:
        abort(404)
    response = current_app.response_class(asset.content, mimetype=asset.mimetype)
    response.headers["Cache-Control"] = cache
    response.set_etag(asset.digest)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Serve static/ (the app is made with static_folder=None) and add `asset_url`."""
    manifest = load_manifest()
    app.extensions[EXTENSION] = manifest
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve)
    app.jinja_env.globals["asset_url"] = manifest.url
