"""Profile one page's script run on the server side (cProfile), warm, as when the user changes the indicator.

Run: .venv/bin/python benchmarks/profile_page.py [--page comparer] [--runs 3] [--top 25]

Runs dashboard.py on the page under Streamlit's AppTest (no browser) on a store built from data/ in a
temporary folder (CABBALR, 2024): one run to warm the caches, then --runs reruns, each after picking the
next indicator in the sidebar. Prints the wall and CPU time of each rerun, then the functions that took the
most time in the script thread over those reruns (cumulative, then own time). For the record before and
after a change; never asserts anything.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import threading
import time
from pathlib import Path

from harness import REPO, print_facts, private_store

sys.path.insert(0, str(REPO))


def main() -> None:
    """Warm the page, then profile reruns that change the indicator."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", default="comparer", help="page (nom du fichier de app_pages/)")
    parser.add_argument("--runs", type=int, default=3, help="réexécutions profilées")
    parser.add_argument("--top", type=int, default=25, help="fonctions affichées")
    args = parser.parse_args()
    print_facts(f"Profil du script de la page « {args.page} » (AppTest, côté serveur, à chaud)")
    os.environ["QPV_DATABASE"] = str(private_store())
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    app.switch_page(f"app_pages/{args.page}.py")
    app.run()
    from qpv.store.reader import open_store

    with open_store(db_path=Path(os.environ["QPV_DATABASE"])) as reader:
        frame = reader.query("qpv_comparison", epci="200072460", period="2024")
    ids = frame.drop_duplicates("indicator_id").sort_values("sort_order")["indicator_id"].tolist()
    profiler = cProfile.Profile()
    for run in range(args.runs):
        indicator = app.sidebar.selectbox(key="sel_indicator")
        indicator.set_value(ids[(ids.index(indicator.value) + 1) % len(ids)] if indicator.value in ids else ids[0])
        # The script runs in its own thread: enable the profiler there, on its first event.
        threading.setprofile(lambda *_: profiler.enable())
        wall, cpu = time.perf_counter(), time.process_time()
        app.run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        threading.setprofile(None)
        print(f"  réexécution {run + 1} : {wall * 1000:6.0f} ms (CPU du processus {cpu * 1000:6.0f} ms, "
              f"profilage compris), exceptions : {len(app.exception)}")
    profiler.disable()
    for order, label in (("cumulative", "temps cumulé"), ("tottime", "temps propre")):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(args.top)
        body = stream.getvalue()
        print(f"\nFonctions du thread du script, par {label} ({args.runs} réexécutions) :")
        print(body[body.find("   ncalls"):].rstrip())


if __name__ == "__main__":
    main()
