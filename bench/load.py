#!/usr/bin/env python3
"""Load harness for feedhook (and, with --compare, another program under the same load).

Everything runs on 127.0.0.1 and every run is bounded in time. Scenarios:

  load     N synthetic feeds (some publishing, optional fault mix) and a webhook sink; runs the
           program for --duration seconds and reports polls/s, CPU-seconds per 1,000 polls,
           peak RSS, publish->post latency, duplicates and lost entries. With --instances N
           (and --store postgres), N `feedhook run` share one database: the same totals, and per
           instance its polls, feeds and channels held, CPU and peak RSS (the split).
  idle     N feeds with a long interval: after the first round, CPU time and wake-ups over
           --idle-window seconds in which no poll is due.
  startup  fills the state with N feeds (one full round), stops, adds one new feed and restarts:
           time from exec to that feed's first poll.
  once     `feedhook once` over N feeds that each answer after --slow-delay seconds.
  push     N feeds on a local WebSub hub, entries published at random and pushed (fat pings):
           notification->post latency, duplicates, lost entries (bench/harness/websub.py).
  changed  `feedhook once` twice over N feeds: the first run fills the state, the second finds every
           feed changed with --new entries each; --wrap runs the second under a profiler, e.g.
           "valgrind --tool=callgrind", whose instruction count is then reported.

--profile heavy sets issue 14's load (every feed publishing, ~10 KB documents, the fault mix, 100
channels, 60 s warm-up then 90 s measured; bench/harness/profiles.py); --runs N repeats every run
with seeds --seed .. --seed+N-1 and prints the median of each figure.

Examples (from the repository root, after `cargo build --release`):

  python3 bench/load.py load --feeds 1000 --duration 150
  python3 bench/load.py load --profile heavy --feeds 10000 --runs 3 \
      --compare "/work/rssf/bin/rss-forwarder {config}"
  python3 bench/load.py changed --profile heavy --feeds 200 \
      --wrap "valgrind --tool=callgrind --callgrind-out-file={workdir}/callgrind.out"
  python3 bench/load.py load --feeds 10000 --compare "/tmp/rssf/bin/rss-forwarder {config}"
  python3 bench/load.py load --feeds 1000 --mix faults
  python3 bench/load.py idle --feeds 1000 --idle-window 60
  python3 bench/load.py startup --feeds 10000
  python3 bench/load.py once --feeds 1000 --slow-delay 1 --ports 100
  python3 bench/load.py push --feeds 1000 --duration 120 --push-rate 20
  python3 bench/load.py load --feeds 10000 --store postgres   # state in PostgreSQL
  python3 bench/load.py load --feeds 10000 --store postgres --instances 3 --duration 150

See docs/performance.md for what each figure means and the results measured.
"""

import argparse
import asyncio
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import instances, pgstore, programs, report, websub  # noqa: E402
from harness.profiles import PROFILES  # noqa: E402
from harness.feeds import FeedSet  # noqa: E402
from harness.http import serve  # noqa: E402
from harness.sink import Sink  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


class Stage:
    """The servers of one program run: feed ports, the sink, and their records."""

    def __init__(self, opts, count, kind_override=None):
        self.opts = opts
        self.feeds = FeedSet(opts, count, int(time.time()), float("inf"), kind_override)
        self.sink = Sink(opts, opts.seed + 1)
        self.servers, self.ports, self.sink_port = [], [], None

    async def __aenter__(self):
        for _ in range(self.opts.ports):
            server, port = await serve(self.feeds.handle)
            self.servers.append(server)
            self.ports.append(port)
        server, self.sink_port = await serve(self.sink.handle)
        self.servers.append(server)
        return self

    async def __aexit__(self, *exc):
        for server in self.servers:
            server.close()

    def url(self, index):
        feed = self.feeds.feeds[index]
        return f"http://127.0.0.1:{self.ports[feed.port_slot]}/f/{index}.xml"

    def urls(self):
        return {i: self.url(i) for i in range(len(self.feeds.feeds))}

    @property
    def sink_base(self):
        return f"http://127.0.0.1:{self.sink_port}"

    def schedule_publishing(self, start, duration, drain):
        """Publishing starts now and stops `drain` seconds before the end of the run."""
        self.feeds.base = int(start)
        self.feeds.publish_until = start + duration - drain


