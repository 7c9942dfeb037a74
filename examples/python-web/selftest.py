"""Smoke test: exercise the API through Flask's test client (no network needed)."""

from app import app

client = app.test_client()
assert client.get("/health").get_json() == {"status": "ok"}
created = client.post("/notes", json={"text": "buy milk"})
assert created.status_code == 201, created.status_code
assert client.get("/notes/1").get_json()["text"] == "buy milk"
assert client.post("/notes", json={}).status_code == 400
print("self-test ok")
