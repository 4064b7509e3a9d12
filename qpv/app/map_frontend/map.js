// The map of the Carte page, drawn by MapLibre GL JS inside a Streamlit component (iframe).
// It keeps its geometry: the server sends the style, the QPV and commune outlines and a dot per QPV once
// (args.kept, JSON text, under args.kept_id; qpv/figures/map_view.py: map_kept), then at each rerun only the
// paint (args.paint: map_paint): each QPV's colour and hover text, the legend and the outlined QPV. Colours
// are set as feature state, so no source is re-tiled and the map repaints once.
// The page shows first an SVG view of the same map (sketch.js: outlines, colours, names, hover and click);
// MapLibre is read and started only when the map is used (wake), then replaces that view where it stood.
// Protocol: Streamlit's custom component messages (componentReady, render, setComponentValue, setFrameHeight).
(function () {
  "use strict";
  const kept = {};  // kept_id -> what map_kept wrote, outlines decoded
  const box = document.getElementById("map");
  const tip = document.getElementById("tip");
  const legend = document.getElementById("legend");
  const saveButton = document.getElementById("save");  // saves the MapLibre map's picture (starting it if needed)
  const QPV_LAYERS = ["qpv-fill", "qpv-dots"];
  const PADDING = 24;  // pixels kept around the QPV when the map (and its first view) frames them
  const LOCALE = {
    "Map.Title": "Carte des quartiers prioritaires", "NavigationControl.ZoomIn": "Zoom avant",
    "NavigationControl.ZoomOut": "Zoom arrière", "NavigationControl.ResetBearing": "Remettre le nord en haut",
    "AttributionControl.ToggleAttribution": "Afficher ou masquer les crédits",
    "CooperativeGesturesHandler.WindowsHelpText": "Ctrl + molette pour zoomer sur la carte",
    "CooperativeGesturesHandler.MacHelpText": "\u2318 + molette pour zoomer sur la carte",
    "CooperativeGesturesHandler.MobileHelpText": "Deux doigts pour déplacer la carte",
  };
  let map = null;  // the MapLibre map, made once per frame and territory
  let sketch = null;  // the SVG first view (sketch.js), shown until the map has drawn
  let current = null;  // the kept_id of the first view and map started
  let mapped = null;  // the kept_id of the paint last shown
  let ready = false;  // its style loaded: sources and layers exist
  let shown = {};  // the paint last set
  let waiting = null;  // a paint received before the map was ready
  let paintText = null;  // the paint last received, as sent
  let saved = {};  // the title, subtitle and file name of the map's picture
  let wanted = false;  // the map was used: a new territory's map starts at once too
  let waking = null;  // the kept_id whose map is being made
  let zoomAsked = 0;  // a zoom asked on the first view, done once the map has drawn
  let saveAsked = false;  // the PNG asked before the map had drawn
  let drawn = false;  // the MapLibre map has drawn once: its picture can be saved

  function send(type, extra) {
    window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, extra), "*");
  }

  function tell(value) {
    send("streamlit:setComponentValue", {value: Object.assign({n: Date.now()}, value), dataType: "json"});
  }

  function decodeRing(text) {
    // Google's encoded polyline algorithm on [lon, lat], 5 decimals (qpv/figures/geojson.py: encode_rings).
    const points = [];
    let index = 0, x = 0, y = 0;
    function next() {
      let value = 0, shift = 0, bits;
      do {
        bits = text.charCodeAt(index++) - 63;
        value |= (bits & 31) << shift;
        shift += 5;
      } while (bits >= 32);
      return (value & 1) ? ~(value >> 1) : (value >> 1);
    }
    while (index < text.length) {
      x += next();
      y += next();
      points.push([x / 1e5, y / 1e5]);
    }
    return points;
  }

  function collection(features) {
    // Features keyed by their code (promoteId), for feature state; rings decoded.
    return {type: "FeatureCollection", features: features.map(function (feature) {
      const g = feature.geometry;
      const coordinates = g.type === "Polygon" ? g.encoded.map(decodeRing)
        : g.encoded.map(function (polygon) { return polygon.map(decodeRing); });
      return {type: "Feature", properties: {code: feature.id}, geometry: {type: g.type, coordinates: coordinates}};
    })};
  }

  function points(dots) {
    return {type: "FeatureCollection", features: Object.keys(dots).map(function (code) {
      return {type: "Feature", properties: {code: code}, geometry: {type: "Point", coordinates: dots[code]}};
    })};
  }

  function fullStyle(k) {
    // The server's style (background, tiles, place names) with the outlines and the QPV layers, under the
    // names: the map loads everything in one pass.
    const colour = ["coalesce", ["feature-state", "fill"], "rgba(0,0,0,0)"];
    const style = Object.assign({}, k.style, {sources: Object.assign({}, k.style.sources, {
      communes: {type: "geojson", data: k.communesData},
      qpv: {type: "geojson", data: k.qpvData, promoteId: "code"},
      dots: {type: "geojson", data: k.dotsData, promoteId: "code"},
    })});
    const ours = [
      {id: "communes-fill", type: "fill", source: "communes", paint: {"fill-color": k.colours.commune_fill}},
      {id: "communes-line", type: "line", source: "communes",
       paint: {"line-color": k.colours.commune_line, "line-width": 0.7}},
      {id: "qpv-fill", type: "fill", source: "qpv", paint: {"fill-color": colour}},
      {id: "qpv-line", type: "line", source: "qpv", paint: {"line-color": k.colours.qpv_line, "line-width": 0.8}},
      // Below this zoom a QPV is a few pixels wide: a dot of the same colour shows it.
      {id: "qpv-dots", type: "circle", source: "dots", maxzoom: k.dots_below_zoom,
       paint: {"circle-radius": 4, "circle-color": colour, "circle-opacity": 0.9}},
      {id: "qpv-chosen", type: "line", source: "qpv", paint: {
        "line-color": k.colours.chosen, "line-width": 2,
        "line-opacity": ["case", ["boolean", ["feature-state", "chosen"], false], 1, 0]}},
    ];
    const names = k.style.layers.findIndex(function (layer) { return layer.id === k.names_layer; });
    const at = names < 0 ? k.style.layers.length : names;
    style.layers = k.style.layers.slice(0, at).concat(ours, k.style.layers.slice(at));
    return style;
  }

  function paintMap(paint) {
    Object.keys(paint.fill).forEach(function (code) {
      const state = {fill: paint.fill[code], chosen: code === paint.chosen};
      map.setFeatureState({source: "qpv", id: code}, state);
      map.setFeatureState({source: "dots", id: code}, state);
    });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawLegend(paint) {
    legend.replaceChildren();
    const bar = paint.bar;
    if (bar) {
      legend.appendChild(element("p", "bar-title", bar.title));
      const gradient = element("div", "bar");
      gradient.style.background = "linear-gradient(to right, " + bar.stops.map(function (stop) {
        return stop[1] + " " + stop[0] + "%";
      }).join(", ") + ")";
      gradient.setAttribute("aria-hidden", "true");
      legend.appendChild(gradient);
      const ticks = element("div", "ticks");
      bar.ticks.forEach(function (tick) {
        const label = element("span", "", tick.text);
        label.style.left = tick.at + "%";
        if (tick.bold) label.style.fontWeight = "bold";
        ticks.appendChild(label);
      });
      legend.appendChild(ticks);
    }
    if (paint.statuses.length) {
      const list = element("ul");
      paint.statuses.forEach(function (status) {
        const item = element("li");
        const swatch = element("span", "swatch");
        swatch.style.background = status.colour;
        item.append(swatch, status.label);
        list.appendChild(item);
      });
      legend.appendChild(list);
    }
  }

  function wrapped(context, text, width) {
    // Split a text into lines no wider than width pixels, between words.
    const lines = [];
    let line = "";
    text.split(" ").forEach(function (word) {
      const longer = line ? line + " " + word : word;
      if (line && context.measureText(longer).width > width) {
        lines.push(line);
        line = word;
      } else {
        line = longer;
      }
    });
    return line ? lines.concat([line]) : lines;
  }

  function picture(canvas) {
    // The map as the page shows it, with its title, period and source above and its legend below: a PNG that
    // cites what it shows, as every download does.
    const ratio = canvas.width / canvas.clientWidth, width = canvas.width, pad = 12 * ratio;
    const out = document.createElement("canvas"), context = out.getContext("2d");
    const font = function (size, bold) { return (bold ? "bold " : "") + size * ratio + "px Arial, sans-serif"; };
    context.font = font(16, true);
    const title = wrapped(context, saved.title, width - 2 * pad);
    context.font = font(12);
    const subtitle = wrapped(context, saved.subtitle, width - 2 * pad);
    const bar = shown.bar, statuses = shown.statuses || [];
    const top = pad + title.length * 20 * ratio + subtitle.length * 16 * ratio + pad / 2;
    const legend = (bar ? 64 : 0) * ratio + (statuses.length ? 22 : 0) * ratio + pad;
    out.width = width;
    out.height = top + canvas.height + legend;
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    context.fillStyle = "#1a202c";
    context.textBaseline = "top";
    let y = pad;
    context.font = font(16, true);
    title.forEach(function (line) { context.fillText(line, pad, y); y += 20 * ratio; });
    context.font = font(12);
    context.fillStyle = "#5f6b7a";
    subtitle.forEach(function (line) { context.fillText(line, pad, y); y += 16 * ratio; });
    context.drawImage(canvas, 0, top);
    y = top + canvas.height + 8 * ratio;
    if (bar) {
      const left = width * 0.05, span = width * 0.9;
      context.fillStyle = "#1a202c";
      context.textAlign = "center";
      context.fillText(bar.title, width / 2, y);
      y += 18 * ratio;
      const gradient = context.createLinearGradient(left, 0, left + span, 0);
      bar.stops.forEach(function (stop) { gradient.addColorStop(stop[0] / 100, stop[1]); });
      context.fillStyle = gradient;
      context.fillRect(left, y, span, 12 * ratio);
      y += 16 * ratio;
      context.fillStyle = "#1a202c";
      bar.ticks.forEach(function (tick) {
        context.font = font(12, tick.bold);
        context.fillText(tick.text, left + span * tick.at / 100, y);
      });
      context.textAlign = "left";
      y += 26 * ratio;
    }
    let x = pad;
    context.font = font(12);
    statuses.forEach(function (status) {
      context.fillStyle = status.colour;
      context.fillRect(x, y, 12 * ratio, 12 * ratio);
      context.fillStyle = "#5f6b7a";
      context.fillText(status.label, x + 18 * ratio, y);
      x += 18 * ratio + context.measureText(status.label).width + 16 * ratio;
    });
    return out;
  }

  function save() {
    // A WebGL canvas can be read while it draws: ask for a frame and copy it then.
    map.once("render", function () {
      picture(map.getCanvas()).toBlob(function (blob) {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = saved.file_name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.qpvMapSaved = (window.qpvMapSaved || 0) + 1;  // read by the browser tests
      }, "image/png");
    });
    map.triggerRepaint();
  }

  function qpvAt(point) {
    const hit = map.queryRenderedFeatures(point, {layers: QPV_LAYERS})[0];
    return hit ? hit.properties.code : null;
  }

  function showTip(code, point) {
    // The hover text of a QPV (written by map_paint, every text HTML-escaped by qpv.present.text) near point.
    if (!code || !shown.hover || !shown.hover[code]) {
      tip.style.display = "none";
      return;
    }
    tip.innerHTML = shown.hover[code];
    tip.style.display = "block";
    const x = Math.min(point.x + 12, box.clientWidth - tip.offsetWidth - 4);
    const y = point.y + 12 + tip.offsetHeight > box.clientHeight ? point.y - tip.offsetHeight - 12 : point.y + 12;
    tip.style.left = Math.max(x, 4) + "px";
    tip.style.top = Math.max(y, 4) + "px";
  }

  function hover(event) {
    const code = qpvAt(event.point);
    map.getCanvas().style.cursor = code ? "pointer" : "";
    showTip(code, event.point);
  }

  function size(k) {
    // As tall as the server says on a wide screen; on a phone, about as tall as wide.
    box.style.height = Math.min(k.height, Math.max(300, Math.round(document.documentElement.clientWidth * 0.9)))
      + "px";
  }

  function sketchable(k) {
    // The SVG first view has no background tiles: over tiles, MapLibre alone draws the map.
    return Boolean(window.qpvSketch) && !Object.keys(k.style.sources).some(function (name) {
      return k.style.sources[name].type === "raster";
    });
  }

  function sketchEvents(svg) {
    // The first view answers as the map does: hover text, and a click opens the QPV's profile.
    function code(event) { return event.target.dataset ? event.target.dataset.code : undefined; }
    function point(event) {
      const rect = box.getBoundingClientRect();
      return {x: event.clientX - rect.left, y: event.clientY - rect.top};
    }
    svg.addEventListener("mousemove", function (event) { showTip(code(event), point(event)); });
    svg.addEventListener("mouseleave", function () { tip.style.display = "none"; });
    svg.addEventListener("click", function (event) { if (code(event)) tell({event: "click", code: code(event)}); });
  }

  let library = null;  // MapLibre GL JS and its style sheet, read once, when the map is first used

  function maplibre() {
    if (!library) {
      const sheet = new Promise(function (resolve, reject) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = "maplibre-gl.css";
        link.onload = resolve;
        link.onerror = reject;
        document.head.appendChild(link);
      });
      const code = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = "maplibre-gl.js";
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
      library = Promise.all([sheet, code]);
    }
    return library;
  }

  function wake() {
    // Read MapLibre and make the map of the outlines shown (once per territory; again after a new territory).
    wanted = true;
    if (map || current === null || waking === current) return;
    const keptId = waking = current;
    maplibre().then(function () { if (current === keptId && !map) create(kept[keptId]); })
      .catch(function () {});  // MapLibre could not be read: the first view stays, with its hover and click
  }

  function zoomButtons() {
    // The first view's zoom buttons, where MapLibre's stand: a click starts the map and zooms once it is there.
    const group = element("div", "sketch-zoom");
    [["+", "Zoom avant", 1], ["\u2212", "Zoom arrière", -1]].forEach(function (spec) {
      const button = group.appendChild(element("button", "", spec[0]));
      button.type = "button";
      button.setAttribute("aria-label", spec[1]);
      button.title = spec[1];
      button.addEventListener("click", function () { zoomAsked = spec[2]; wake(); });
    });
    return box.appendChild(group);
  }

  function start(k, keptId) {
    // Show the SVG first view at once; MapLibre starts when the map is used (pointer over it, a touch, the
    // wheel, the keyboard on its buttons, the PNG button), or at once over background tiles or once asked for.
    current = keptId;
    window.qpvMapBounds = k.bounds;  // read by the browser tests, with the map (window.qpvMap)
    size(k);
    if (!sketchable(k)) {
      wake();
      return;
    }
    sketch = window.qpvSketch.draw(box, k);
    sketch.zoom = zoomButtons();
    sketchEvents(sketch.svg);
    saveButton.disabled = false;  // it starts the map, then saves its picture
    if (wanted) wake();
  }

  function teardown() {
    // Another territory or store: drop the map and the first view; a new one is started on the new outlines.
    if (map) map.remove();
    dropSketch();
    map = null;
    ready = false;
    saveButton.disabled = true;
    waiting = null;
    current = null;
    waking = null;
    drawn = false;
  }

  function create(k) {
    const b = k.bounds;
    map = new maplibregl.Map({
      container: box, style: fullStyle(k), bounds: [[b[0], b[1]], [b[2], b[3]]],
      fitBoundsOptions: {padding: k.padding},
      fadeDuration: 0,  // new values show at once: each faded frame would repaint the whole map
      attributionControl: {compact: false}, dragRotate: false, pitchWithRotate: false, touchPitch: false,
      renderWorldCopies: false, locale: LOCALE,
      // The map stands in a page that scrolls: the wheel and one finger scroll the page over it, as over the
      // first view; Ctrl + wheel, two fingers, the buttons, a drag or a double click move the map.
      cooperativeGestures: true,
    });
    map.addControl(new maplibregl.NavigationControl({showCompass: false}), "top-right");
    map.touchZoomRotate.disableRotation();
    map.on("style.load", function () {  // the sources exist: their features can take a state
      ready = true;
      saveButton.disabled = false;
      if (waiting) show(waiting);
      waiting = null;
    });
    map.once("idle", function () {  // everything drawn: the map replaces the first view
      drawn = true;
      dropSketch();
      if (zoomAsked) map.zoomTo(map.getZoom() + zoomAsked);
      zoomAsked = 0;
      if (saveAsked) save();
      saveAsked = false;
    });
    map.on("mousemove", hover);
    map.on("mouseout", function () { tip.style.display = "none"; });
    map.on("click", function (event) {
      const code = qpvAt(event.point);
      if (code) tell({event: "click", code: code});
    });
    window.qpvMap = map;  // read by the browser tests
  }

  function dropSketch() {
    if (sketch) {
      sketch.remove();
      sketch.zoom.remove();
    }
    sketch = null;
  }

  function show(paint) {
    if (sketch) sketch.paint(paint);
    shown = paint;
    if (ready) paintMap(paint);
    else waiting = paint;
    window.qpvMapPainted = (window.qpvMapPainted || 0) + 1;  // read by the browser tests and the benchmarks
  }

  function decoded(text) {
    // What map_kept wrote, with the outlines and dots as GeoJSON, decoded once for the first view and the map.
    const k = JSON.parse(text);
    k.qpvData = collection(k.qpv);
    k.communesData = collection(k.communes);
    k.dotsData = points(k.dots);
    k.padding = PADDING;
    return k;
  }

  function render(args) {
    if (args.frame_title && window.frameElement) window.frameElement.title = args.frame_title;
    if (args.kept) kept[args.kept_id] = decoded(args.kept);
    const k = kept[args.kept_id];
    if (!k) {  // a new frame (the page was left and opened again): ask for the outlines once
      window.qpvMapAsked = (window.qpvMapAsked || 0) + 1;  // counted for the browser tests
      tell({event: "need", kept_id: args.kept_id});
      return;
    }
    if (current !== null && current !== args.kept_id) teardown();
    if (current === null) start(k, args.kept_id);
    if (mapped !== args.kept_id || args.paint !== paintText) {  // a rerun that changes nothing repaints nothing
      const paint = JSON.parse(args.paint);
      drawLegend(paint);
      show(paint);
    }
    mapped = args.kept_id;
    paintText = args.paint;
    saved = args.picture || {};
    send("streamlit:setFrameHeight", {height: document.body.scrollHeight});
  }

  saveButton.addEventListener("click", function () {
    if (drawn) {
      save();
      return;
    }
    saveAsked = true;  // saved once the map has drawn
    saveButton.disabled = true;
    wake();
  });
  ["pointerenter", "touchstart", "wheel", "focusin"].forEach(function (kind) {
    box.addEventListener(kind, wake, {passive: true});
  });
  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") render(event.data.args);
  });
  send("streamlit:componentReady", {apiVersion: 1});
})();