def interval_text(seconds):
    return f"{int(seconds)}s"


def write_config(opts, stage, program, workdir, interval, fetch_defaults=False):
    config = workdir / f"{program.label}.toml"
    programs.write_config(program, config, stage.urls(), opts, stage.sink_base, interval,
                          workdir / f"{program.label}.db", fetch_defaults)
    pgstore.point_config(opts, config)
    return config


async def write_and_start(opts, stage, program, workdir, interval, command, fetch_defaults=False):
    config = write_config(opts, stage, program, workdir, interval, fetch_defaults)
    extra = [command] if program.fmt == "feedhook" and command else []
    return programs.start(program, config, workdir, extra)


async def progress(stage, running, until, every=15.0):
    """Waits until `until` or until the program dies, printing a line every `every` seconds."""
    next_line = time.time() + every
    while time.time() < until and running.process.poll() is None:
        await asyncio.sleep(0.25)
        if time.time() >= next_line:
            next_line += every
            sample = running.latest()
            print(f"  {running.program.label}: t={time.time() - running.started:5.0f}s "
                  f"polls={len(stage.feeds.requests)} posts={len(stage.sink.posts)} "
                  f"cpu={sample.cpu if sample else 0:.1f}s "
                  f"rss={(sample.rss_kb if sample else 0) / 1024:.0f}MB", flush=True)


async def scenario_load(opts, program, workdir):
    if opts.instances > 1 and program.fmt == "feedhook":
        return await scenario_load_shared(opts, program, workdir)
    drain = opts.drain if opts.drain is not None else opts.interval * 1.1 + opts.grace + 5
    total = opts.warmup + opts.duration
    load_before = os.getloadavg()
    async with Stage(opts, opts.feeds) as stage:
        running = await write_and_start(opts, stage, program, workdir,
                                        interval_text(opts.interval), "run")
        stage.schedule_publishing(running.started, total, drain)
        await progress(stage, running, running.started + total)
        died = running.process.poll()
        t_end = time.time()
        code = await programs.stop(running)
    result = load_result(opts, program, stage, running, t_end,
                         code if died is None else f"died early ({died})", load_before)
    report.dump_records(workdir / "records.json", stage.feeds, stage.sink, running)
    return result


def load_result(opts, program, stage, running, t_end, exit_status, load_before):
    """The figures of a load run; `running` is one program or the instances combined."""
    warm = running.started + opts.warmup
    result = {"scenario": "load", "program": program.label, "feeds": opts.feeds,
              "interval_s": opts.interval, "duration_s": round(t_end - running.started, 1),
              "warmup_s": opts.warmup, "mix": opts.mix, "seed": opts.seed,
              "publishing_feeds": sum(f.publishes for f in stage.feeds.feeds),
              "exit": exit_status,
              "loadavg_before": " ".join(f"{v:.2f}" for v in load_before),
              "loadavg_after": " ".join(f"{v:.2f}" for v in os.getloadavg())}
    result.update(report.poll_figures(stage.feeds, running, t_end))
    if opts.warmup > 0:
        result.update(report.window_figures(stage.feeds, running, warm, t_end))
    result.update(report.delivery_figures(stage.feeds, stage.sink, t_end - opts.grace,
                                          warm if opts.warmup > 0 else None))
    return result


