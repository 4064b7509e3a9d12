"""What bench_pages.py runs in the page: when it has settled, whether it broke.

Plain JavaScript texts for Playwright's page.evaluate / wait_for_function / add_init_script.
"""

OBSERVER = """(() => {
  window.__qpv = {lastMutation: 0, lastRender: 0, lastBusy: 0, action: null};
  new MutationObserver(() => { window.__qpv.lastMutation = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  for (const kind of ['pointerdown', 'keydown'])
    window.addEventListener(kind, () => { window.__qpv.action = performance.now(); }, true);  // before the page's
})();"""

SETTLED = """(quiet) => {
  const q = window.__qpv, now = performance.now();
  let busy = !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-stale="true"]');
  // An element whose code is still loading (Streamlit's placeholder), or a page chart not drawn yet, is not settled:
  // without this, the quiet while a chart module loads (over 500 ms) counted as the end of the load.
  if (document.querySelector('[data-testid="stSkeleton"]')) busy = true;
  for (const chart of document.querySelectorAll('.qpv-chart'))  // one far below the screen waits to be seen
    if (!chart._fullLayout && !chart.textContent && !chart.dataset.waiting) busy = true;
  // Components draw in same-origin frames (the Carte map): their plots and DOM changes count too.
  const docs = [document], maps = [];
  let frameChange = 0;
  for (const frame of document.querySelectorAll('iframe')) {
    const doc = frame.contentDocument, win = frame.contentWindow;
    if (!doc || doc.readyState !== 'complete') { busy = true; continue; }
    if (doc.querySelector('#map') && !win.qpvMapPainted) busy = true;  // the map (SVG or MapLibre) not drawn
    if (win.qpvMap) maps.push(win.qpvMap);  // the Carte's own MapLibre map
    if (win.__qpv) frameChange = Math.max(frameChange,
      win.performance.timeOrigin + win.__qpv.lastMutation - performance.timeOrigin);
    docs.push(doc);
  }
  for (const gd of docs.flatMap(doc => [...doc.querySelectorAll('.js-plotly-plot')])) {
    const layout = gd._fullLayout;
    if (!layout) { busy = true; continue; }
    for (const key of Object.keys(layout)) {
      if (!/^map\\d*$/.test(key) || !layout[key] || !layout[key]._subplot) continue;
      const map = layout[key]._subplot.map;
      if (!map) { busy = true; continue; }
      maps.push(map);
    }
  }
  for (const map of maps) {
    if (!map.__qpvHooked) {
      map.__qpvHooked = true; q.lastRender = now;
      map.on('render', () => { q.lastRender = performance.now(); });
    }
    if (!map.loaded()) busy = true;
  }
  if (busy) { q.lastBusy = now; return false; }
  const last = Math.max(q.lastMutation, q.lastRender, q.lastBusy, frameChange);
  return now - last >= quiet ? last : false;
}"""

# A page that shows an error, or a chart that could not draw, settles early: timing it would flatter it.
BROKEN = """() => {
  if (document.querySelector('[data-testid="stException"]')) return 'une erreur est affichée';
  const failed = [...document.querySelectorAll('.qpv-chart')].filter(chart => !chart._fullLayout
    && !chart.dataset.waiting);
  return failed.length ? `graphique non dessiné : ${failed[0].textContent.slice(0, 80)}` : '';
}"""
