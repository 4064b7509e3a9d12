"""Pages in a real browser against the floor: first load, warm rerun, websocket bytes and server CPU per rerun.

Run: .venv/bin/python benchmarks/bench_pages.py [--rounds 5] [--reruns 3] [--pages Carte Comparer] [--references]

Starts two servers the same way on free local ports: the floor (benchmarks/floor_app.py, a title and a
select box) and the dashboard (dashboard.py on a store built from data/ in a temporary folder). Headless
Chromium then loads each page of both, alternating (floor then product, product then floor on the next
round), each load in a fresh browser context (empty cache, new session, like a first visit):

- first load: from navigation start until the page is settled;
- warm rerun: pick in the sidebar an indicator not shown yet in the session (Présentation: next slide, with
  the PageDown key a presentation remote sends), from the click or key until settled;
- websocket bytes: what the server sends for one rerun;
- server CPU: user + system time of the server process for one rerun (/proc).

« Settled »: Streamlit has said the script finished, no element is stale or still waiting for its code
(Streamlit's placeholder), every plotly chart has drawn and every map has drawn (the Carte's, in its component
frame: its SVG first view, or MapLibre once started), in the page and in its component frames; the time is
that of the last DOM change or map repaint, read after 500 ms of quiet. The Carte's map starts MapLibre when
it is used (qpv/app/map_frontend/map.js): after its first load, the pointer comes over the map and the time
until MapLibre has replaced the first view is printed as « carte interactive »; its reruns follow on MapLibre.
Prints medians with min–max and the ratio product / floor with the targets of issue 13 (first load ≤ 1,5× the
floor, warm rerun ≤ 3× the floor, changing the indicator on the map ≤ 30 KB sent). Never asserts anything.

--references measures, instead of the dashboard's pages, reference pages served by the floor app (see
floor_app.py): the floor with 20 or 40 paragraphs, with one bar chart (plotly.js basic through the dashboard's
chart component, or st.plotly_chart), and with both. They tell what Streamlit itself costs for as much
content as a page of the dashboard holds, against the same floor and the same targets.
"""

import argparse
import atexit
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FLOOR_APP,
    KB,
    REPO,
    cpu_seconds,
    load_now,
    median,
    print_facts,
    private_store,
    ratio,
    spread,
    streamlit_server,
    verdict,
)
from page_probes import BROKEN, OBSERVER, SETTLED
from playwright.sync_api import Browser, Page, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

TARGET_LOAD, TARGET_RERUN, TARGET_MAP_BYTES = 1.5, 3.0, 30
REFERENCES = [("Témoin : 20 paragraphes", "/?paragraphes=20"), ("Témoin : 40 paragraphes", "/?paragraphes=40"),
              ("Témoin : un graphique (plotly.js basique, composant du tableau de bord)", "/?graphique=basique"),
              ("Témoin : un graphique (st.plotly_chart)", "/?graphique=streamlit"),
              ("Témoin : 40 paragraphes et un graphique basique", "/?paragraphes=40&graphique=basique")]
QUIET_MS = 500
MAP_FRAME = "iframe[title^='Carte des quartiers']"
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}

@dataclass
class Samples:
    """Measures of one app on one page."""

    load_ms: list[float] = field(default_factory=list)
    rerun_ms: list[float] = field(default_factory=list)
    rerun_bytes: list[int] = field(default_factory=list)
    rerun_cpu_ms: list[float] = field(default_factory=list)
    load_bytes: list[int] = field(default_factory=list)
    wake_ms: list[float] = field(default_factory=list)  # pointer over the map until MapLibre has drawn (Carte)


class Probe:
    """One browser tab on one app, counting websocket bytes and finished script runs."""

    def __init__(self, browser: Browser):
        self.context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
        self.context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
                           else route.abort())
        self.context.add_init_script(OBSERVER)
        self.page: Page = self.context.new_page()
        self.received = 0
        self.finished = 0
        self.seen: set[str] = set()  # indicators already shown in this session
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        """Count a frame from the server; notice the end of a script run."""
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.received += len(data)
        message = ForwardMsg()
        try:
            message.ParseFromString(data)
        except Exception:  # noqa: BLE001 - not a ForwardMsg: count its bytes only
            return
        if message.WhichOneof("type") == "script_finished" and message.script_finished in FINISHED:
            self.finished += 1

    def wait_finished(self, count: int, timeout_s: float = 60) -> None:
        """Let Playwright deliver events until the server has finished count script runs."""
        waited = 0.0
        while self.finished < count:
            self.page.wait_for_timeout(20)
            waited += 0.02
            if waited > timeout_s:
                raise RuntimeError("le script ne s'est pas terminé à temps")

    def settled_at(self) -> float:
        """Wait for the page to settle; return the page time (ms) of its last change; refuse a broken page."""
        handle = self.page.wait_for_function(SETTLED, arg=QUIET_MS, polling="raf", timeout=60000)
        broken = self.page.evaluate(BROKEN)
        if broken:
            raise RuntimeError(f"page non mesurable ({self.page.url}) : {broken}")
        return float(handle.json_value())

    def close(self) -> None:
        """Close the tab and its context."""
        self.context.close()


