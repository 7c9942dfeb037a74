"""Render every content/*.md page to HTML with a shared layout, plus an index page."""

import html
import pathlib
import sys

import markdown

LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/style.css"></head>
<body><nav><a href="/">Home</a></nav><main>
{body}
</main></body></html>
"""


def render(src: pathlib.Path, out: pathlib.Path) -> list[tuple[str, str]]:
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for page in sorted(src.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip() if text else page.stem
        body = markdown.markdown(text, extensions=["tables", "fenced_code"])
        name = "index.html" if page.stem == "index" else f"{page.stem}.html"
        (out / name).write_text(LAYOUT.format(title=html.escape(title), body=body), encoding="utf-8")
        pages.append((name, title))
    if not any(name == "index.html" for name, _ in pages):
        items = "\n".join(f'<li><a href="/{n}">{html.escape(t)}</a></li>' for n, t in pages)
        (out / "index.html").write_text(LAYOUT.format(title="Index", body=f"<ul>{items}</ul>"))
    (out / "style.css").write_text("body{font-family:sans-serif;max-width:40em;margin:auto}\n")
    return pages


if __name__ == "__main__":
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    for name, title in render(src, out):
        print(f"{name}: {title}")
