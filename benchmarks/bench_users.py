"""Simultaneous users: one Streamlit process against the deployment (scripts/serve.sh: N processes behind Caddy).

Run: .venv/bin/python benchmarks/bench_users.py [--users 1 20] [--loads 3] [--workers 2] [--rounds 2] [--page ""]

Each simulated user is a websocket client speaking Streamlit's own protocol, as the browser does: it fetches
the page (HTML, keeping the proxy's sticky cookie), opens the websocket, asks for the page's script run and
reads every message until the server says the run finished. One « load » is that whole exchange: the
server's share of a page load (no browser rendering, static files assumed cached). Each user makes --loads
loads one after the other; the users run at the same time. Both targets are up during the whole benchmark
and measured alternately (single process then deployment, then the reverse), on a store built from data/.
Everything listens on 127.0.0.1 and every process started here is stopped by its id at the end.

Prints p50 / p95 / max load time, loads per second and server CPU per load (user + system time of the
Streamlit processes, /proc), with the targets of issue 13 (20 simultaneous sessions measured on both,
p95 reported; per-run server CPU at least halved in the second round). Never asserts anything.
"""

import argparse
import asyncio
import http.cookiejar
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import websockets
from harness import (
    REPO,
    cpu_seconds,
    free_port,
    load_now,
    print_facts,
    private_store,
    stop,
    streamlit_server,
    wait_healthy,
)
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

