"""Portal load test (门户压力测试, issue 11): many concurrent anonymous GETs of the public
penalty-decision list against a running server, with and without the page cache.

    # a server on the demo database (e.g. the small demo), in another shell:
    FAZHI_VAR_DIR=/tmp/portal DJANGO_SETTINGS_MODULE=fazhi.settings.local DEBUG=0 \\
        .venv/bin/python manage.py runserver 127.0.0.1:8772 --noreload --insecure
    .venv/bin/python benchmarks/bench_portal.py --base-url http://127.0.0.1:8772 \\
        [--requests 2000] [--concurrency 32]

Prints requests per second and latency percentiles of /public/decisions/ (cached: the
same page; uncached: `?q=` with a different term each time, which misses the cache),
and the status codes seen. Only the standard library is used (threads + urllib).
A script, not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor


def fetch(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def run(urls: list[str], concurrency: int) -> tuple[float, list[float], Counter]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(fetch, urls))
    elapsed = time.perf_counter() - started
    return elapsed, [t for _, t in results], Counter(s for s, _ in results)


def report(label: str, n: int, elapsed: float, times: list[float], codes: Counter) -> None:
    times = sorted(times)
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000  # noqa: E731
    print(f"{label}: {n} requests in {elapsed:.1f} s = {n / elapsed:.0f} req/s; "
          f"median {statistics.median(times) * 1000:.1f} ms, p95 {p(0.95):.1f} ms, "
          f"p99 {p(0.99):.1f} ms; status {dict(codes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8772")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    fetch(f"{base}/public/decisions/")  # warm the cache
    cached = [f"{base}/public/decisions/"] * args.requests
    report("cached   /public/decisions/", args.requests, *run(cached, args.concurrency))
    n = max(args.requests // 10, 50)
    uncached = [f"{base}/public/decisions/?q=%E5%85%AC%E5%8F%B8{i}" for i in range(n)]
    report("uncached /public/decisions/?q=…", n, *run(uncached, args.concurrency))


if __name__ == "__main__":
    main()
