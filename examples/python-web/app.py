"""A tiny notes service: an in-memory list of notes behind a JSON API."""

import os
import threading

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
_lock = threading.Lock()
_notes: list[dict] = []


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/notes")
def list_notes():
    with _lock:
        return jsonify(_notes)


@app.post("/notes")
def add_note():
    body = request.get_json(silent=True) or {}
    text = str(body.get("text", "")).strip()
    if not text:
        abort(400, "text is required")
    with _lock:
        note = {"id": len(_notes) + 1, "text": text}
        _notes.append(note)
    return jsonify(note), 201


@app.get("/notes/<int:note_id>")
def get_note(note_id: int):
    with _lock:
        for note in _notes:
            if note["id"] == note_id:
                return jsonify(note)
    abort(404)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
