"""HTTP API: ``POST /ask``, ``GET /health``, OpenAPI at ``/docs``, and the chat mounted at ``/ui``."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

from rag.config import Settings
from rag.embed import ModelUnavailable
from rag.engine import Engine, QuestionError
from rag.store import IndexUnavailable
from rag.types import Answer

log = logging.getLogger("rag.api")
MAX_QUESTION = 500


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

    @app.exception_handler(QuestionError)
    async def _bad_question(request: Request, exc: QuestionError):
        return JSONResponse(status_code=422, content={"detail": str(exc)})

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
