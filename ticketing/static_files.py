"""The files a page ships with (stylesheets, scripts, icons), served by name from its folder."""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import FileResponse

from ticketing.errors import NotFoundError

MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


class StaticFiles:
    """Only the files of `folder` with a known type; anything else is a 404 naming `what`."""

    def __init__(self, folder: Path, what: str) -> None:
        self.files = {p.name: p for p in folder.iterdir() if p.suffix in MEDIA_TYPES}
        self.what = what

    def response(self, name: str) -> FileResponse:
        path = self.files.get(name)
        if path is None:
            raise NotFoundError(f"There is no {self.what} file {name!r}.", code="not_found")
        return FileResponse(
            path,
            media_type=MEDIA_TYPES[path.suffix],
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
        )
