"""The deployment of scripts/serve.sh: two Streamlit processes behind Caddy, sticky sessions, health checks.

Starts the one documented command on free local ports (loopback only) and stops it by its process id.
"""

import asyncio
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from qpv.store.paths import REPO

if shutil.which("caddy") is None:
    if os.environ.get("CI"):
        raise RuntimeError("Caddy est requis en CI : lancez bash scripts/test.sh, qui l'installe.")
    pytest.skip("Caddy absent : lancez bash scripts/test.sh, qui l'installe.", allow_module_level=True)

COOKIE = "qpv_backend"


def free_port() -> int:
    """Ask the system for a free local port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    """Wait until url answers, failing early if the deployment stopped."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "scripts/serve.sh s'est arrêté"
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} ne répond pas")


@pytest.fixture(scope="module")
def deployment(store):
    """Run bash scripts/serve.sh 2 PORT on the session store; yield (proxy URL, backend ports)."""
    backends = [free_port(), free_port()]
    while backends[0] == backends[1]:
        backends[1] = free_port()
    port = free_port()
    env = {**os.environ, "QPV_DATABASE": str(store), "QPV_BACKEND_PORTS": " ".join(map(str, backends))}
    process = subprocess.Popen(["bash", "scripts/serve.sh", "2", str(port)], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for backend in backends:
            wait_for(f"http://127.0.0.1:{backend}/_stcore/health", process)
        wait_for(f"{base}/_stcore/health", process)
        yield base, backends
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """GET url; return the backend that answered and the sticky cookie it set, if any."""
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        set_cookie = response.headers.get("Set-Cookie") or ""
        value = set_cookie.split(";")[0].split("=", 1)[1] if set_cookie.startswith(f"{COOKIE}=") else None
        return response.headers["X-Qpv-Backend"], value


async def run_page(base: str, cookie: str) -> int:
    """Open the websocket through the proxy and run the Carte script; return the finish status."""
    request = BackMsg()
    request.rerun_script.page_name = ""
    async with websockets.connect(base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  additional_headers={"Cookie": f"{COOKIE}={cookie}"}, max_size=None) as socket:
        await socket.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(socket.recv(), 60))
            if message.WhichOneof("type") == "script_finished":
                return message.script_finished


def backend_pid(port: int) -> int:
    """Find the Streamlit process the deployment started on a port."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                words = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if "streamlit" in words and "--server.port" in words and words[words.index("--server.port") + 1] == str(
                    port):
                return int(entry.name)
    raise AssertionError(f"aucun processus Streamlit sur le port {port}")


def test_sessions_stick_to_one_process_and_survive_its_loss(deployment):
    base, backends = deployment
    first, cookie = get(base + "/")
    assert cookie and first in {f"127.0.0.1:{port}" for port in backends}
    # The same browser always lands on the same process, websocket included; new browsers use both.
    assert {get(base + "/", cookie)[0] for _ in range(8)} == {first}
    assert asyncio.run(run_page(base, cookie)) == ForwardMsg.FINISHED_SUCCESSFULLY
    assert {get(base + "/")[0] for _ in range(30)} == {f"127.0.0.1:{port}" for port in backends}
    # A process that dies gets no more requests: its sessions go to the other one at once.
    os.kill(backend_pid(int(first.rsplit(":", 1)[1])), 15)
    time.sleep(1)
    answered = {get(base + "/", cookie)[0] for _ in range(5)}
    assert answered and first not in answered