def first_load(probe: Probe, url: str) -> tuple[float, int]:
    """Open url; return the time to settled (ms from navigation start) and the bytes received."""
    probe.page.goto(url)
    probe.wait_finished(1)
    return probe.settled_at(), probe.received


def map_in_use(probe: Probe) -> float | None:
    """Bring the pointer over the map's first view; return the ms until MapLibre has replaced it (None: no map).

    The Carte shows its map as SVG first (qpv/app/map_frontend/sketch.js); MapLibre is read and started when
    the map is used. This is what that first use costs; the reruns that follow are measured on MapLibre.
    """
    holder = probe.page.locator(MAP_FRAME)
    if not holder.count():
        return None
    frame = holder.element_handle().content_frame()
    frame.wait_for_function("() => window.qpvMapSketched || window.qpvMap", timeout=60000)
    start = probe.page.evaluate("() => performance.now()")
    holder.hover(position={"x": 4, "y": 4})
    frame.wait_for_function("() => window.qpvMap && window.qpvMap.loaded() && !document.querySelector('svg.sketch')",
                            timeout=60000)
    return probe.settled_at() - start


def options(page: Page, label: str) -> list[str]:
    """Open a select box of the sidebar and return the names of its options (the list stays open)."""
    page.locator('[data-testid="stSidebar"]').get_by_label(label, exact=True).click()
    listed = page.get_by_role("option")
    listed.first.wait_for(timeout=10000)
    return [name.strip() for name in listed.all_inner_texts()]


def interact(probe: "Probe", interaction: str) -> None:
    """Do the rerun action: pick an indicator not shown yet in this session, or go to the next slide.

    Never one already shown: the browser keeps the messages it has received and the server then sends a
    reference instead, which would hide what a new indicator costs.
    """
    page = probe.page
    if interaction == "slide":  # as a presentation remote does: a click would also leave the mouse on the
        page.keyboard.press("PageDown")  # button, whose help tooltip then opens 0,5 s later and counts as a change
        return
    names = options(page, "Indicateur")
    probe.seen.add(page.get_by_role("option", selected=True).first.inner_text().strip())
    choice = next((name for name in names if name not in probe.seen), names[-1])
    probe.seen.add(choice)
    page.evaluate("() => { window.__qpv.action = null; }")
    page.get_by_role("option", name=choice, exact=True).click()


def rerun(probe: Probe, pid: int, interaction: str) -> tuple[float, int, float]:
    """Change the indicator once; return (ms from the click to settled, bytes received, server CPU ms)."""
    before_bytes, before_runs, before_cpu = probe.received, probe.finished, cpu_seconds(pid)
    interact(probe, interaction)
    probe.wait_finished(before_runs + 1)
    last = probe.settled_at()
    cpu = cpu_seconds(pid) - before_cpu
    action = probe.page.evaluate("() => window.__qpv.action")
    return last - action, probe.received - before_bytes, cpu * 1000


def measure(browser: Browser, base: str, pid: int, path: str, interaction: str, reruns: int, into: Samples) -> None:
    """One round on one app: a first load in a fresh context, then reruns."""
    probe = Probe(browser)
    try:
        load_ms, load_bytes = first_load(probe, base + path)
        into.load_ms.append(load_ms)
        into.load_bytes.append(load_bytes)
        if (wake_ms := map_in_use(probe)) is not None:
            into.wake_ms.append(wake_ms)
        for _ in range(reruns):
            elapsed, sent, cpu = rerun(probe, pid, interaction)
            into.rerun_ms.append(elapsed)
            into.rerun_bytes.append(sent)
            into.rerun_cpu_ms.append(cpu)
    finally:
        probe.close()