async def scenario_load_shared(opts, program, workdir):
    """`load` with --instances N: N `feedhook run` on the same config and database."""
    drain = opts.drain if opts.drain is not None else opts.interval * 1.1 + opts.grace + 5
    total = opts.warmup + opts.duration
    load_before = os.getloadavg()
    async with Stage(opts, opts.feeds) as stage:
        config = write_config(opts, stage, program, workdir, interval_text(opts.interval))
        fleet = instances.start(program, config, workdir, opts.instances, ["run"])
        try:
            fleet.task = asyncio.create_task(
                instances.watch_leases(fleet, opts.pg_server, opts.store_database))
            stage.schedule_publishing(fleet.started, total, drain)
            await progress_shared(stage, fleet, fleet.started + total)
            died = fleet.died()
            t_end = time.time()
            final_held = await instances.held(opts.pg_server, opts.store_database)
            fleet.held_samples.append((time.time(), final_held))
            polls = dict(zip(fleet.ports, await asyncio.gather(
                *(instances.polls_counted(port) for port in fleet.ports))))
        finally:
            # Whatever failed in the harness, no instance outlives the run.
            if fleet.task:
                fleet.task.cancel()
            codes = await instances.stop(fleet)
    combined = instances.Combined(fleet)
    exit_status = " ".join(map(str, codes)) if died is None else f"died early ({died})"
    result = load_result(opts, program, stage, combined, t_end, exit_status, load_before)
    for key in ("peak_rss_mb", "rss_end_mb", "threads_max"):
        result[key] = f"{result[key]} (sum)"
    result["lease_claims"] = await instances.lease_claims(opts.pg_server, opts.store_database)
    result.update(instances.figures(fleet, final_held, polls, t_end, opts.feeds, opts.channels))
    report.dump_records(workdir / "records.json", stage.feeds, stage.sink, combined)
    if result["duplicates"] or result["lost"]:
        print(f"\n!!! {opts.instances} instances on one database: {result['duplicates']} "
              f"duplicate posts and {result['lost']} lost entries; both must be 0 !!!\n",
              file=sys.stderr, flush=True)
        result["sharing_failed"] = True
    if sum(result["instance_feeds_held"]) != opts.feeds:
        print(f"\n!!! the instances held {sum(result['instance_feeds_held'])} of {opts.feeds} "
              "feeds at the end: is this a binary that shares work (docs/scaling.md)? !!!\n",
              file=sys.stderr, flush=True)
        result["sharing_failed"] = True
    return result


async def progress_shared(stage, fleet, until, every=15.0):
    """`progress` for several instances: totals, and feeds held by each from the last sample."""
    next_line = time.time() + every
    while time.time() < until and fleet.alive():
        await asyncio.sleep(0.25)
        if time.time() >= next_line:
            next_line += every
            cpu = [m.latest().cpu if m.latest() else 0 for m in fleet.members]
            held = fleet.held_samples[-1][1] if fleet.held_samples else {}
            feeds = "/".join(str(held.get(pid, (0, 0))[0]) for pid in fleet.pids)
            print(f"  {fleet.program.label} x{len(fleet.members)}: "
                  f"t={time.time() - fleet.started:5.0f}s polls={len(stage.feeds.requests)} "
                  f"posts={len(stage.sink.posts)} cpu={'/'.join(f'{c:.1f}' for c in cpu)}s "
                  f"feeds held={feeds}", flush=True)


async def quiet(stage, running, settle, limit):
    """Waits until every feed was polled and neither feeds nor sink saw traffic for `settle` s."""
    count = len(stage.feeds.feeds)
    while time.time() < limit and running.process.poll() is None:
        last = max([stage.feeds.requests[-1][0] if stage.feeds.requests else 0,
                    stage.sink.last_post or 0])
        polled = len({r[1] for r in stage.feeds.requests}) if len(stage.feeds.requests) >= count \
            else 0
        if polled >= count and time.time() - last >= settle:
            return True
        await asyncio.sleep(0.5)
    return False


async def scenario_idle(opts, program, workdir):
    async with Stage(opts, opts.feeds) as stage:
        running = await write_and_start(opts, stage, program, workdir, "1h", "run")
        settled = await quiet(stage, running, 5.0, running.started + opts.timeout_run)
        before, polls_before = running.sample(), len(stage.feeds.requests)
        await asyncio.sleep(opts.idle_window if settled else 0)
        after, polls_after = running.sample(), len(stage.feeds.requests)
        code = await programs.stop(running)
    result = {"scenario": "idle", "program": program.label, "feeds": opts.feeds,
              "settled": settled, "exit": code}
    if settled and before and after:
        span = after.t - before.t
        result.update({
            "window_s": round(span, 1),
            "polls_in_window": polls_after - polls_before,
            "idle_cpu_s": round(after.cpu - before.cpu, 3),
            "idle_cpu_percent": round(100 * (after.cpu - before.cpu) / span, 3),
            "context_switches_per_s": round((after.switches - before.switches) / span, 2),
            "rss_mb": round(after.rss_kb / 1024, 1),
            "threads": after.threads,
        })
    return result


