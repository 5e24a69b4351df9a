"""From what the feed server served and the sink received to the figures of a run.

Definitions (see docs/performance.md):

- a *poll* is any request a feed received (200, 304, error, or left hanging);
- an entry is *expected* when the program was served it in a document after the feed's first one
  (the first poll marks everything seen and posts nothing, in both programs) at least `grace`
  seconds before the run ended;
- *lost* = expected but never posted; *duplicates* = posts of an entry beyond its first;
  *old posts* = entries posted that were already in the feed's first document;
- *latency* = first post of an entry minus its publication time; it includes the wait for the
  next poll, so with interval I it is at most about I plus the post.
"""

import json
import statistics


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def expected_entries(feedset, cutoff):
    expected = {}
    for index, serves in feedset.serves.items():
        feed = feedset.feeds[index]
        first = serves[0][1]
        for t, newest in serves[1:]:
            if t > cutoff:
                break
            low = max(first + 1, newest - feedset.window(feed) + 1)
            for k in range(low, newest + 1):
                expected.setdefault((index, k), feed.kind)
    return expected


def delivery_figures(feedset, sink, cutoff, published_from=None):
    """Delivery figures; latencies count only entries published at or after `published_from`
    (the end of the warm-up), when given."""
    expected = expected_entries(feedset, cutoff)
    first_seen = {index: serves[0][1] for index, serves in feedset.serves.items()}
    posted = {}
    for t, index, k, _path in sink.posts:
        posted.setdefault((index, k), []).append(t)
    latencies = {"normal": [], "all": []}
    for key, kind in expected.items():
        published = feedset.published_at(feedset.feeds[key[0]], key[1])
        if key in posted and (published_from is None or published >= published_from):
            delay = min(posted[key]) - published
            latencies["all"].append(delay)
            if kind == "normal":
                latencies["normal"].append(delay)
    old = sum(1 for (index, k) in posted if k <= first_seen.get(index, k))
    return {
        "expected": len(expected),
        "posted_unique": len(posted),
        "duplicates": sum(len(times) - 1 for times in posted.values()),
        "lost": sum(1 for key in expected if key not in posted),
        "old_posted": old,
        "sink_refused": sink.refused,
        "sink_unreadable": sink.unreadable,
        "latency_p50_s": percentile(latencies["normal"], 50),
        "latency_p99_s": percentile(latencies["normal"], 99),
        "latency_max_s": max(latencies["normal"], default=None),
        "latency_all_kinds_p99_s": percentile(latencies["all"], 99),
    }


def poll_figures(feedset, running, t_end):
    requests = [r for r in feedset.requests if r[0] <= t_end]
    by_status = {}
    for _, _, status in requests:
        by_status[str(status or "hang")] = by_status.get(str(status or "hang"), 0) + 1
    seen, first_round = set(), None
    for t, index, _ in requests:
        seen.add(index)
        if len(seen) == len(feedset.feeds):
            first_round = t
            break
    start, end = running.samples[0] if running.samples else None, running.at(t_end)
    figures = {
        "polls": len(requests),
        "responses": by_status,
        "first_poll_s": _since(feedset.first_request, running.started),
        "first_round_s": _since(first_round, running.started),
        "peak_rss_mb": round(max((s.hwm_kb for s in running.samples), default=0) / 1024, 1),
        "rss_end_mb": round(end.rss_kb / 1024, 1) if end else None,
        "threads_max": max((s.threads for s in running.samples), default=0),
    }
    elapsed = t_end - running.started
    figures["polls_per_s"] = round(len(requests) / elapsed, 1) if elapsed > 0 else None
    if end and start:
        figures["cpu_s"] = round(end.cpu, 2)
        figures["cpu_sys_s"] = round(end.sys, 2)
        figures["context_switches"] = end.switches
        figures["cpu_s_per_1000_polls"] = _per_thousand(end.cpu, len(requests))
    steady_from = running.at(first_round) if first_round else None
    if end and steady_from and end.t - steady_from.t > 10:
        steady_polls = sum(1 for r in requests if r[0] > steady_from.t)
        figures["steady_window_s"] = round(end.t - steady_from.t, 1)
        figures["steady_polls"] = steady_polls
        figures["cpu_s_per_1000_polls_steady"] = _per_thousand(end.cpu - steady_from.cpu,
                                                               steady_polls)
    return figures


def window_figures(feedset, running, t_from, t_end):
    """Polls and CPU between the end of the warm-up and the end of the run."""
    start, end = running.at(t_from), running.at(t_end)
    if not (start and end) or end.t - start.t <= 0:
        return {}
    polls = sum(1 for r in feedset.requests if start.t < r[0] <= end.t)
    return {
        "measured_s": round(end.t - start.t, 1),
        "measured_polls": polls,
        "measured_polls_per_s": round(polls / (end.t - start.t), 1),
        "measured_cpu_s": round(end.cpu - start.cpu, 2),
        "measured_cpu_s_per_1000_polls": _per_thousand(end.cpu - start.cpu, polls),
        "measured_context_switches_per_s": round((end.switches - start.switches)
                                                 / (end.t - start.t), 1),
    }


# Figures whose every run is printed beside the median.
SHOWN_PER_RUN = ("measured_cpu_s_per_1000_polls", "cpu_s_per_1000_polls_steady", "peak_rss_mb",
                 "latency_p99_s", "measured_polls_per_s", "posted_unique", "duplicates")


def medians(results):
    """Per program, the median of every numeric figure over its runs."""
    by_program = {}
    for result in results:
        by_program.setdefault(result["program"], []).append(result)
    table = []
    for program, runs in by_program.items():
        row = {"program": f"{program} (median of {len(runs)})"}
        for key in runs[0]:
            values = [r.get(key) for r in runs]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                row[key] = statistics.median(values)
                if key in SHOWN_PER_RUN:
                    row[f"{key} (runs)"] = " ".join(_cell(v) for v in values)
        table.append(row)
    return table


def _since(t, origin):
    return None if t is None else round(t - origin, 3)


def _per_thousand(cpu, polls):
    return round(1000 * cpu / polls, 4) if polls else None


def dump_records(path, feedset, sink, running):
    """Everything a run recorded, for a second look at a figure."""
    with open(path, "w") as f:
        json.dump({
            "started": running.started,
            "feeds": [[feed.kind, feed.offset, feed.publishes] for feed in feedset.feeds],
            "requests": feedset.requests,
            "serves": feedset.serves,
            "posts": sink.posts,
            "samples": [list(vars(sample).values()) for sample in running.samples],
        }, f)


def print_table(results):
    """One column per program run, one row per figure."""
    keys = []
    for result in results:
        keys += [k for k in result if k not in keys]
    width = max(len(k) for k in keys) + 2
    columns = [max(14, len(str(r.get("program", "")))) for r in results]
    for key in keys:
        cells = [_cell(r.get(key)).rjust(w) for r, w in zip(results, columns)]
        print(key.ljust(width) + "  ".join(cells))


def _cell(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in sorted(value.items()))
    return "-" if value is None else str(value)
