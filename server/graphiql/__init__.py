"""GraphiQL at GET /graphql (Accept: text/html), with every file it needs served by this
server: no request leaves for another site, so it works without internet and its
Content-Security-Policy allows 'self' only.

The browser bundles come from vendor/ (vendor/package.json pins them, vendor/package-lock.json
locks them, `npm ci` there installs them; the Makefile does it before running or testing).
Each file is served at /graphiql-assets/<digest of its content>/<name>, so it may be cached
for a year: a new version has a new address.
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

HERE = Path(__file__).parent
ASSET_PREFIX = "/graphiql-assets"
IMMUTABLE = "public, max-age=31536000, immutable"

# Name served -> file under vendor/node_modules (the packages' browser builds, no bundler).
VENDOR_FILES = {
    "react.js": "react/umd/react.production.min.js",
    "react-dom.js": "react-dom/umd/react-dom.production.min.js",
    "js-cookie.js": "js-cookie/dist/js.cookie.min.js",
    "graphiql.js": "graphiql/graphiql.min.js",
    "graphiql.css": "graphiql/graphiql.min.css",
    "explorer.js": "@graphiql/plugin-explorer/dist/index.umd.js",
    "explorer.css": "@graphiql/plugin-explorer/dist/style.css",
}
# Ours: the page's start-up script and styles (no inline script or style in the page).
OWN_FILES = {"setup.js": "setup.js", "setup.css": "setup.css"}


class MissingAssets(RuntimeError):
    """The vendor packages are not installed (run `make vendor`)."""


@dataclass
class GraphiQLAssets:
    vendor_dir: Path

    @cached_property
    def files(self) -> dict[str, Path]:
        found = {name: self.vendor_dir / rel for name, rel in VENDOR_FILES.items()}
        found.update({name: HERE / rel for name, rel in OWN_FILES.items()})
        missing = sorted(str(path) for path in found.values() if not path.is_file())
        if missing:
            raise MissingAssets(
                "GraphiQL's files are not installed (run `make vendor`): " + ", ".join(missing)
            )
        return found

    @cached_property
    def urls(self) -> dict[str, str]:
        """Name -> address, the address holding a digest of the file's content."""
        return {
            name: f"{ASSET_PREFIX}/{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}/{name}"
            for name, path in self.files.items()
        }

    @cached_property
    def page(self) -> str:
        template = (HERE / "page.html").read_text(encoding="utf-8")
        return template.format(**{_key(name): html.escape(url) for name, url in self.urls.items()})

    async def serve(self, request: Request) -> Response:
        name = request.path_params["name"]
        url = self.urls.get(name)
        if url is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        if request.url.path != url:
            # An older digest: the file changed since; send the browser to the current one.
            return Response(status_code=307, headers={"location": url, "cache-control": "no-store"})
        media_type, _ = mimetypes.guess_type(name)
        return FileResponse(
            self.files[name],
            media_type=f"{media_type}; charset=utf-8",
            headers={"cache-control": IMMUTABLE},
        )

    def route(self) -> Route:
        return Route(ASSET_PREFIX + "/{digest}/{name}", self.serve, methods=["GET", "HEAD"])

    def render(self) -> HTMLResponse:
        return HTMLResponse(self.page)


def _key(name: str) -> str:
    """ "react-dom.js" -> "react_dom_js", the placeholder's name in page.html."""
    return name.replace("-", "_").replace(".", "_")