async def scenario_startup(opts, program, workdir):
    result = {"scenario": "startup", "program": program.label, "feeds": opts.feeds}
    async with Stage(opts, opts.feeds) as stage:
        if program.fmt == "feedhook":
            running = await write_and_start(opts, stage, program, workdir, "1h", "run")
            filled = await quiet(stage, running, 3.0, running.started + opts.timeout_run)
            result["fill_s"] = round(time.time() - running.started, 1)
            result["filled"] = filled
            await programs.stop(running)
        probe = stage.feeds.add_feed()
        polled_before = len(stage.feeds.requests)
        running = await write_and_start(opts, stage, program, workdir, "1h", "run")
        deadline = running.started + opts.timeout_run
        first = None
        while first is None and time.time() < deadline and running.process.poll() is None:
            first = next((r[0] for r in stage.feeds.requests[polled_before:] if r[1] == probe),
                         None)
            await asyncio.sleep(0.002)
        await asyncio.sleep(2.0)
        result["peak_rss_mb_at_start"] = round(
            max((s.hwm_kb for s in running.samples), default=0) / 1024, 1)
        result["exit"] = await programs.stop(running)
    first_any = next((r[0] for r in stage.feeds.requests[polled_before:]), None)
    result["to_first_poll_s"] = None if first_any is None else round(first_any - running.started, 3)
    result["to_new_feed_poll_s"] = None if first is None else round(first - running.started, 3)
    return result


async def scenario_once(opts, program, workdir):
    if program.fmt != "feedhook":
        return {"scenario": "once", "program": program.label, "skipped": "no `once` command"}
    async with Stage(opts, opts.feeds, kind_override="slow") as stage:
        running = await write_and_start(opts, stage, program, workdir, "1h", "once",
                                        fetch_defaults=not opts.fetch_table)
        code = await programs.wait_exit(running, opts.timeout_run)
        t_end = time.time()
        if code is None:
            code = f"killed after {opts.timeout_run}s ({await programs.stop(running)})"
    result = {"scenario": "once", "program": program.label, "feeds": opts.feeds,
              "answer_delay_s": opts.slow_delay, "ports": opts.ports,
              "fetch": "table" if opts.fetch_table else "defaults",
              "wall_s": round(t_end - running.started, 2), "exit": code}
    result.update(report.poll_figures(stage.feeds, running, t_end))
    return result


async def scenario_changed(opts, program, workdir):
    if program.fmt != "feedhook":
        return {"scenario": "changed", "program": program.label, "skipped": "no `once` command"}
    # A period far longer than the run, and no offsets: what is served changes only when told.
    opts.period = 10**6
    async with Stage(opts, opts.feeds) as stage:
        for feed in stage.feeds.feeds:
            feed.offset, feed.publishes = 0, True
        stage.feeds.base = int(time.time())
        filling = programs.Program(program.label, program.fmt, program.command, program.env)
        fill = await write_and_start(opts, stage, filling, workdir, "1h", "once")
        fill_code = await programs.wait_exit(fill, opts.timeout_run)
        stage.feeds.base -= opts.new * opts.period
        polls_before, posts_before = len(stage.feeds.requests), len(stage.sink.posts)
        running = await write_and_start(opts, stage, program, workdir, "1h", "once")
        code = await programs.wait_exit(running, opts.timeout_run)
        t_end = time.time()
        if code is None:
            code = f"killed after {opts.timeout_run}s ({await programs.stop(running)})"
    posts = stage.sink.posts[posts_before:]
    result = {"scenario": "changed", "program": program.label, "feeds": opts.feeds,
              "new_per_feed": opts.new, "window": opts.window, "fill_exit": fill_code,
              "exit": code, "wrap": program.wrap or "-",
              "polls": len(stage.feeds.requests) - polls_before,
              "posted": len(posts), "posted_unique": len({(p[1], p[2]) for p in posts}),
              "wall_s": round(t_end - running.started, 2),
              "cpu_s": round(running.samples[-1].cpu, 3) if running.samples else None,
              "peak_rss_mb": round(max((s.hwm_kb for s in running.samples), default=0) / 1024, 1)}
    stderr = (workdir / f"{program.label}.stderr.log").read_text(errors="replace")
    collected = re.findall(r"Collected : (\d+)", stderr)
    if collected:
        result["instructions"] = int(collected[-1])
        result["instructions_per_changed_poll"] = int(collected[-1]) // max(1, result["polls"])
    return result


