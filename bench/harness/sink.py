"""The webhook sink: records every entry posted to it, with the time it arrived.

It reads feedhook's generic object (`entry.key`, the feed's guid) and Slack Block Kit bodies as
rss-forwarder sends them (several entries per post; each entry's link is the `url` of a section's
button). Under the fault mix it refuses a share of posts with 500 or 429 + Retry-After *before*
recording them, so a refused post that is retried is not a duplicate, and a post answered 200 that
arrives again is one.
"""

import json
import random
import time

from .feeds import parse_key
from .http import Response


class Sink:
    def __init__(self, opts, seed):
        self.opts = opts
        self.rng = random.Random(seed)
        self.posts = []        # (t, feed, k, path)
        self.refused = 0
        self.unreadable = 0
        self.last_post = None

    def handle(self, request):
        if request.method != "POST":
            return Response(404)
        roll = self.rng.random()
        if self.opts.mix == "faults" and roll < self.opts.sink_500:
            self.refused += 1
            return Response(500, body=b"busy")
        if self.opts.mix == "faults" and roll < self.opts.sink_500 + self.opts.sink_429:
            self.refused += 1
            return Response(429, {"Retry-After": "1"}, b"slow down")
        now = time.time()
        self.last_post = now
        keys = _keys(request.body)
        if not keys:
            self.unreadable += 1
        for key in keys:
            parsed = parse_key(key)
            if parsed is None:
                self.unreadable += 1
            else:
                self.posts.append((now, parsed[0], parsed[1], request.path))
        return Response(200, {"Content-Type": "text/plain"}, b"ok")


def _keys(body):
    try:
        payload = json.loads(body)
    except ValueError:
        return []
    if isinstance(payload, dict) and isinstance(payload.get("entry"), dict):
        return [str(payload["entry"].get("key"))]
    keys = []
    for block in payload.get("blocks", []) if isinstance(payload, dict) else []:
        url = (block.get("accessory") or {}).get("url") if isinstance(block, dict) else None
        if url:
            keys.append(url)
    return keys
