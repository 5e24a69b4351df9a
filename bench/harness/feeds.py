"""Synthetic feeds served from 127.0.0.1, with a deterministic publishing schedule.

Feed `i` that publishes gets entry `k` at wall time `base + offset_i + k * period` (whole seconds,
so RSS dates are exact and strictly increasing); a quiet feed keeps the same 25 old entries for
the whole run. Publishing stops at `publish_until`, so that the end of a run is a drain window in
which every published entry can still be polled and posted.

Every response carries an ETag and a Last-Modified for the newest entry, and a conditional
request that matches gets `304`. Fault kinds:

    slow   answers after `slow_delay` seconds
    e500   every second request answers 500
    e429   every second request answers 429 with Retry-After
    hang   reads the request and never answers
    big    a ~2 MB document (hundreds of entries with long summaries)

Everything a client is served is recorded, so the report can tell an entry that was lost (served in a
document after the feed's first one, never posted) from one that was never polled.
"""

import email.utils
import random
import time
from dataclasses import dataclass
from html import escape

from .http import Response
from .profiles import fault_counts

FAULT_KINDS = ("slow", "e500", "e429", "hang", "big")

ITEM = ("<item><title>Entry {k} of feed {i}</title><link>http://bench.invalid/p/{i}/{k}</link>"
        "<guid isPermaLink=\"false\">urn:fh-bench:{i}:{k}</guid><pubDate>{date}</pubDate>"
        "<description>{summary}</description></item>\n")
HEAD = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
        "<title>Bench feed {i}</title><link>http://bench.invalid/f/{i}</link>"
        "<description>A synthetic feed</description>\n")
TAIL = "</channel></rss>\n"
QUIET_SINCE = 86400  # quiet feeds' entries are an hour apart, ending a day before the run


@dataclass
class Feed:
    index: int
    kind: str
    port_slot: int
    offset: int
    publishes: bool
    requests: int = 0


def parse_key(key):
    """`urn:fh-bench:i:k` (a guid) or `.../p/i/k` (a link) into (i, k), else None."""
    try:
        if key.startswith("urn:fh-bench:"):
            _, _, i, k = key.split(":")
            return int(i), int(k)
        marker = key.rfind("/p/")
        if marker >= 0:
            i, k = key[marker + 3:].split("/")[:2]
            return int(i), int(k)
    except ValueError:
        pass
    return None


class FeedSet:
    def __init__(self, opts, count, base, publish_until, kind_override=None):
        rng = random.Random(opts.seed)
        self.opts = opts
        self.base = base
        self.publish_until = publish_until
        self.summary = escape(("<p>" + "Lorem ipsum dolor sit amet, <b>consectetur</b> "
                               "adipiscing elit. " * 64)[: opts.entry_bytes] + "</p>")
        kinds = ["normal"] * count
        if kind_override:
            kinds = [kind_override] * count
        elif opts.mix == "faults":
            shares = fault_counts(opts, count)
            wanted = ([kind for kind, n in shares.items() for _ in range(n)] if shares else
                      [FAULT_KINDS[n % len(FAULT_KINDS)]
                       for n in range(opts.faulty * len(FAULT_KINDS))])
            picks = rng.sample(range(count), min(count, len(wanted)))
            for index, kind in zip(picks, wanted):
                kinds[index] = kind
        normal = [i for i, kind in enumerate(kinds) if kind == "normal"]
        publishing = set(rng.sample(normal, min(len(normal), opts.publishing)))
        self.feeds = [
            Feed(i, kinds[i], i % opts.ports, rng.randint(1, opts.period),
                 kinds[i] != "normal" or i in publishing)
            for i in range(count)
        ]
        self.big_window = max(opts.window, opts.big_bytes // (opts.entry_bytes + 260))
        self.requests = []      # (t, feed, status)
        self.serves = {}        # feed -> [(t, newest k served)]
        self.first_request = None

    def add_feed(self, kind="normal"):
        """A feed beyond the initial set (the start-up probe); returns its index."""
        index = len(self.feeds)
        self.feeds.append(Feed(index, kind, index % self.opts.ports, 1, False))
        return index

    def published_at(self, feed, k):
        if not feed.publishes:
            return self.base - QUIET_SINCE + k * 3600
        return self.base + feed.offset + k * self.opts.period

    def newest(self, feed, now):
        if not feed.publishes:
            return 0
        return (int(min(now, self.publish_until)) - self.base - feed.offset) // self.opts.period

    def window(self, feed):
        return self.big_window if feed.kind == "big" else self.opts.window

    def render(self, feed, newest):
        parts = [HEAD.format(i=feed.index)]
        for k in range(newest, newest - self.window(feed), -1):
            date = email.utils.formatdate(self.published_at(feed, k), usegmt=True)
            parts.append(ITEM.format(i=feed.index, k=k, date=date, summary=self.summary))
        parts.append(TAIL)
        return "".join(parts).encode()

    def handle(self, request):
        now = time.time()
        if self.first_request is None:
            self.first_request = now
        try:
            index = int(request.path.rsplit("/", 1)[-1].split(".")[0])
            feed = self.feeds[index]
        except (ValueError, IndexError):
            return Response(404)
        feed.requests += 1
        response = self._answer(feed, request, now)
        self.requests.append((now, index, response.status if response.delay is not None else 0))
        return response

    def _answer(self, feed, request, now):
        flaky = feed.requests % 2 == 0
        if feed.kind == "hang":
            return Response(200, delay=None)
        if feed.kind == "e500" and flaky:
            return Response(500, body=b"try later")
        if feed.kind == "e429" and flaky:
            return Response(429, {"Retry-After": str(self.opts.retry_after)}, b"slow down")
        newest = self.newest(feed, now)
        etag = f'"{feed.index}-{newest}"'
        modified = self.published_at(feed, newest)
        headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(modified, usegmt=True),
                   "Content-Type": "application/rss+xml; charset=utf-8"}
        delay = self.opts.slow_delay if feed.kind == "slow" else 0.0
        if _not_modified(request.headers, etag, modified):
            return Response(304, headers, delay=delay)
        self.serves.setdefault(feed.index, []).append((now, newest))
        return Response(200, headers, self.render(feed, newest), delay=delay)


def _not_modified(headers, etag, modified):
    if "if-none-match" in headers:
        tags = [t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")]
        return etag in tags or "*" in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            return email.utils.parsedate_to_datetime(since).timestamp() >= modified
        except (TypeError, ValueError):
            return False
    return False
