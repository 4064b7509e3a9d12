// One chart of a page, under its heading, drawn by plotly.js "basic" (bar, scatter, pie: 1.2 MB) in the page itself.
// A Streamlit v2 component: no frame. The first chart of a page adds plotly.js as a script (served by Streamlit
// from static/, see qpv/app/chart_component.py); the others wait for the same script. A rerun with a new figure
// updates the same plot with Plotly.react; the same figure again draws nothing.
const loaded = (url) => {
  if (!window.__qpvPlotly) {
    window.__qpvPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.__qpvPlotly = null;
        reject(new Error(`plotly.js introuvable : ${url}`));
      };
      document.head.appendChild(script);
    });
  }
  return window.__qpvPlotly;
};

// Streamlit calls the cleanup when the element leaves the page, and also when a newer figure overtook this call:
// the plot is released only once it is out of the page (its resize listener goes with it).
const release = (plot) => () => {
  setTimeout(() => { if (!plot.isConnected && window.Plotly) window.Plotly.purge(plot); }, 0);
};

// A chart first drawn below the screen waits until it comes into view (IntersectionObserver): a page whose charts
// are all below the first screen shows without running plotly.js. The first scroll of the page fetches it, so
// that it is there when a chart comes into view. data-waiting marks a chart meanwhile.
const whenSeen = (plot, bundle) => new Promise((resolve) => {
  if (plot._fullLayout || !("IntersectionObserver" in window)) { resolve(); return; }
  const box = plot.getBoundingClientRect();
  if (box.top < window.innerHeight && box.bottom > 0) { resolve(); return; }
  plot.dataset.waiting = "1";
  window.addEventListener("scroll", () => loaded(bundle).catch(() => {}), { capture: true, passive: true, once: true });
  const watcher = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    watcher.disconnect();
    delete plot.dataset.waiting;
    resolve();
  });
  watcher.observe(plot);
});

// The chart's title, and its period and source, written above it as a heading and a caption: the same element
// as the chart, so a page sends one element per chart on every rerun instead of two. Rewritten only when changed.
const writeHeading = (parentElement, plot, heading) => {
  let head = parentElement.querySelector(".qpv-chart-head");
  if (!heading) {
    if (head) head.remove();
    return;
  }
  const key = JSON.stringify(heading);
  if (head && head.__qpvKey === key) return;
  if (!head) {
    head = document.createElement("div");
    head.className = "qpv-chart-head";
    parentElement.insertBefore(head, plot);
  }
  head.__qpvKey = key;
  const title = document.createElement(`h${Math.min(Math.max(heading.level, 2), 6)}`);
  title.textContent = heading.title;
  head.replaceChildren(title);
  if (heading.subtitle) {
    const caption = document.createElement("p");
    caption.textContent = heading.subtitle;
    head.appendChild(caption);
  }
};

export default function ({ data, parentElement }) {
  let plot = parentElement.querySelector(".qpv-chart");
  if (!plot) {
    plot = document.createElement("div");
    plot.className = "qpv-chart";
    parentElement.appendChild(plot);
  }
  writeHeading(parentElement, plot, data.heading);
  plot.setAttribute("role", "figure");  // not "img": the modebar inside has buttons
  plot.setAttribute("aria-label", data.label);
  if (plot.__qpvSpec === data.spec) return release(plot);
  plot.__qpvSpec = data.spec;
  const figure = JSON.parse(data.spec);
  // The room is kept before plotly.js arrives: the page does not jump when the chart appears.
  plot.style.minHeight = `${figure.layout.height || 450}px`;
  whenSeen(plot, data.bundle).then(() => loaded(data.bundle)).then((Plotly) => {
    if (plot.__qpvSpec !== data.spec) return;  // a newer figure came meanwhile
    Plotly.react(plot, figure.data, figure.layout, Object.assign({}, data.config, { responsive: true }));
  }, () => {
    plot.__qpvSpec = undefined;
    plot.style.minHeight = "";
    plot.textContent = "Graphique indisponible : le navigateur n'a pas pu charger plotly.js. "
      + "Le tableau sous le graphique donne les mêmes chiffres ; rechargez la page pour réessayer.";
  });
  return release(plot);
}
