"""A what-if server for the request-path study, not the product: the same ``Engine`` and the same
``rag.api.ask``/``AskRequest`` as ``/ask``, but an ``async`` route that answers inline and returns
``Answer.model_dump_json()`` itself. That skips the two thread-pool hops of a sync route (endpoint,
then response validation) and the re-validation of the returned model. Compared with the real API
over HTTP in ``make bench``; ``python -m uvicorn eval.bench.ask_variants:create_app --factory``.
"""
from fastapi import FastAPI
from fastapi.responses import Response

# At module level, not in create_app: FastAPI reads the route's annotations to find the body model.
from rag.api import AskRequest, ask
from rag.config import Settings
from rag.engine import Engine
from rag.feedback import Feedback


def create_app() -> FastAPI:
    settings = Settings()
    engine = Engine.load(settings)
    feedback = Feedback(settings.feedback_db)  # /ask remembers every answer for rating: so does this
    app = FastAPI(title="/ask what-if: async route, direct JSON")

    @app.post("/ask")
    async def ask_inline(request: AskRequest) -> Response:
        answer = ask(engine, request, feedback)
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get("/health")
    async def health() -> dict:
        return engine.health()

    return app
