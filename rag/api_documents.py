"""HTTP routes of the article library (``rag.documents``): list, upload, follow a job, remove, and
the article view that citations link to.

Routes are thin: check the request, call the library, return JSON. Write routes need
``Authorization: Bearer <RAG_ADMIN_TOKEN>`` and check it before reading the body. An upload is
read with a cap, so a huge body costs the server no more than the cap, and parsed here
(multipart ``file`` or JSON ``{"name", "text"}``), then handed to ``Library.add`` off the event loop.
"""
from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from typing import Callable

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from rag.article_view import article_page, missing_page, parse_highlights
from rag.config import Settings
from rag.documents import Document, Library, check_admin, library_for, release_library
from rag.jobs import Job
from rag.uploads import DocumentError, TooLarge, Unprocessable

log = logging.getLogger("rag.api")
# Multipart framing and JSON escaping (a Han character sent as \uXXXX takes 6 bytes, not 3) make
# the body larger than the file; past this the body is refused before it is all read.
BODY_OVERHEAD = 64 * 1024


class UploadText(BaseModel):
    """The JSON form of an upload."""

    model_config = ConfigDict(extra="forbid")
    name: StrictStr = Field(..., min_length=1, max_length=200, description="file name; .txt is added when it has no .txt/.md/.html")
    text: StrictStr = Field(..., description="the article, UTF-8, at most RAG_UPLOAD_MAX_BYTES when encoded")


class Accepted(BaseModel):
    job_id: str
    doc_id: str
    status: str
    status_url: str


UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": ".txt, .md or .html, at most 2 MB"}}}},
    "application/json": {"schema": UploadText.model_json_schema()},
}}}
ERRORS = {401: {"description": "missing or wrong admin token"},
          403: {"description": "no RAG_ADMIN_TOKEN configured: write routes are disabled"}}


def http_error(exc: DocumentError) -> HTTPException:
    """A library refusal as the API answers it; 422 in FastAPI's validation shape, like /ask's."""
    if exc.status == 422:
        return HTTPException(422, [{"loc": ["body", "file"], "msg": str(exc), "type": "value_error"}])
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return HTTPException(exc.status, str(exc), headers=headers)


async def read_capped(request: Request, limit: int) -> bytes:
    cap = 2 * limit + BODY_OVERHEAD
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise TooLarge(f"request body is {int(length):,} bytes; an upload may be at most {limit:,} "
                       "(RAG_UPLOAD_MAX_BYTES)")
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > cap:
            raise TooLarge(f"request body is over {cap:,} bytes; an upload may be at most {limit:,} "
                           "(RAG_UPLOAD_MAX_BYTES)")
    return bytes(body)


async def read_upload(request: Request, limit: int) -> tuple[str, bytes | str]:
    """(file name, bytes) from multipart ``file``, or (name, text) from JSON."""
    body = await read_capped(request, limit)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}
        try:
            async with Request(request.scope, replay).form(max_files=1, max_fields=4) as form:
                upload = form.get("file")
                if not isinstance(upload, UploadFile):
                    raise Unprocessable("send the article as the multipart field 'file'")
                return upload.filename or "", await upload.read()
        except MultiPartException as exc:
            raise Unprocessable(f"unreadable multipart body: {exc.message}") from exc
    if kind == "application/json" or kind.endswith("+json"):
        try:
            upload = UploadText.model_validate(json.loads(body))
            upload.text.encode("utf-8")
        except (ValueError, ValidationError, UnicodeError) as exc:
            detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else exc.__class__.__name__
            raise Unprocessable(f'send JSON {{"name": ..., "text": ...}} ({detail})') from exc
        return upload.name, upload.text
    raise DocumentError("send multipart/form-data with a 'file' field, or application/json "
                        '{"name": ..., "text": ...}', 415)


