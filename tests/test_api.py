"""POST /ask and GET /health over real HTTP (TestClient) on the real index."""
import pytest
from fastapi.testclient import TestClient

from rag.api import create_app


def ask(client, **body):
    return client.post("/ask", json=body)


@pytest.mark.parametrize("question, answer_type, speaker, community", [
    ("吴桂英是哪个村的书记？", "attribution", "吴桂英", "新农村"),
    ("‘411’工作机制是谁建立的", "attribution", "吴桂英", "新农村"),
    ("五丁社区的‘五丁书香’品牌主要有什么？", "content", "张奕冰", "五丁社区"),
    ("温江区有哪些书记参加了分享？", "list", "周兴术", "土桥村"),
    ("活动的主办方是谁？", "event", None, None),
])
def test_each_answer_type_cites_speaker_and_community(client, question, answer_type, speaker, community):
    response = ask(client, question=question)
    assert response.status_code == 200
    body = response.json()
    assert body["answer_type"] == answer_type and body["abstained"] is False
    first = body["citations"][0]
    assert (first["speaker"], first["community"]) == (speaker, community)
    assert set(first) >= {"speaker", "title", "community", "street", "district", "quote", "start", "end", "score", "chunk_id"}
    assert body["model"] == "zh-word-sif-200" and body["timings_ms"]["total"] > 0


@pytest.mark.parametrize("question", ["成都有多少个社区？", "莲花社区有多少户居民？"])
def test_abstentions(client, question):
    body = ask(client, question=question).json()
    assert body["abstained"] is True and body["answer_type"] == "abstain"
    assert body["abstain_reason"] and body["citations"] == []


def test_follow_up_through_history(client):
    first = ask(client, question="钱坤是哪个社区的书记？").json()
    body = ask(client, question="他还提到了什么组织？",
               history=[{"question": "钱坤是哪个社区的书记？", "answer": first["answer"]}]).json()
    assert body["citations"][0]["speaker"] == "钱坤"
    assert "青创社" in body["answer"]


def test_filters(client):
    body = ask(client, question="社区治理有什么做法？", top_k=5, filters={"district": "龙泉驿区"}).json()
    assert body["citations"] and {c["district"] for c in body["citations"]} == {"龙泉驿区"}


@pytest.mark.parametrize("body, fragment", [
    ({"question": ""}, "empty"),
    ({"question": "   \n "}, "empty"),
    ({"question": "问" * 10_000}, "characters"),
    ({"question": "问" * 501}, "limit is 500"),
    ({"question": 42}, "string"),
    ({"question": None}, "string"),
    ({"question": ["吴桂英"]}, "string"),
    ({}, "Field required"),
    ({"question": "吴桂英是谁", "top_k": 0}, "greater than or equal to 1"),
    ({"question": "吴桂英是谁", "top_k": 11}, "less than or equal to 10"),
    ({"question": "吴桂英是谁", "top_k": "3"}, "integer"),
    ({"question": "吴桂英是谁", "top_k": 2.5}, "integer"),
    ({"question": "吴桂英是谁", "filters": "温江区"}, "dictionary"),
    ({"question": "吴桂英是谁", "filters": {"planet": "火星"}}, "Extra inputs"),
    ({"question": "吴桂英是谁", "history": [{"q": "x"}]}, "question"),
    ({"question": "吴桂英是谁", "history": "他"}, "list"),
    ({"question": "吴桂英是谁", "extra": 1}, "Extra inputs"),
])
def test_invalid_input_is_422_with_a_clear_message(client, body, fragment):
    response = client.post("/ask", json=body)
    assert response.status_code == 422
    assert fragment in str(response.json()["detail"])


@pytest.mark.parametrize("raw, content_type", [
    (b"{not json", "application/json"), (b"\xff\xfe", "application/json"), (b"question=x", "text/plain"),
])
def test_malformed_bodies_are_422(client, raw, content_type):
    response = client.post("/ask", content=raw, headers={"content-type": content_type})
    assert response.status_code == 422


def test_health_reports_model_and_index(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["model"] == "zh-word-sif-200"
    assert body["index"]["chunks"] > 30 and body["index"]["counts_by_kind"]["speaker"] == 12


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    assert "/ask" in client.get("/openapi.json").json()["paths"]


def test_missing_index_is_503_with_how_to_build(tmp_path):
    from conftest import make_settings

    app = create_app(make_settings(tmp_path, []))
    with TestClient(app) as client:
        response = client.post("/ask", json={"question": "吴桂英是谁"})
        assert response.status_code == 503 and "rag index build" in response.json()["detail"]
        assert client.get("/health").status_code == 503
