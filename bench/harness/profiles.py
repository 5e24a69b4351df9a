"""Named load profiles: sets of option defaults that an explicit option still overrides.

    light  the first load measured (docs/performance.md): 1,000 of the feeds publish an entry every
           2 minutes, the rest never change, 25 entries of ~600 bytes, 8 ports, 10 channels.
    heavy  issue 14's load: every feed publishes an entry every ~5 minutes (≈ 33 new entries/s at
           10,000 feeds), 20 entries per ~10 KB document, 0.5 % of the feeds ~2 MB documents, 2 %
           slow (2 s), 2 % answering 500 to every other request, all on one loopback port, feedhook
           given `[fetch] concurrency = 64, per_host = 64` (rss-forwarder has no per-host cap),
           100 generic channels, a 60 s warm-up then 90 s measured, publishing until the end.
"""

PROFILES = {
    "light": {},
    "heavy": {
        "publishing": 10**9,  # every feed that is not faulty
        "period": 300,
        "window": 20,
        "entry_bytes": 240,  # 20 items of ~500 bytes each: a ~10 KB document
        "mix": "faults",
        "fault_share": ["big=0.005", "slow=0.02", "e500=0.02"],
        "slow_delay": 2.0,
        "sink_500": 0.0,
        "sink_429": 0.0,
        "ports": 1,
        "concurrency": 64,
        "per_host": 64,
        "channels": 100,
        "interval": 60,
        "warmup": 60,
        "duration": 90,
        # Publishing goes on to the end; entries served in the last `grace` seconds are not
        # counted as lost, and entries never served are not expected.
        "drain": 0,
    },
}


def fault_counts(opts, count):
    """How many feeds of each fault kind: `--fault-share KIND=SHARE` of `count`, else `--faulty`."""
    if not opts.fault_share:
        return None
    counts = {}
    for item in opts.fault_share:
        kind, _, share = item.partition("=")
        counts[kind] = round(float(share) * count)
    return counts