SCENARIOS = {"load": scenario_load, "idle": scenario_idle, "startup": scenario_startup,
             "once": scenario_once, "changed": scenario_changed, "push": websub.scenario_push}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    p.add_argument("--profile", choices=sorted(PROFILES), default="light",
                   help="a set of defaults for the options below (bench/harness/profiles.py)")
    p.add_argument("--runs", type=int, default=1,
                   help="repeat with seeds SEED..SEED+RUNS-1 and print the medians")
    p.add_argument("--warmup", type=float, default=0,
                   help="load: seconds before the measured --duration (not counted in the "
                        "measured_* figures nor in latencies)")
    p.add_argument("--wrap", default="", metavar="CMD",
                   help="put CMD before feedhook's command line ({workdir} is replaced), e.g. "
                        "\"valgrind --tool=callgrind --callgrind-out-file={workdir}/cg.out\"")
    p.add_argument("--new", type=int, default=2, help="changed: new entries per feed")
    p.add_argument("--fault-share", action="append", metavar="KIND=SHARE",
                   help="faults: this share of the feeds of KIND (slow, e500, e429, hang, big), "
                        "instead of --faulty of each kind (repeatable)")
    p.add_argument("--binary", default=str(REPO / "target/release/feedhook"),
                   help="feedhook binary (default: target/release/feedhook)")
    p.add_argument("--compare", metavar="CMD",
                   help='a second program, e.g. "/tmp/rssf/bin/rss-forwarder {config}"')
    p.add_argument("--compare-format", default="rss-forwarder",
                   choices=["rss-forwarder", "feedhook"],
                   help="the config file the compared program reads (feedhook: CMD gets the "
                        "subcommand appended, e.g. \"other/feedhook -c {config}\")")
    p.add_argument("--compare-only", action="store_true", help="skip feedhook itself")
    p.add_argument("--compare-label", help="the compared program's name in the results")
    p.add_argument("--feeds", type=int, default=1000)
    p.add_argument("--interval", type=float, default=60, help="poll interval, seconds")
    p.add_argument("--duration", type=float, default=180, help="load run length, seconds")
    p.add_argument("--mix", choices=["clean", "faults"], default="clean",
                   help="faults: --faulty feeds of each fault kind, and a sink that refuses "
                        "some posts")
    p.add_argument("--faulty", type=int, default=10, help="feeds per fault kind")
    p.add_argument("--publishing", type=int, default=1000,
                   help="how many feeds publish entries during the run (fault feeds always do)")
    p.add_argument("--period", type=int, default=120,
                   help="seconds between two entries of a publishing feed")
    p.add_argument("--window", type=int, default=25, help="entries per document")
    p.add_argument("--entry-bytes", type=int, default=600, help="summary length per entry")
    p.add_argument("--big-bytes", type=int, default=2_000_000, help="size of the 'big' feeds")
    p.add_argument("--slow-delay", type=float, default=5.0, help="answer delay of slow feeds")
    p.add_argument("--retry-after", type=int, default=10, help="Retry-After of 429 feeds")
    p.add_argument("--timeout", type=int, default=30, help="feedhook's fetch timeout, seconds")
    p.add_argument("--ports", type=int, default=8, help="feeds are spread over this many ports")
    p.add_argument("--per-host", type=int, default=32, help="feedhook [fetch] per_host")
    p.add_argument("--concurrency", type=int, default=32, help="feedhook [fetch] concurrency")
    p.add_argument("--fetch-table", action="store_true",
                   help="once: write the [fetch] table (default: feedhook's defaults)")
    p.add_argument("--channels", type=int, default=10, help="feedhook channels (sink paths)")
    p.add_argument("--sink-500", type=float, default=0.05, help="faults: share of posts refused 500")
    p.add_argument("--sink-429", type=float, default=0.02, help="faults: share refused 429")
    p.add_argument("--grace", type=float, default=20,
                   help="entries served in the last GRACE seconds are not counted as lost")
    p.add_argument("--drain", type=float, help="seconds without publishing at the end "
                                               "(default: 1.1 x interval + grace + 5)")
    p.add_argument("--idle-window", type=float, default=60,
                   help="idle: the measured window, seconds")
    p.add_argument("--timeout-run", type=float, default=600,
                   help="bound on any wait for the program (idle settle, startup fill, once)")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                   help="set in every measured program's environment (repeatable), e.g. "
                        "MALLOC_ARENA_MAX=2 as the systemd unit sets it")
    p.add_argument("--push-rate", type=float, default=20,
                   help="push: entries published (and pushed) per second, at random")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workdir", help="where configs, state and logs go (default: a temp dir)")
    p.add_argument("--json", metavar="FILE", help="append each result as a JSON line")
    p.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite",
                   help="feedhook's state: its SQLite file, or a fresh PostgreSQL database "
                        "created and dropped around each run (bench/harness/pgstore.py)")
    p.add_argument("--pg-server", default="postgres://postgres@127.0.0.1:5432/postgres",
                   metavar="URL", help="--store postgres: the server to create the database on")
    p.add_argument("--instances", type=int, default=1, metavar="N",
                   help="load: run N `feedhook run` processes on the same config and database "
                        "(needs --store postgres) and report how they split the work "
                        "(bench/harness/instances.py)")
    chosen, _ = p.parse_known_args(argv)
    p.set_defaults(**PROFILES[chosen.profile])
    opts = p.parse_args(argv)
    if opts.instances < 1:
        p.error("--instances must be at least 1")
    if opts.instances > 1 and opts.store != "postgres":
        p.error(f"--instances {opts.instances} needs --store postgres: instances share their "
                "work through a PostgreSQL state, and a SQLite file has one writer")
    if opts.instances > 1 and opts.scenario != "load":
        p.error(f"--instances applies to the load scenario only, not {opts.scenario}")
    return opts


