"""HTTP API: ``POST /ask``, ``POST /feedback``, ``GET /health``, OpenAPI at ``/docs`` (served offline).

Routes are thin: check the input's shape, call the library, return JSON. The chat is mounted by
``ui.app``, which composes this app with the Gradio page; this module never imports ``ui``.
"""
from __future__ import annotations

import json
import logging
import math
import re
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints
from pydantic import StrictStr as _StrictStr
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.config import Settings
from rag.embed import ModelUnavailable
from rag.engine import Engine, QuestionError
from rag.feedback import MAX_COMMENT_CHARS, Feedback, FeedbackError, FeedbackUnavailable, UnknownAnswer
from rag.store import IndexUnavailable
from rag.types import Answer

log = logging.getLogger("rag.api")
# Transport caps: bound what a request may carry before the engine looks at it. The limits users
# meet (question length, history turns) are Settings, checked once in ``rag.engine``.
MAX_BODY_TEXT = 10_000
MAX_HISTORY_TURNS = 20
# An error body repeats at most this many characters of what the client sent, all errors together:
# enough to recognise the value, never a 60 KB echo of a pasted document.
ECHO_LIMIT = 200
FAVICON = Path(__file__).parent / "static" / "favicon.png"
ABSOLUTE_PATH_RE = re.compile(r"(?<![\w.:/])/(?:[^\s/:'\"`]+/)*([^\s/:'\"`]+)")


def without_folders(message: str | None) -> str | None:
    """A message for clients with absolute paths cut to their last part: the machine's folders
    are nobody's business, the file's name is enough to act on."""
    return ABSOLUTE_PATH_RE.sub(r"…/\1", message) if message else message


def _encodable(value: str) -> str:
    # JSON may carry lone surrogates (\ud800) that no UTF-8 tokenizer or response can hold.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text contains an invalid character (a lone UTF-16 surrogate)") from exc
    return value


StrictStr = Annotated[_StrictStr, AfterValidator(_encodable)]


def text(max_length: int):
    """A strict string of at most ``max_length`` characters. The limit sits inside the type: on an
    optional field, ``Field(max_length=…)`` would be checked after the validator and report "items"."""
    return Annotated[str, StringConstraints(strict=True, max_length=max_length), AfterValidator(_encodable)]


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    district: text(50) | None = None
    street: text(50) | None = None
    community: text(50) | None = None
    speaker: text(50) | None = None
    doc: StrictStr | None = Field(None, max_length=200, description="只在这篇文章（doc_id）里找")

    def as_record_fields(self) -> dict[str, str]:
        fields = self.model_dump(exclude_none=True)
        if "speaker" in fields:
            fields["name"] = fields.pop("speaker")
        if "doc" in fields:
            fields["doc_id"] = fields.pop("doc")
        return fields


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(..., max_length=MAX_BODY_TEXT)
    answer: text(MAX_BODY_TEXT) | None = None


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(..., description="中文问题，去掉首尾空白后 1–500 字（RAG_MAX_QUESTION_CHARS）",
                                max_length=MAX_BODY_TEXT)
    top_k: StrictInt | None = Field(None, ge=1, le=10, description="默认取 RAG_TOP_K")
    filters: Filters | None = None
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS,
                                description="前几轮问答，最多 20 轮（更早的请丢弃），用于理解“他还说了什么？”这类追问")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer_id: StrictStr = Field(..., min_length=1, max_length=64, description="/ask 回答里的 answer_id")
    rating: Literal["up", "down"]
    comment: text(MAX_COMMENT_CHARS) | None = None


class FeedbackStored(BaseModel):
    answer_id: str
    rating: Literal["up", "down"]
    rated_at: str


class Problem(BaseModel):
    detail: str


def ask(engine: Engine, request: AskRequest, feedback: Feedback | None = None) -> Answer:
    """The one answering path, shared by ``/ask``, the chat and ``rag ask``. The answer gets an
    ``answer_id``; with ``feedback`` it is remembered so that it can be rated."""
    filters = request.filters.as_record_fields() if request.filters else None
    history = [t.model_dump() for t in request.history]
    answer = engine.ask(request.question, top_k=request.top_k, filters=filters, history=history)
    answer = answer.model_copy(update={"answer_id": uuid.uuid4().hex})
    if feedback is not None:
        feedback.remember(answer, request.question, history, filters or {}, engine.index.path.name)
    return answer


def rate(feedback: Feedback, request: FeedbackRequest) -> FeedbackStored:
    """The one rating path, shared by ``POST /feedback`` and the chat's 👍/👎."""
    return FeedbackStored(**feedback.record(request.answer_id, request.rating, request.comment))


