"""HTTP API: ``POST /ask``, ``GET /health``, OpenAPI at ``/docs``.

Routes are thin: check the input's shape, call the library, return JSON. The chat is mounted by
``ui.app``, which composes this app with the Gradio page; this module never imports ``ui``.
"""
from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager

from typing import Annotated

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt
from pydantic import StrictStr as _StrictStr
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.config import Settings
from rag.embed import ModelUnavailable
from rag.engine import Engine, QuestionError
from rag.store import IndexUnavailable
from rag.types import Answer

log = logging.getLogger("rag.api")
# Transport caps: bound what a request may carry before the engine looks at it. The limits users
# meet (question length, history turns) are Settings, checked once in ``rag.engine``.
MAX_BODY_TEXT = 10_000
MAX_HISTORY_TURNS = 20


def _encodable(value: str) -> str:
    # JSON may carry lone surrogates (\ud800) that no UTF-8 tokenizer or response can hold.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text contains an invalid character (a lone UTF-16 surrogate)") from exc
    return value


StrictStr = Annotated[_StrictStr, AfterValidator(_encodable)]


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    district: StrictStr | None = Field(None, max_length=50)
    street: StrictStr | None = Field(None, max_length=50)
    community: StrictStr | None = Field(None, max_length=50)
    speaker: StrictStr | None = Field(None, max_length=50)

    def as_record_fields(self) -> dict[str, str]:
        fields = self.model_dump(exclude_none=True)
        if "speaker" in fields:
            fields["name"] = fields.pop("speaker")
        return fields


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(..., max_length=MAX_BODY_TEXT)
    answer: StrictStr | None = Field(None, max_length=MAX_BODY_TEXT)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(..., description="中文问题，去掉首尾空白后 1–500 字（RAG_MAX_QUESTION_CHARS）",
                                max_length=MAX_BODY_TEXT)
    top_k: StrictInt | None = Field(None, ge=1, le=10, description="默认取 RAG_TOP_K")
    filters: Filters | None = None
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)


def _unprocessable(loc: list[str], message: str, kind: str) -> JSONResponse:
    """A 422 in FastAPI's documented validation-error shape, so clients parse one format."""
    return JSONResponse(status_code=422, content={"detail": [{"loc": loc, "msg": message, "type": kind}]})


def ask(engine: Engine, request: AskRequest) -> Answer:
    """The one answering path, shared by ``/ask`` and the chat UI."""
    return engine.ask(
        request.question, top_k=request.top_k,
        filters=request.filters.as_record_fields() if request.filters else None,
        history=[t.model_dump() for t in request.history],
    )


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
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

    app = FastAPI(title="社区书记问答 / Community secretaries QA", version="0.1.0", lifespan=lifespan,
                  description="Answers questions about Chinese community-governance news, citing who said it.")
    app.state.engine = engine
    app.state.unavailable = None

    def current_engine() -> Engine:
        if app.state.engine is None:
            raise HTTPException(503, detail=app.state.unavailable or "index not loaded; run `rag index build`")
        return app.state.engine

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # ASCII-escaped: the echoed input may hold characters (lone surrogates) UTF-8 cannot encode.
        body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True, default=str)
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def _unparseable_body(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:  # FastAPI's answer to a body that is not decodable JSON
            return _unprocessable(["body"], f"request body is not valid JSON: {exc.detail}", "json_invalid")
        return await http_exception_handler(request, exc)

    @app.exception_handler(QuestionError)
    async def _bad_question(request: Request, exc: QuestionError):
        return _unprocessable(["body", "question"], str(exc), "value_error")

    @app.post("/ask", response_model=Answer, responses={503: {"description": "index missing or unusable"}})
    def ask_route(request: AskRequest) -> Answer:  # sync: FastAPI runs it off the event loop
        return ask(current_engine(), request)

    @app.get("/health")
    def health():
        engine = app.state.engine
        if engine is None:
            return JSONResponse(status_code=503, content={"status": "unavailable", "detail": app.state.unavailable})
        return engine.health()
    return app
