"""A corpus of hostile participant names, URLs, locations and comment texts, written
into every input format mapper reads (used by the tests and benchmarks/robustness.py)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

NAMES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "' onmouseover='alert(4)",
    "`${alert(5)}`",
    "</script><script>alert(6)</script>",
    "{{7*7}} {% raw %}{{ config }}",
    "\u202eevil\u202c name",
    "nul\x00byte",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "L" * 100_000,
]
URLS = [
    "javascript:alert(7)",
    "data:text/html,<script>alert(8)</script>",
    "JaVaScRiPt:alert(9)",
    'http://ok.example/"><script>alert(10)</script>',
]
LOCATION = "Paris, France"
#: what must never appear as live markup in an HTML output
MARKERS = ["<script>alert", "<img src=x", "<svg onload", "javascript:alert", "JaVaScRiPt:"]


def _xml(text: str) -> str:
    # XML cannot carry NUL at all: those records must be reported, not crash the reader
    return escape(text.replace("\x00", ""), quote=True)


def write_all(directory: str | Path) -> dict[str, list[Path]]:
    """Write the corpus in each format; return ``{format: [files]}``."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {}
    n = len(NAMES)

    def url(i: int) -> str:
        u = URLS[i % len(URLS)]
        # a distinct site per person: people sharing a site may rightly be merged
        return u.replace("ok.example/", f"ok{i}.example/")

    # CSV
    import csv

    people, inter = d / "people.csv", d / "interactions.csv"
    with people.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "location", "handle", "url"])
        for i, name in enumerate(NAMES):
            w.writerow([f"h{i}", name, LOCATION if i % 2 else name, f"x{i}", url(i)])
        w.writerow(["hub", "Hub", "Boise, ID", "", "https://hub.example/"])
    with inter.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "kind", "weight", "at"])
        for i in range(n):
            w.writerow([f"h{i}", "hub", "comment", 1, ""])
    out["csv"] = [people, inter]

    # saved page text
    lines = ["A blog", "", "A post title", "", "Body text.", "", "Related"]
    for i, name in enumerate(NAMES):
        lines += [
            f"  • http://site{i}.example/ {name.replace(chr(10), ' ')}",
            "",
            f"    {name} says hello from {LOCATION}. {url(i)}",
            "",
        ]
    page = d / "thread.txt"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out["savedpage"] = [page]

    # WordPress WXR
    comments = "".join(
        f"<wp:comment><wp:comment_id>{i + 1}</wp:comment_id>"
        f"<wp:comment_author>{_xml(name)}</wp:comment_author>"
        f"<wp:comment_author_url>{_xml(url(i))}</wp:comment_author_url>"
        f"<wp:comment_content>{_xml(name)}</wp:comment_content>"
        f"<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
        f"<wp:comment_parent>0</wp:comment_parent></wp:comment>"
        for i, name in enumerate(NAMES)
    )
    wxr = d / "export.xml"
    wxr.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>T</title>'
        f"<dc:creator>{_xml(NAMES[0])}</dc:creator>{comments}</item></channel></rss>",
        encoding="utf-8",
    )
    out["wxr"] = [wxr]

    # saved HTML page
    items = "".join(
        f'<li class="comment"><div class="comment-author vcard"><cite class="fn">'
        f'<a class="url" href="{_xml(url(i))}">{_xml(name)}</a></cite></div>'
        f'<div class="comment-content"><p>{_xml(name)}</p></div></li>'
        for i, name in enumerate(NAMES)
    )
    html = d / "page.html"
    html.write_text(
        f"<!DOCTYPE html><html><head><title>{_xml(NAMES[1])}</title></head><body>"
        f'<h1 class="entry-title">T</h1><a rel="author" href="/author/x/">'
        f'{_xml(NAMES[2])}</a><ol class="commentlist">{items}</ol></body></html>',
        encoding="utf-8",
    )
    out["html"] = [html]

    # Disqus
    posts = "".join(
        f'<post dsq:id="{i + 10}"><message>{_xml(name)}</message><isDeleted>false</isDeleted>'
        f"<isSpam>false</isSpam><author><name>{_xml(name)}</name>"
        f'<isAnonymous>true</isAnonymous></author><thread dsq:id="1"/></post>'
        for i, name in enumerate(NAMES)
    )
    dsq = d / "disqus.xml"
    dsq.write_text(
        '<?xml version="1.0"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="1">'
        f"<link>{_xml(url(0))}</link><title>{_xml(NAMES[0])}</title><author>"
        f"<name>{_xml(NAMES[3])}</name></author></thread>{posts}</disqus>",
        encoding="utf-8",
    )
    out["disqus"] = [dsq]

    # Twitter v1.1 and v2, Mastodon, Bluesky
    v1 = d / "tweets.jsonl"
    v1.write_text(
        "\n".join(
            json.dumps(
                {
                    "id_str": str(i),
                    "text": f"{name} @hub",
                    "user": {
                        "screen_name": f"u{i}",
                        "name": name,
                        "url": url(i),
                        "location": LOCATION if i % 2 else name,
                        "description": name,
                    },
                    "entities": {"user_mentions": [{"screen_name": "hub", "name": NAMES[0]}]},
                }
            )
            for i, name in enumerate(NAMES)
        )
        + "\n",
        encoding="utf-8",
    )
    v2 = d / "tweets-v2.jsonl"
    v2.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "id": str(i),
                        "author_id": str(i),
                        "text": name,
                        "entities": {"mentions": [{"username": "hub", "id": "999"}]},
                    }
                    for i, name in enumerate(NAMES)
                ],
                "includes": {
                    "users": [
                        {
                            "id": str(i),
                            "username": f"u{i}",
                            "name": name,
                            "url": url(i),
                            "location": LOCATION,
                        }
                        for i, name in enumerate(NAMES)
                    ]
                },
            }
        )
        + "\n",
        encoding="utf-8",
    )
    masto = d / "mastodon.json"
    masto.write_text(
        json.dumps(
            [
                {
                    "id": str(i),
                    "content": f"<p>{name}</p>",
                    "mentions": [],
                    "account": {
                        "id": str(i),
                        "acct": f"u{i}@evil.example",
                        "display_name": name,
                        "url": url(i),
                        "note": f"📍 {LOCATION} {name}",
                        "fields": [{"name": "Location", "value": name}],
                    },
                }
                for i, name in enumerate(NAMES)
            ]
        ),
        encoding="utf-8",
    )
    bsky = d / "bluesky.json"
    bsky.write_text(
        json.dumps(
            {
                "thread": {
                    "post": {
                        "uri": "at://x",
                        "author": {
                            "did": "did:plc:root",
                            "handle": "root.example",
                            "displayName": NAMES[0],
                        },
                        "record": {"text": NAMES[1]},
                    },
                    "replies": [
                        {
                            "post": {
                                "uri": f"at://{i}",
                                "author": {
                                    "did": f"did:plc:{i}",
                                    "handle": f"u{i}.example",
                                    "displayName": name,
                                    "description": f"Based in {LOCATION}. {name}",
                                },
                                "record": {"text": name},
                            }
                        }
                        for i, name in enumerate(NAMES)
                    ],
                }
            }
        ),
        encoding="utf-8",
    )
    out.update({"twitter_v1": [v1], "twitter_v2": [v2], "mastodon": [masto], "bluesky": [bsky]})
    return out