def _clean(value):
    """JSON-safe: non-finite numbers as text (JSON has no Infinity), lone surrogates replaced."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_clean(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _clean(str(value))


def _echo(value, budget: int) -> tuple[object, int]:
    """``value`` if its JSON fits in ``budget`` characters, else its beginning as text."""
    value = _clean(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) <= budget:
        return value, budget - len(text)
    return f"{text[:budget]}…（截断，原长 {len(text)} 字符）", 0


def safe_errors(errors, budget: int = ECHO_LIMIT) -> list[dict]:
    """Validation errors with at most ``budget`` characters of the client's input in them."""
    out = []
    for error in jsonable_encoder(errors, custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")}):
        error = _clean(error)
        loc = []
        for part in error.get("loc", []):  # an unknown key is part of the input too
            part, budget = _echo(part, budget) if isinstance(part, str) and len(part) > 20 else (part, budget)
            loc.append(part)
        error["loc"] = loc
        if "input" in error:
            error["input"], budget = _echo(error["input"], budget)
        if "ctx" in error:
            error["ctx"] = {k: v if isinstance(v, (int, float)) else str(v)[:ECHO_LIMIT] for k, v in error["ctx"].items()}
        out.append(error)
    return out


def _content_type_hint(request: Request, errors: list[dict]) -> dict | None:
    """A JSON body sent without ``content-type: application/json`` reaches the model as text."""
    sent = request.headers.get("content-type", "")
    if "json" in sent.lower() or not any(e.get("loc", [None])[0] == "body" for e in errors):
        return None
    how = f"as {sent[:60]!r}" if sent else "without a content-type header"
    return {"loc": ["header", "content-type"], "type": "content_type",
            "msg": f"the body was sent {how}; send JSON with the header content-type: application/json"}


def _json_response(status: int, content) -> Response:
    return Response(json.dumps(content, ensure_ascii=False), status_code=status, media_type="application/json")


def _undecodable(raw: bytes | None) -> dict:
    """A body that is not UTF-8, in the shape FastAPI gives any other body that is not JSON."""
    error, position = "request body is not valid JSON", 0
    if raw is not None:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            error, position = f"request body is not UTF-8 text (byte 0x{raw[exc.start]:02x} at {exc.start})", exc.start
    return {"type": "json_invalid", "loc": ["body", position], "msg": "JSON decode error", "input": {},
            "ctx": {"error": error}}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = safe_errors(exc.errors())
        if hint := _content_type_hint(request, errors):
            errors.append(hint)
        return _json_response(422, {"detail": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _unparseable_body(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:  # FastAPI's answer to a body it cannot decode (not UTF-8)
            try:
                raw = await request.body()
            except Exception:  # the stream may already be consumed; the message then has no position
                raw = None
            return _json_response(422, {"detail": [_undecodable(raw)]})
        return await http_exception_handler(request, exc)

    @app.exception_handler(QuestionError)
    async def _bad_question(request: Request, exc: QuestionError):
        return _json_response(422, {"detail": [{"loc": ["body", "question"], "msg": str(exc), "type": "value_error"}]})

    @app.exception_handler(FeedbackError)
    async def _bad_rating(request: Request, exc: FeedbackError):
        return _json_response(422, {"detail": [{"loc": ["body"], "msg": str(exc), "type": "value_error"}]})

    @app.exception_handler(UnknownAnswer)
    async def _unknown_answer(request: Request, exc: UnknownAnswer):
        return _json_response(404, {"detail": str(exc)})

    @app.exception_handler(FeedbackUnavailable)
    async def _no_database(request: Request, exc: FeedbackUnavailable):
        log.error("%s", exc)
        return _json_response(503, {"detail": str(exc)})


def create_app(settings: Settings | None = None, engine: Engine | None = None,
               feedback: Feedback | None = None) -> FastAPI:
    """The API alone; ``ui.app.create_app`` adds the chat at ``/ui``."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.engine is None:
            try:
                app.state.engine = Engine.load(settings)  # model loaded once, here
            except (IndexUnavailable, ModelUnavailable) as exc:
                app.state.unavailable = str(exc)
                log.error("%s", exc)
        yield

    # Swagger UI and ReDoc from files in the fastapi-offline wheel, not a CDN: /docs works offline.
    app = FastAPIOffline(title="社区书记问答 / Community secretaries QA", version="0.1.0", lifespan=lifespan,
                         favicon_url="/favicon.ico",
                         description="Answers questions about Chinese community-governance news, citing who said it.")
    app.state.engine = engine
    app.state.unavailable = None
    app.state.feedback = feedback or Feedback(settings.feedback_db)
    _install_error_handlers(app)

    def current_engine() -> Engine:
        if app.state.engine is None:
            raise HTTPException(503, detail=without_folders(app.state.unavailable)
                                or "index not loaded; run `rag index build`")
        return app.state.engine

    @app.post("/ask", response_model=Answer, responses={503: {"description": "index missing or unusable"}})
    async def ask_route(request: AskRequest) -> Response:
        # An answer takes about a millisecond of CPU: run on the event loop, and serialise the
        # model once, instead of two thread-pool hops and a re-validation against response_model
        # (make bench: 32 clients, repeated questions, 135 → 162 req/s; uncached 147 → 151).
        answer = ask(current_engine(), request, app.state.feedback)
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.post("/feedback", response_model=FeedbackStored, responses={
        404: {"model": Problem, "description": "no recent answer has this answer_id"},
        503: {"model": Problem, "description": "the feedback database is locked, read-only or unreadable"}})
    def feedback_route(request: FeedbackRequest) -> FeedbackStored:
        """Rate an answer 👍 (`up`) or 👎 (`down`); rating it again replaces the rating."""
        return rate(app.state.feedback, request)

    @app.get("/health")
    def health():
        engine = app.state.engine
        if engine is None:
            return JSONResponse(status_code=503, content={"status": "unavailable",
                                                                  "detail": without_folders(app.state.unavailable)})
        return engine.health()

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(FAVICON, media_type="image/png")

    from rag.api_documents import documents_router  # the article library: /documents, /jobs (issue 14)
    app.include_router(documents_router(settings))
    return app
