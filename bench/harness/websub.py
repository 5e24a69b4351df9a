"""The `push` scenario: N feeds that advertise a local WebSub hub, and entries published at random
and pushed by the hub (fat pings, signed as WebSub §8 says). It measures the time from the hub's
notification (just before its POST to feedhook's callback goes out) to the webhook POST reaching
the sink, and counts duplicates and entries never posted.

Everything here is its own: the feed server, the hub and the scenario; load.py only lists it.

The hub follows the subscriber-facing side of the W3C WebSub Recommendation: it answers a
subscription request 202, then verifies intent with a GET on the callback (hub.challenge must be
echoed), and from then on POSTs each update to the callback with `X-Hub-Signature:
sha256=HMAC(secret, body)`. The feeds are polled every hour (and, subscribed, every push_interval),
so within a run every entry after the first poll reaches feedhook by push alone.
"""

import asyncio
import hashlib
import hmac
import random
import secrets
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from . import programs, report
from .http import Response, serve
from .sink import Sink

# Entries a pushed document carries (a hub relays the feed, which lists its latest entries).
WINDOW = 5


class PushFeeds:
    """N feeds, each a list of entry numbers; `/f/i.xml` serves feed i with the hub's links."""

    def __init__(self, count):
        self.entries = [[0] for _ in range(count)]
        self.published = {}  # (i, k) -> time the hub notified
        self.requests = []   # (t, i)
        self.port = None
        self.hub_url = None

    def topic(self, index):
        return f"http://127.0.0.1:{self.port}/f/{index}.xml"

    def document(self, index):
        items = "".join(
            f"<item><guid isPermaLink=\"false\">urn:fh-bench:{index}:{k}</guid>"
            f"<title>Entry {k} of feed {index}</title></item>"
            for k in reversed(self.entries[index][-WINDOW:]))
        return (
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>"
            f"<atom:link rel=\"hub\" href=\"{self.hub_url}\"/>"
            f"<atom:link rel=\"self\" href=\"{self.topic(index)}\"/>"
            f"<title>Feed {index}</title><link>https://example.com/{index}</link>"
            f"<description>d</description>{items}</channel></rss>").encode()

    def handle(self, request):
        try:
            index = int(request.path.rsplit("/", 1)[1].split(".")[0])
            self.entries[index]
        except (ValueError, IndexError):
            return Response(404)
        self.requests.append((time.time(), index))
        return Response(200, {"Content-Type": "application/rss+xml"}, self.document(index))


class Hub:
    """A WebSub hub: subscriptions by topic, verified before they count."""

    def __init__(self, pool):
        self.pool = pool
        self.subscriptions = {}   # topic -> (callback, secret)
        self.requests = 0
        self.refused = 0
        self.answers = []         # statuses of content distribution

    def handle(self, request):
        if request.method != "POST":
            return Response(404)
        form = dict(urllib.parse.parse_qsl(request.body.decode()))
        self.requests += 1
        if form.get("hub.mode") != "subscribe" or not form.get("hub.secret"):
            self.refused += 1
            return Response(400, body=b"only signed subscriptions")
        asyncio.get_running_loop().run_in_executor(self.pool, self._verify, form)
        return Response(202)

    def _verify(self, form):
        challenge = secrets.token_hex(16)
        query = urllib.parse.urlencode({
            "hub.mode": "subscribe", "hub.topic": form["hub.topic"],
            "hub.challenge": challenge, "hub.lease_seconds": "864000"})
        try:
            with urllib.request.urlopen(f"{form['hub.callback']}?{query}", timeout=30) as answer:
                echoed = answer.read().decode()
        except OSError:
            return
        if echoed == challenge:
            self.subscriptions[form["hub.topic"]] = (form["hub.callback"], form["hub.secret"])

    def distribute(self, topic, body, published, key):
        """POSTs `body` to the topic's subscriber (in a pool thread); notes the notification time."""
        callback, secret = self.subscriptions[topic]
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(callback, data=body, method="POST", headers={
            "Content-Type": "application/rss+xml", "X-Hub-Signature": f"sha256={signature}"})
        published[key] = time.time()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                self.answers.append(answer.status)
        except OSError as error:
            self.answers.append(getattr(error, "code", 0))


