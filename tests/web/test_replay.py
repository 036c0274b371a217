"""The WSGI replay layer answers repeated GETs exactly as the app did, and nothing else."""

from __future__ import annotations

from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from gdi_graph.web.replay import ResponseReplay


def counting_app():
    calls = []

    @Request.application
    def app(request):
        calls.append((request.method, request.path, request.headers.get("Accept")))
        if request.path == "/error":
            return Response("no", status=400)
        if request.path == "/private":
            return Response("mine", headers={"ETag": '"p"', "Cache-Control": "private"})
        kind = request.headers.get("Accept", "text/plain").split(",")[0]
        body = f"{request.method} {request.path}?{request.query_string.decode()} {request.get_data(as_text=True)} as {kind}"
        if request.method == "POST":
            marked = {"X-Cache": "miss"} if request.path == "/sparql" else {}
            return Response(body, content_type=kind, headers={"Vary": "Accept", **marked})
        return Response(body, content_type=kind, headers={
            "ETag": f'W/"{abs(hash(body))}"', "Cache-Control": "public, max-age=60", "Vary": "Accept", "X-Cache": "miss"})

    return app, calls


def test_a_repeated_get_is_replayed_byte_for_byte_without_calling_the_app():
    app, calls = counting_app()
    client = Client(ResponseReplay(app))
    first = client.get("/sparql?query=ASK{}", headers={"Accept": "text/csv"})
    second = client.get("/sparql?query=ASK{}", headers={"Accept": "text/csv"})
    assert len(calls) == 1
    assert second.data == first.data and second.status == first.status
    assert second.headers["ETag"] == first.headers["ETag"] and second.headers["X-Cache"] == "hit"
    assert [h for h in second.headers if h[0] != "X-Cache"] == [h for h in first.headers if h[0] != "X-Cache"]


def test_answers_vary_by_accept_and_query():
    app, calls = counting_app()
    client = Client(ResponseReplay(app))
    csv = client.get("/q?a=1", headers={"Accept": "text/csv"}).data
    json = client.get("/q?a=1", headers={"Accept": "application/json"}).data
    other = client.get("/q?a=2", headers={"Accept": "text/csv"}).data
    assert len({csv, json, other}) == 3 and len(calls) == 3
    assert client.get("/q?a=1", headers={"Accept": "application/json"}).data == json and len(calls) == 3


def test_if_none_match_on_a_replayed_answer_gives_304_weak_or_strong():
    app, calls = counting_app()
    client = Client(ResponseReplay(app))
    tag = client.get("/q", headers={"Accept": "text/csv"}).headers["ETag"]
    for sent in (tag, tag.removeprefix("W/"), f'"other", {tag}', "*"):
        r = client.get("/q", headers={"Accept": "text/csv", "If-None-Match": sent})
        assert r.status_code == 304 and r.data == b"" and r.headers["ETag"] == tag
    assert client.get("/q", headers={"Accept": "text/csv", "If-None-Match": '"other"'}).status_code == 200
    assert len(calls) == 1


def test_a_repeated_query_post_is_replayed_with_the_body_in_the_key():
    app, calls = counting_app()
    client = Client(ResponseReplay(app))
    sent = dict(headers={"Accept": "text/csv"}, content_type="application/sparql-query")
    first = client.post("/sparql", data="ASK {}", **sent)
    again = client.post("/sparql", data="ASK {}", **sent)
    other = client.post("/sparql", data="ASK { ?s ?p ?o }", **sent)
    form = client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    form_again = client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert len(calls) == 3
    assert again.data == first.data and "ASK {}" in first.get_data(as_text=True)
    assert other.data != first.data and form_again.data == form.data


def test_other_posts_errors_and_private_answers_always_reach_the_app():
    app, calls = counting_app()
    client = Client(ResponseReplay(app))
    for _ in range(2):
        client.post("/other", data="ASK {}", content_type="application/sparql-query")
        client.post("/sparql", data=b"\x00", content_type="application/octet-stream")
        client.get("/error")
        client.get("/private")
    assert len(calls) == 8


def test_the_cache_is_bounded_in_entries():
    app, calls = counting_app()
    replay = ResponseReplay(app, max_entries=3)
    client = Client(replay)
    for i in range(10):
        client.get(f"/q?i={i}")
    assert len(replay.entries) == 3
    client.get("/q?i=0")
    assert len(calls) == 11  # the oldest answers were evicted


def test_the_real_app_behind_the_replay_layer_answers_the_same(web_app):
    client = Client(ResponseReplay(web_app.wsgi_app))
    url = "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%3Fs%20a%20%3Fo%7D%20LIMIT%20200"
    direct = web_app.test_client().get(url, headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    first = client.get(url, headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    again = client.get(url, headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    assert direct.status_code == first.status_code == again.status_code == 200
    assert direct.data == first.data == again.data
    assert again.headers["ETag"] == direct.headers["ETag"] and again.headers["Content-Encoding"] == "gzip"