def programs_to_run(opts, workdir):
    env = dict(item.split("=", 1) for item in opts.env)
    chosen = []
    if not opts.compare_only:
        binary = Path(opts.binary).resolve()
        wrap = opts.wrap.replace("{workdir}", str(workdir / "feedhook"))
        chosen.append(programs.Program("feedhook", "feedhook", f"{binary} -c {{config}}", env,
                                       wrap))
    if opts.compare:
        label = opts.compare_label or (
            "rss-forwarder" if opts.compare_format == "rss-forwarder" else "compared")
        compared = programs.Program(label, opts.compare_format, opts.compare, env)
        if compared.missing():
            print(f"comparison skipped: {compared.missing()} not found", flush=True)
        else:
            chosen.append(compared)
    return chosen


async def main_async(opts):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    root = Path(opts.workdir) if opts.workdir else Path(tempfile.mkdtemp(prefix="feedhook-load-"))
    results, first_seed = [], opts.seed
    for run in range(opts.runs):
        opts.seed = first_seed + run
        run_dir = root / f"{opts.scenario}-seed{opts.seed}-{int(time.time())}"
        for program in programs_to_run(opts, run_dir):
            workdir = run_dir / program.label
            workdir.mkdir(parents=True)
            print(f"== {opts.scenario} / {program.label} ({opts.feeds} feeds, seed {opts.seed}) "
                  f"in {workdir}", flush=True)
            result = await pgstore.around(
                opts, program, lambda: SCENARIOS[opts.scenario](opts, program, workdir))
            result["workdir"] = str(workdir)
            results.append(result)
            if opts.json:
                with open(opts.json, "a") as f:
                    f.write(json.dumps(result) + "\n")
    report.print_table(results)
    if opts.runs > 1:
        print()
        report.print_table(report.medians(results))
    failed = [r["workdir"] for r in results if r.get("sharing_failed")]
    if failed:
        raise SystemExit(f"instances sharing a database posted an entry twice, lost one, or "
                         f"left feeds unheld: {', '.join(failed)}")


def main():
    opts = parse_args()
    asyncio.run(main_async(opts))


if __name__ == "__main__":
    main()
