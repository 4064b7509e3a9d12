"""What the benchmarks share: machine facts, local Streamlit servers on free ports, CPU of a process, summaries.

Benchmarks print figures with their target and never assert them. Every server they start listens on
127.0.0.1 only and is stopped by its own process id when the benchmark ends.
"""

import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
KB = 1024


def _exit_on_sigterm(signum, frame) -> None:
    """Turn SIGTERM into SystemExit, so that the servers a benchmark started are stopped on the way out."""
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _first_line(command: list[str]) -> str:
    """Return the first line a command prints, or « ? »."""
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=20).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def machine_facts() -> list[str]:
    """Describe the machine and its load, in French, one fact per line."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    versions = []
    for module in ("streamlit", "plotly", "duckdb", "pandas"):
        try:
            versions.append(f"{module} {__import__(module).__version__}")
        except ImportError:
            versions.append(f"{module} absent")
    commit = _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    return [
        f"Date : {datetime.now():%Y-%m-%d %H:%M} · commit {commit}",
        f"Machine : {cpu}, {os.cpu_count()} cœurs, {memory} Go de mémoire, {platform.system()} {platform.release()}",
        f"Charge moyenne (1, 5, 15 min) au départ : {load} (autres processus de la machine compris)",
        f"Python {platform.python_version()} · {' · '.join(versions)} · {_first_line([CHROMIUM, '--version'])}",
    ]


def print_facts(title: str) -> None:
    """Print a benchmark title and the machine facts."""
    print(title)
    for line in machine_facts():
        print(f"  {line}")
    print()


def load_now() -> str:
    """Return the current one-minute load average, formatted."""
    return f"{os.getloadavg()[0]:.2f}"


def free_port() -> int:
    """Ask the system for a free local port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen | None = None, seconds: float = 90) -> None:
    """Wait until url answers 200; fail early if the process we started has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"le processus {process.args} s'est arrêté (code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} ne répond pas après {seconds:.0f} s")


def streamlit_command(script: Path, port: int) -> list[str]:
    """Return the command that starts a Streamlit app the way scripts/run.sh does, on a given local port."""
    return [PYTHON, "-m", "streamlit", "run", str(script), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true"]


@contextmanager
def streamlit_server(script: Path, env: dict | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start one Streamlit app from the repository root on a free port; yield (base URL, process); stop it."""
    port = free_port()
    process = subprocess.Popen(streamlit_command(script, port), cwd=REPO, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{base}/_stcore/health", process)
        yield base, process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop a process this benchmark started, by its id."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far, threads included (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def private_store() -> Path:
    """Build a store from data/ in a temporary folder (the shipped files; contours from the contour folders)."""
    import tempfile

    sys.path.insert(0, str(REPO))
    from qpv.store.build import build
    from qpv.store.paths import data_dir

    folder = Path(tempfile.mkdtemp(prefix="qpv-bench-"))
    return build(data_dir(), folder / "qpv.duckdb")


def median(values: list[float]) -> float:
    """Return the median, NaN for no value."""
    return statistics.median(values) if values else float("nan")


def spread(values: list[float], scale: float = 1.0, digits: int = 0) -> str:
    """Write « median (min–max) » of values multiplied by scale."""
    if not values:
        return "—"
    low, mid, high = min(values) * scale, median(values) * scale, max(values) * scale
    return f"{mid:,.{digits}f} ({low:,.{digits}f}–{high:,.{digits}f})".replace(",", "\u202f")


def ratio(product: list[float], floor: list[float]) -> float:
    """Return median(product) / median(floor)."""
    return median(product) / median(floor) if product and floor and median(floor) > 0 else float("nan")


def verdict(value: float, target: float) -> str:
    """Say whether a measure meets its target (lower is better)."""
    if value != value:  # NaN
        return "non mesuré"
    return "atteint" if value <= target else "NON ATTEINT"
