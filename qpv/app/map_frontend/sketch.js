// The map's first view, drawn as SVG. MapLibre (1 MB of script, a WebGL map: from a tenth of a second to more
// than a second to start, depending on the machine) starts only when the map is used (map.js: wake), and
// replaces this view once it has drawn. SVG shows the same outlines, colours, dots, outlined QPV and place
// names at once, framed as MapLibre frames them (Web Mercator, the same bounds and padding), so the swap does
// not move the outlines. Names are placed as MapLibre places them: in the order of their priority, one that
// would overlap a name already placed left out. It is not drawn over background tiles (map.js: sketchable).
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const TILE = 512;  // MapLibre's world size at zoom 0, in pixels

  function mercator(lon, lat) {
    const sin = Math.sin(lat * Math.PI / 180);
    return [(lon + 180) / 360, 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)];
  }

  function framing(bounds, width, height, padding) {
    // As MapLibre's fitBounds: the largest scale that shows the bounds inside the padding, centred.
    const low = mercator(bounds[0], bounds[1]), high = mercator(bounds[2], bounds[3]);
    const scale = Math.min((width - 2 * padding) / (high[0] - low[0]), (height - 2 * padding) / (low[1] - high[1]));
    const cx = (low[0] + high[0]) / 2, cy = (low[1] + high[1]) / 2;
    return {
      zoom: Math.log2(scale / TILE),
      at: function (point) {
        const p = mercator(point[0], point[1]);
        return [(width / 2 + (p[0] - cx) * scale).toFixed(1), (height / 2 + (p[1] - cy) * scale).toFixed(1)];
      },
    };
  }

  function pathOf(geometry, at) {
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.map(function (rings) {
      return rings.map(function (ring) { return "M" + ring.map(at).join("L") + "Z"; }).join("");
    }).join("");
  }

  function node(tag, attributes) {
    const made = document.createElementNS(NS, tag);
    Object.keys(attributes).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    return made;
  }

  function group(svg, features, at, style, coded) {
    // One path per feature; QPV paths carry their code, for the hover text and the click.
    const layer = svg.appendChild(node("g", style));
    const paths = {};
    features.forEach(function (feature) {
      const path = layer.appendChild(node("path", {d: pathOf(feature.geometry, at)}));
      if (coded) path.dataset.code = feature.properties.code;
      paths[feature.properties.code] = path;
    });
    return paths;
  }

  function boxesMeet(a, b, gap) {
    return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap
      && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
  }

  function wrappedLines(text, perLine) {
    // As MapLibre's text-max-width: a name longer than perLine characters breaks after a space or a hyphen,
    // into lines of even length (MapLibre balances them: "Fouquières-" over "lès-Béthune").
    const pieces = text.match(/[^ -]+-?|-/g) || [text];
    const joined = function (from, to) {
      return pieces.slice(from, to).reduce(function (line, piece) {
        return line + (line && !line.endsWith("-") ? " " : "") + piece;
      }, "");
    };
    if (text.length <= perLine || pieces.length < 2) return [text];
    const target = text.length / Math.ceil(text.length / perLine);
    const best = [{cost: 0, from: -1}];  // best[j]: the cheapest breaking of the first j pieces
    for (let j = 1; j <= pieces.length; j++) {
      best[j] = {cost: Infinity, from: 0};
      for (let i = 0; i < j; i++) {
        const size = joined(i, j).length;
        if (size > perLine && j - i > 1) continue;
        const cost = best[i].cost + (size - target) * (size - target);
        if (cost < best[j].cost) best[j] = {cost: cost, from: i};
      }
    }
    const lines = [];
    for (let j = pieces.length; j > 0; j = best[j].from) lines.unshift(joined(best[j].from, j));
    return lines;
  }

  function names(svg, k, at, width, height) {
    // The place names of the style's label layer, with their halo, over everything else.
    const layer = k.style.layers.find(function (item) { return item.id === k.names_layer; });
    if (!layer) return;
    const size = layer.layout["text-size"] || 12, gap = layer.layout["text-padding"] || 0;
    const perLine = Math.round((layer.layout["text-max-width"] || 10) * 2.2);  // ems to characters, roughly
    const group = svg.appendChild(node("g", {
      "font-size": size, "text-anchor": "middle", fill: layer.paint["text-color"], stroke: "#ffffff",
      "stroke-opacity": 0.9, "stroke-width": 2 * (layer.paint["text-halo-width"] || 1), "paint-order": "stroke",
      "stroke-linejoin": "round", "pointer-events": "none", "aria-hidden": "true", class: "names"}));
    const placed = [];
    k.style.sources[layer.source].data.features.slice().sort(function (a, b) {
      return a.properties.priority - b.properties.priority;
    }).forEach(function (feature) {
      const xy = at(feature.geometry.coordinates).map(Number);
      const lines = wrappedLines(feature.properties.name, perLine);
      const text = group.appendChild(node("text", {x: xy[0], y: xy[1] - (lines.length - 1) * size * 0.6}));
      lines.forEach(function (line, index) {
        text.appendChild(node("tspan", {x: xy[0], dy: index ? "1.2em" : "0.35em"})).textContent = line;
      });
      const box = text.getBBox();
      // As MapLibre: a name whose point is on the map is drawn, cut by the edge if need be.
      const outside = xy[0] < 0 || xy[1] < 0 || xy[0] > width || xy[1] > height;
      if (outside || placed.some(function (other) { return boxesMeet(box, other, gap); })) text.remove();
      else placed.push(box);
    });
  }

  function background(style) {
    const layer = style.layers.find(function (item) { return item.type === "background"; });
    return layer && layer.paint && layer.paint["background-color"] || "#ffffff";
  }

  // Draw the first view into box (as wide and tall as the map will be); return its svg, paint() and remove().
  // k: what map_kept wrote, with k.qpvData, k.communesData and k.dotsData decoded as GeoJSON and the padding
  // of the map's framing (k.padding), added by map.js.
  function draw(box, k) {
    const width = box.clientWidth, height = box.clientHeight;
    const frame = framing(k.bounds, width, height, k.padding);
    const svg = node("svg", {width: width, height: height, class: "sketch", role: "img",
                         "aria-label": "Carte des quartiers prioritaires"});
    svg.appendChild(node("rect", {width: width, height: height, fill: background(k.style)}));
    group(svg, k.communesData.features, frame.at, {fill: k.colours.commune_fill, stroke: k.colours.commune_line,
                                                   "stroke-width": 0.7}, false);
    const fills = group(svg, k.qpvData.features, frame.at, {stroke: k.colours.qpv_line, "stroke-width": 0.8}, true);
    const dots = {};
    if (frame.zoom < k.dots_below_zoom) {  // as the map's dot layer: a QPV a few pixels wide is a dot too
      const layer = svg.appendChild(node("g", {"fill-opacity": 0.9}));
      k.dotsData.features.forEach(function (feature) {
        const xy = frame.at(feature.geometry.coordinates);
        const dot = layer.appendChild(node("circle", {cx: xy[0], cy: xy[1], r: 4}));
        dot.dataset.code = feature.properties.code;
        dots[feature.properties.code] = dot;
      });
    }
    const chosen = svg.appendChild(node("path", {fill: "none", stroke: k.colours.chosen, "stroke-width": 2}));
    box.appendChild(svg);
    names(svg, k, frame.at, width, height);  // measured in place: the svg is in the page

    function colour(next) {
      Object.keys(fills).forEach(function (code) {
        const fill = next.fill[code] || "rgba(0,0,0,0)";
        fills[code].setAttribute("fill", fill);
        if (dots[code]) dots[code].setAttribute("fill", fill);
      });
      chosen.setAttribute("d", next.chosen && fills[next.chosen] ? fills[next.chosen].getAttribute("d") : "");
    }

    window.qpvMapSketched = performance.now();  // read by benchmarks/bench_pages.py and the browser tests
    window.qpvSketchFrame = frame;  // read by the browser tests: where the first view drew each point
    return {svg: svg, paint: colour, remove: function () { svg.remove(); }};
  }

  window.qpvSketch = {draw: draw};
})();
