// The map of the Carte page, drawn by plotly.js inside a Streamlit component (iframe).
// It keeps its geometry: the server sends the QPV and commune outlines and the map style once
// (args.geometry, JSON text, under args.geometry_id), then only the figure without them (args.spec). Later reruns update
// the same plot with Plotly.react: the MapLibre map and its WebGL context stay as they are.
// Protocol: Streamlit's custom component messages (componentReady, render, setComponentValue, setFrameHeight).
(function () {
  "use strict";
  const kept = {};  // geometry_id -> {features, style, template, Communes}: what the server sends once
  const plot = document.getElementById("map");
  let drawn = false;

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

  function decoded(collection) {
    collection.features.forEach(function (feature) {
      const geometry = feature.geometry;
      if (!geometry.encoded) return;
      geometry.coordinates = geometry.type === "Polygon" ? geometry.encoded.map(decodeRing)
        : geometry.encoded.map(function (polygon) { return polygon.map(decodeRing); });
      delete geometry.encoded;
    });
    return collection;
  }

  function resolve(spec, geometry) {
    spec.data = spec.data.map(function (trace) {
      const whole = trace.$ref ? geometry[trace.$ref] : trace;
      if (whole.geojson && whole.geojson.$ref === "features") whole.geojson = geometry.features;
      return whole;
    });
    spec.data.forEach(function (trace) {  // a list repeated from an earlier trace (the dots' hover texts)
      ["text", "customdata"].forEach(function (key) {
        if (trace[key] && trace[key].$from !== undefined) trace[key] = spec.data[trace[key].$from][key];
      });
    });
    const map = spec.layout.map;
    if (map && map.style && map.style.$ref) map.style = geometry[map.style.$ref];
    if (spec.layout.template && spec.layout.template.$ref) spec.layout.template = geometry[spec.layout.template.$ref];
    return spec;
  }

  function clicked(event) {
    const point = event && event.points && event.points[0];
    if (!point) return;
    let code = point.customdata !== undefined ? point.customdata : point.location;
    if (Array.isArray(code)) code = code[0];
    if (code) tell({event: "click", code: String(code)});
  }

  function fitWidth(layout) {
    // The zoom fits the territory in width_hint pixels: on a narrower frame (a phone), zoom out to keep it whole.
    const hint = layout.meta && layout.meta.width_hint;
    const width = document.documentElement.clientWidth;
    if (!hint || !width || width >= hint || !layout.map || layout.map.zoom === undefined) return;
    layout.map.zoom = Math.max(0, layout.map.zoom + Math.log2(width / hint));
    window.qpvMapFit = {hint: hint, width: width, zoom: layout.map.zoom};  // read by the browser tests
  }

  function render(args) {
    if (args.frame_title && window.frameElement) window.frameElement.title = args.frame_title;
    if (args.geometry) {
      kept[args.geometry_id] = JSON.parse(args.geometry);
      decoded(kept[args.geometry_id].features);
    }
    const geometry = kept[args.geometry_id];
    if (!geometry) {  // a new frame (the page was left and opened again): ask for the geometry once
      window.qpvMapAsked = (window.qpvMapAsked || 0) + 1;  // counted for the browser tests
      tell({event: "need", geometry_id: args.geometry_id});
      return;
    }
    const spec = resolve(JSON.parse(args.spec), geometry);
    fitWidth(spec.layout);
    send("streamlit:setFrameHeight", {height: spec.layout.height || 560});
    if (!drawn) {
      drawn = true;
      Plotly.newPlot(plot, spec.data, spec.layout, args.config).then(function () {
        plot.on("plotly_click", clicked);
        // New values show at once: MapLibre fades labels in over 300 ms by default, repainting the whole map
        // each frame (software WebGL without a GPU); plotly passes no fadeDuration, so it is set on the map.
        const subplot = plot._fullLayout.map && plot._fullLayout.map._subplot;
        if (subplot && subplot.map) subplot.map._fadeDuration = 0;
      });
    } else {
      Plotly.react(plot, spec.data, spec.layout, args.config);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") render(event.data.args);
  });
  send("streamlit:componentReady", {apiVersion: 1});
})();