def write_config(path, feeds, opts, sink_base, listen_port, store_path):
    lines = ["[store]", f'path = "{store_path}"', "",
             "[http]", f'listen = "127.0.0.1:{listen_port}"',
             f'public_url = "http://127.0.0.1:{listen_port}"', "",
             "[defaults]", 'interval = "1h"', "backlog = 0", ""]
    for c in range(opts.channels):
        lines += [f"[channels.c{c:02d}]", 'kind = "generic"',
                  f'url = "{sink_base}/hook/feedhook/c{c:02d}"', ""]
    for index in range(len(feeds.entries)):
        lines += ["[[feeds]]", f'name = "{programs.feed_name(index)}"',
                  f'url = "{feeds.topic(index)}"', f'channels = ["c{index % opts.channels:02d}"]',
                  ""]
    path.write_text("\n".join(lines))


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def scenario_push(opts, program, workdir):
    if program.fmt != "feedhook":
        return {"scenario": "push", "program": program.label, "skipped": "no WebSub"}
    rng = random.Random(opts.seed)
    pool = ThreadPoolExecutor(max_workers=64)
    feeds, hub, sink = PushFeeds(opts.feeds), Hub(pool), Sink(opts, opts.seed + 1)
    servers = []
    for handler in (feeds.handle, hub.handle, sink.handle):
        server, port = await serve(handler)
        servers.append((server, port))
    feeds.port, hub_port, sink_port = (port for _, port in servers)
    feeds.hub_url = f"http://127.0.0.1:{hub_port}/"
    listen = free_port()
    config = workdir / "feedhook.toml"
    write_config(config, feeds, opts, f"http://127.0.0.1:{sink_port}", listen,
                 workdir / "feedhook.db")
    running = programs.start(program, config, workdir, ["run"])
    result = {"scenario": "push", "program": program.label, "feeds": opts.feeds}
    deadline = running.started + opts.timeout_run
    while (len(hub.subscriptions) < opts.feeds and time.time() < deadline
           and running.process.poll() is None):
        await asyncio.sleep(0.2)
    result["subscribed"] = len(hub.subscriptions)
    result["subscribe_s"] = round(time.time() - running.started, 1)
    # Publish at random (a Poisson process) for --duration seconds, each entry pushed at once.
    loop, published, pushes = asyncio.get_running_loop(), {}, []
    before_polls = len(feeds.requests)
    started = time.time()
    while time.time() - started < opts.duration and running.process.poll() is None:
        await asyncio.sleep(rng.expovariate(opts.push_rate))
        index = rng.randrange(opts.feeds)
        topic = feeds.topic(index)
        if topic not in hub.subscriptions:
            continue
        k = feeds.entries[index][-1] + 1
        feeds.entries[index].append(k)
        pushes.append(loop.run_in_executor(pool, hub.distribute, topic, feeds.document(index),
                                           published, (index, k)))
    await asyncio.gather(*pushes)
    settle_until = time.time() + opts.grace
    while time.time() < settle_until and len({(p[1], p[2]) for p in sink.posts}) < len(published):
        await asyncio.sleep(0.1)
    result["polls_while_pushing"] = len(feeds.requests) - before_polls
    result["exit"] = await programs.stop(running)
    pool.shutdown(wait=False)
    for server, _ in servers:
        server.close()
    result.update(push_figures(published, sink.posts, hub.answers))
    return result


def rounded(seconds):
    return None if seconds is None else round(seconds, 3)


def push_figures(published, posts, answers):
    """Notification-to-post latencies, duplicates and entries never posted."""
    first_post, counts = {}, {}
    for t, i, k, _path in posts:
        counts[(i, k)] = counts.get((i, k), 0) + 1
        first_post.setdefault((i, k), t)
    latencies = sorted(first_post[key] - at for key, at in published.items() if key in first_post)
    return {
        "published": len(published),
        "posted": len(latencies),
        "lost": len(published) - len(latencies),
        "duplicates": sum(count - 1 for count in counts.values()),
        "hub_answers_not_2xx": sum(1 for status in answers if not 200 <= status < 300),
        "push_p50_s": rounded(report.percentile(latencies, 50)),
        "push_p99_s": rounded(report.percentile(latencies, 99)),
        "push_max_s": round(latencies[-1], 3) if latencies else None,
    }