def documents_router(settings: Settings) -> APIRouter:
    """The library routes for ``settings``; their lifespan starts the build worker and lets it
    switch ``app.state.engine``."""
    state: dict[str, Library | str | None] = {"library": None, "error": None}

    @asynccontextmanager
    async def lifespan(app):
        try:
            library = library_for(settings)
            library.connect(lambda: app.state.engine, lambda engine: _switch(app, engine))
            await run_in_threadpool(library.start)
            state["library"] = library
        except Exception as exc:  # the library is optional: /ask must serve without it
            state["error"] = f"the article library is unavailable: {exc}"
            log.error("%s", state["error"])
        yield
        if isinstance(library := state["library"], Library):
            await run_in_threadpool(library.stop)
            release_library(library)

    def library() -> Library:
        if not isinstance(state["library"], Library):
            raise HTTPException(503, state["error"] or "the article library is not started")
        return state["library"]

    def admin(authorization: str | None = Header(None, description="Bearer <RAG_ADMIN_TOKEN>")) -> None:
        try:
            check_admin(settings, authorization)
        except DocumentError as exc:
            raise http_error(exc) from None

    router = APIRouter(lifespan=lifespan, tags=["documents"])
    _read_routes(router, library)
    _write_routes(router, library, admin, settings)
    return router


def _switch(app, engine) -> None:
    app.state.engine = engine  # one assignment: a request holds whichever engine it read
    app.state.unavailable = None


def _read_routes(router: APIRouter, library: Callable[[], Library]) -> None:
    @router.get("/documents", response_model=list[Document])
    def list_documents() -> list[Document]:
        """Every article: indexed, pending (queued or building) or failed, with the reason."""
        return library().documents()

    @router.get("/jobs/{job_id}", response_model=Job, responses={404: {"description": "no such job"}})
    def get_job(job_id: str) -> Job:
        """Progress of an upload or removal: stage, chunks done/total, elapsed, and the result."""
        try:
            return library().job(job_id)
        except DocumentError as exc:
            raise http_error(exc) from None

    @router.get("/documents/{doc_id}", response_class=HTMLResponse,
                responses={200: {"content": {"application/json": {}}}, 404: {"description": "no such article"}})
    def view_document(request: Request, doc_id: str,
                      hl: list[str] = Query([], description="source spans to highlight, START-END, repeatable")):
        """The article as an HTML page with ``hl`` spans marked (``#hl-0`` scrolls to the first);
        with ``Accept: application/json``, its listing entry."""
        wants_json = "application/json" in request.headers.get("accept", "")
        try:
            if wants_json:
                return JSONResponse(library().document(doc_id).model_dump())
            doc, text = library().article_text(doc_id)
        except DocumentError as exc:
            if wants_json:
                raise http_error(exc) from None
            return HTMLResponse(missing_page(str(exc)), status_code=exc.status)
        return HTMLResponse(article_page(doc, text, parse_highlights(hl, len(text))))


def _write_routes(router: APIRouter, library: Callable[[], Library], admin, settings: Settings) -> None:
    @router.post("/documents", status_code=202, response_model=Accepted, dependencies=[Depends(admin)],
                 openapi_extra=UPLOAD_BODY, responses={**ERRORS, 409: {"description": "name taken"},
                                                       413: {"description": "over 2 MB"},
                                                       422: {"description": "not a readable article"}})
    async def upload_document(request: Request, replace: bool = Query(False, description="replace an article of the same name")):
        """Upload one article (multipart ``file`` or JSON ``{name, text}``); it is indexed in the
        background. Follow ``status_url``."""
        try:
            lib = library()
            name, content = await read_upload(request, settings.upload_max_bytes)
            add = lib.add_text if isinstance(content, str) else lib.add
            job = await run_in_threadpool(add, name, content, replace)
        except DocumentError as exc:
            raise http_error(exc) from None
        accepted = Accepted(job_id=job.id, doc_id=job.doc_id, status=job.status, status_url=f"/jobs/{job.id}")
        return JSONResponse(accepted.model_dump(), status_code=202, headers={"Location": accepted.status_url})

    @router.delete("/documents/{doc_id}", status_code=202, response_model=Accepted, dependencies=[Depends(admin)],
                   responses={**ERRORS, 200: {"description": "a failed upload, forgotten"},
                              404: {"description": "no such article"},
                              409: {"description": "the last article, or one outside the upload folder"}})
    def delete_document(doc_id: str):
        """Remove one article; the index is rebuilt without it in the background."""
        try:
            job = library().remove(doc_id)
        except DocumentError as exc:
            raise http_error(exc) from None
        if job is None:
            return JSONResponse({"doc_id": doc_id, "status": "forgotten"}, status_code=200)
        accepted = Accepted(job_id=job.id, doc_id=doc_id, status=job.status, status_url=f"/jobs/{job.id}")
        return JSONResponse(accepted.model_dump(), status_code=202, headers={"Location": accepted.status_url})