def floor_script(references: bool) -> Path:
    """Return the floor app; for the reference pages, a copy next to the dashboard's static/ (the chart bundle).

    Streamlit serves static/ from the folder of the script it runs: the floor's chart needs plotly.js basic
    from there, as the dashboard's charts do. The copy lives in a temporary folder, removed at exit.
    """
    if not references:
        return FLOOR_APP
    folder = Path(tempfile.mkdtemp(prefix="qpv-floor-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copy(FLOOR_APP, folder / FLOOR_APP.name)
    (folder / "static").symlink_to(REPO / "static", target_is_directory=True)
    return folder / FLOOR_APP.name


def dashboard_pages() -> list[tuple[str, str, str]]:
    """Return (title, path, interaction) for every page registered in dashboard.py."""
    source = (REPO / "dashboard.py").read_text(encoding="utf-8")
    found = re.findall(r'st\.Page\("app_pages/([a-z_]+)\.py", title="([^"]+)"[^)]*?(default=True)?\)', source)
    return [(title, "/" if default else f"/{name}", "slide" if name == "presentation" else "indicator")
            for name, title, default in found]


def report(title: str, interaction: str, product: Samples, floor: Samples) -> None:
    """Print one page's figures against the floor, with the targets."""
    load_ratio, rerun_ratio = ratio(product.load_ms, floor.load_ms), ratio(product.rerun_ms, floor.rerun_ms)
    action = "diapositive suivante" if interaction == "slide" else "changer l'indicateur"
    print(f"{title} ({len(product.load_ms)} chargements, {len(product.rerun_ms)} réexécutions : {action})")
    print(f"  premier chargement ms   produit {spread(product.load_ms)} · plancher {spread(floor.load_ms)}"
          f" · rapport {load_ratio:.2f}× (cible ≤ {TARGET_LOAD}× : {verdict(load_ratio, TARGET_LOAD)})")
    if product.wake_ms:
        print(f"  carte interactive ms    produit {spread(product.wake_ms)} (du pointeur sur la carte à la carte "
              "MapLibre dessinée : son premier usage ; les réexécutions sont mesurées ensuite, sur MapLibre)")
    print(f"  réexécution ms          produit {spread(product.rerun_ms)} · plancher {spread(floor.rerun_ms)}"
          f" · rapport {rerun_ratio:.2f}× (cible ≤ {TARGET_RERUN:g}× : {verdict(rerun_ratio, TARGET_RERUN)})")
    sent = median(product.rerun_bytes) / KB
    target = (f" (cible carte ≤ {TARGET_MAP_BYTES} Ko : {verdict(sent, TARGET_MAP_BYTES)})"
              if title == "Carte" else "")
    print(f"  Ko reçus par réexécution produit {spread(product.rerun_bytes, 1 / KB, 1)} · "
          f"plancher {spread(floor.rerun_bytes, 1 / KB, 1)}{target}")
    print(f"  Ko reçus au chargement  produit {spread(product.load_bytes, 1 / KB)} · "
          f"plancher {spread(floor.load_bytes, 1 / KB)} (websocket seulement)")
    print(f"  CPU serveur par réexécution ms  produit {spread(product.rerun_cpu_ms)} · "
          f"plancher {spread(floor.rerun_cpu_ms)}")


def main() -> None:
    """Measure every page of the dashboard against the floor, alternating runs."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="chargements par page et par application")
    parser.add_argument("--reruns", type=int, default=3, help="réexécutions après chaque chargement")
    parser.add_argument("--pages", nargs="*", default=None, help="titres des pages à mesurer (défaut : toutes)")
    parser.add_argument("--references", action="store_true",
                        help="mesurer les pages témoins du plancher (contenu sans données) au lieu des pages")
    args = parser.parse_args()
    pages = [(*page, "product") for page in dashboard_pages() if not args.pages or page[0].split()[0] in args.pages
             or page[0] in args.pages]
    if args.references:
        pages = [(title, path, "indicator", "floor") for title, path in REFERENCES]
    print_facts("Pages du tableau de bord face au plancher (Streamlit minimal), Chromium sans écran")
    print(f"{args.rounds} tours par page, alternés (plancher puis produit, puis l'inverse), un contexte neuf par "
          f"chargement, {args.reruns} réexécutions par chargement, un tour de chauffe écarté. Données livrées.\n")
    store = private_store()
    with streamlit_server(floor_script(args.references)) as (floor_url, floor_process), \
            streamlit_server(REPO / "dashboard.py", {"QPV_DATABASE": str(store)}) as (app_url, app_process), \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        apps = {"floor": (floor_url, floor_process.pid), "product": (app_url, app_process.pid)}
        for title, path, interaction, served_by in pages:
            samples = {"floor": Samples(), "product": Samples()}
            plan = {"floor": (*apps["floor"], "/", "indicator"), "product": (*apps[served_by], path, interaction)}
            for name in plan:  # warm-up round: first imports, caches; not counted
                measure(browser, *plan[name], 1, Samples())
            for round_number in range(args.rounds):
                for name in ["floor", "product"] if round_number % 2 == 0 else ["product", "floor"]:
                    measure(browser, *plan[name], args.reruns, samples[name])
            report(title, interaction, samples["product"], samples["floor"])
            print(f"  (charge moyenne sur 1 min : {load_now()})", flush=True)
        browser.close()
    print("\nChiffres affichés, jamais vérifiés par un test. Produit / plancher = rapport des médianes.")


if __name__ == "__main__":
    sys.exit(main())