LOAD_TIMEOUT_S = 120


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of values (share in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


async def one_load(base: str, page: str, opener: urllib.request.OpenerDirector,
                   jar: http.cookiejar.CookieJar) -> float:
    """Fetch the page, open the websocket, run the page's script; return the seconds it took."""
    start = time.perf_counter()
    await asyncio.to_thread(lambda: opener.open(f"{base}/{page}", timeout=LOAD_TIMEOUT_S).read())
    cookie = "; ".join(f"{item.name}={item.value}" for item in jar)
    request = BackMsg()
    request.rerun_script.page_name = page
    request.rerun_script.query_string = ""
    async with websockets.connect(base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  additional_headers={"Cookie": cookie} if cookie else None, max_size=None,
                                  open_timeout=LOAD_TIMEOUT_S) as socket:
        await socket.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            if message.WhichOneof("type") == "script_finished":
                if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return time.perf_counter() - start
                if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("erreur de compilation du script")


async def one_user(base: str, page: str, loads: int, into: list[float]) -> None:
    """One user: several loads in a row, keeping cookies like a browser."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for _ in range(loads):
        into.append(await asyncio.wait_for(one_load(base, page, opener, jar), LOAD_TIMEOUT_S))


def crowd(base: str, page: str, users: int, loads: int, pids: list[int]) -> tuple[list[float], float, list[float]]:
    """Run users at once; return their load times, the wall time and the CPU seconds each server process used."""
    times: list[float] = []
    cpu_before = [cpu_seconds(pid) for pid in pids]
    start = time.perf_counter()

    async def everyone() -> None:
        await asyncio.gather(*(one_user(base, page, loads, times) for _ in range(users)))

    asyncio.run(everyone())
    return times, time.perf_counter() - start, [cpu_seconds(pid) - before for pid, before in zip(pids, cpu_before,
                                                                                                   strict=True)]


def streamlit_pids(ports: list[int]) -> list[int]:
    """Find the Streamlit processes listening on the given ports (from their command lines)."""
    wanted = {str(port) for port in ports}
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [arg.decode(errors="replace") for arg in args]
        if "streamlit" in words and "--server.port" in words:
            port = words[words.index("--server.port") + 1]
            if port in wanted:
                found.append(int(entry.name))
    return found


def start_deployment(workers: int, store: Path) -> tuple[str, subprocess.Popen, list[int]]:
    """Start scripts/serve.sh with free ports; return the proxy URL, the script's process, the backend ports."""
    backends = []
    while len(backends) < workers:
        port = free_port()
        if port not in backends:
            backends.append(port)
    proxy_port = free_port()
    env = {**os.environ, "QPV_DATABASE": str(store), "QPV_BACKEND_PORTS": " ".join(map(str, backends))}
    process = subprocess.Popen(["bash", "scripts/serve.sh", str(workers), str(proxy_port)], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{proxy_port}"
    wait_healthy(f"{base}/_stcore/health", process, seconds=180)
    for port in backends:
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", process)
    return base, process, backends


def line(label: str, users: int, times: list[float], wall: float, cpus: list[float]) -> None:
    """Print one measurement; with several processes, the share of the CPU each used."""
    cpu = sum(cpus)
    shares = (" (" + " / ".join(f"{part / cpu:.0%}" for part in cpus) + ")") if len(cpus) > 1 and cpu else ""
    print(f"  {label:<28} {users:>3} utilisateurs · {len(times):>3} chargements · "
          f"p50 {statistics.median(times) * 1000:>6.0f} ms · p95 {percentile(times, 0.95) * 1000:>6.0f} ms · "
          f"max {max(times) * 1000:>6.0f} ms · {len(times) / wall:5.1f} chargements/s · "
          f"CPU serveur {cpu / len(times) * 1000:5.0f} ms/chargement{shares} · charge {load_now()}", flush=True)


def main() -> None:
    """Measure a crowd against one process and against the deployment, alternately."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20], help="utilisateurs simultanés")
    parser.add_argument("--loads", type=int, default=3, help="chargements par utilisateur")
    parser.add_argument("--workers", type=int, default=2, help="processus Streamlit derrière Caddy")
    parser.add_argument("--rounds", type=int, default=2, help="tours alternés")
    parser.add_argument("--page", default="", help="page (chemin de l'adresse ; défaut : Carte)")
    args = parser.parse_args()
    print_facts("Utilisateurs simultanés : un processus Streamlit face au déploiement (Caddy + processus)")
    print(f"Page « /{args.page} » · {args.loads} chargements par utilisateur · {args.rounds} tours alternés · "
          f"déploiement : bash scripts/serve.sh {args.workers} · clients websocket dans un seul processus "
          f"Python sur la même machine.\n")
    store = private_store()
    deployment = None
    try:
        with streamlit_server(REPO / "dashboard.py", {"QPV_DATABASE": str(store)}) as (single_url, single):
            proxy_url, deployment, backends = start_deployment(args.workers, store)
            targets = {"un processus": (single_url, [single.pid]),
                       f"Caddy + {args.workers} processus": (proxy_url, streamlit_pids(backends))}
            for url in [single_url, *(f"http://127.0.0.1:{port}" for port in backends)]:  # warm every process
                crowd(url, args.page, 1, 1, [])
            results: dict[tuple[str, int], list] = {}
            for round_number in range(args.rounds):
                names = list(targets) if round_number % 2 == 0 else list(targets)[::-1]
                for users in args.users:
                    for name in names:
                        url, pids = targets[name]
                        times, wall, cpu = crowd(url, args.page, users, args.loads, pids)
                        line(name, users, times, wall, cpu)
                        results.setdefault((name, users), []).append((times, wall, cpu))
            print("\nTous tours confondus :")
            for (name, users), runs in sorted(results.items(), key=lambda item: (item[0][1], item[0][0])):
                times = [value for run in runs for value in run[0]]
                cpus = [sum(values) for values in zip(*(run[2] for run in runs), strict=True)]
                line(name, users, times, sum(run[1] for run in runs), cpus)
    finally:
        if deployment is not None:
            stop(deployment)
    print("\nCible (issue 13) : 20 sessions simultanées mesurées sur un processus et sur le déploiement, p95 "
          "rapporté ; CPU serveur par exécution au moins divisé par deux (second tour). Jamais vérifié par un test.")


if __name__ == "__main__":
    sys.exit(main())
