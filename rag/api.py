"""HTTP API: ``POST /ask``, ``GET /health``, OpenAPI at ``/docs``, and the chat mounted at ``/ui``."""
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
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, field_validator
from pydantic import StrictStr as _StrictStr
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.config import Settings
from rag.embed import ModelUnavailable
from rag.engine import Engine, QuestionError
from rag.store import IndexUnavailable
from rag.types import Answer

log = logging.getLogger("rag.api")
MAX_QUESTION = Settings.model_fields["max_question_chars"].default  # one limit for library and HTTP


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
    question: StrictStr = Field(..., max_length=MAX_QUESTION)
    answer: StrictStr | None = Field(None, max_length=5000)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(..., description="中文问题，去掉首尾空白后 1–500 字", max_length=10_000)
    top_k: StrictInt = Field(3, ge=1, le=10)
    filters: Filters | None = None
    history: list[Turn] = Field(default_factory=list, max_length=20)

    @field_validator("question")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("question is empty")
        if len(value) > MAX_QUESTION:
            raise ValueError(f"question is {len(value)} characters; the limit is {MAX_QUESTION}")
        return value


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


def create_app(settings: Settings | None = None, engine: Engine | None = None, with_ui: bool = True) -> FastAPI:
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

    if with_ui:
        from ui.chat import mount_chat

        mount_chat(app, lambda: app.state.engine, settings)
    return app
