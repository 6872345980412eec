/* The office's data map: a Leaflet choropleth of the vendored boundaries (no tile server needed), filled
 * from /api/v1/maps/office/; clicking a region (or its row in the table) shows its trend and breakdown
 * from /api/v1/maps/office/regions/<code>/. The page works without this script (table + links). */
(function () {
  "use strict";
  var SHADES = ["#fee6ce", "#fdae6b", "#f16913", "#a63603"];
  var HIDDEN = "#d9d9d9";
  var EMPTY = "#ffffff";

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function shown(value) { return value === null || value === undefined ? "*" : value; }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function shade(value, top) {
    if (value === null || value === undefined) return HIDDEN;
    if (!value || !top) return EMPTY;
    var k = Math.min(SHADES.length - 1, Math.floor((SHADES.length * (value - 1)) / top));
    return SHADES[k];
  }

  function renderDetail(box, data, cfg) {
    box.replaceChildren();
    box.hidden = false;
    var region = data.region;
    var title = el("h3", region.name + " ");
    title.appendChild(el("small", "(" + region.code + ")"));
    box.appendChild(title);
    var totals = el("p");
    totals.appendChild(document.createTextNode(cfg.labelCases + ": "));
    totals.appendChild(el("strong", shown(data.totals.cases), { "data-total": "cases" }));
    totals.appendChild(document.createTextNode(" · " + cfg.labelVictims + ": "));
    totals.appendChild(el("strong", shown(data.totals.victims)));
    totals.appendChild(document.createTextNode(" · " + cfg.labelChildVictims + ": "));
    totals.appendChild(el("strong", shown(data.totals.child_victims)));
    box.appendChild(totals);
    [data.trend].concat(data.breakdowns).forEach(function (table) {
      var t = el("table", null, { class: "breakdown", "data-key": table.key });
      var caption = el("caption", table.title + " ");
      caption.appendChild(el("small", "(" + table.unit + ")"));
      t.appendChild(caption);
      var body = el("tbody");
      var top = Math.max.apply(null, table.rows.map(function (r) { return r.count || 0; }).concat([1]));
      table.rows.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("th", r.label, { scope: "row" }));
        tr.appendChild(el("td", shown(r.count)));
        var bar = el("td");
        if (r.count !== null) bar.appendChild(el("meter", r.count, { min: "0", max: String(top), value: String(r.count), "aria-hidden": "true" }));
        tr.appendChild(bar);
        body.appendChild(tr);
      });
      t.appendChild(body);
      box.appendChild(t);
    });
    var url = cfg.regionUrl(region.code);
    var p = el("p", cfg.labelDownload + ": ");
    p.appendChild(el("a", "CSV", { href: url + "&format=csv", download: "" }));
    p.appendChild(document.createTextNode(" · "));
    p.appendChild(el("a", "XLSX", { href: url + "&format=xlsx", download: "" }));
    box.appendChild(p);
  }

  function start() {
    var node = document.getElementById("office-map");
    if (!node || typeof L === "undefined") return;
    var box = document.getElementById("region-detail");
    var d = node.dataset;
    var cfg = {
      labelCases: d.labelCases, labelVictims: d.labelVictims, labelChildVictims: d.labelChildVictims,
      labelDownload: d.labelDownload,
      regionUrl: function (code) { return d.apiRegion.replace("/00/", "/" + code + "/") + "?" + d.query; },
    };
    var map = L.map(node, { zoomSnap: 0.25, attributionControl: !!d.tileUrl });
    if (d.tileUrl) L.tileLayer(d.tileUrl, { attribution: d.tileAttribution, maxZoom: 18 }).addTo(map);
    var layers = {};
    function show(code) {
      box.hidden = false;
      box.replaceChildren(el("p", d.labelLoading));
      getJSON(cfg.regionUrl(code)).then(function (data) { renderDetail(box, data, cfg); }).catch(function () {
        box.replaceChildren(el("p", "!", { role: "alert" }));
      });
      Object.keys(layers).forEach(function (k) { layers[k].setStyle({ weight: k === code ? 3 : 1 }); });
    }
    Promise.all([getJSON(d.boundaries), getJSON(d.apiMap)]).then(function (res) {
      var geo = res[0], figures = res[1];
      var byCode = {};
      figures.regions.forEach(function (r) { byCode[r.code] = r; });
      var top = Math.max.apply(null, figures.regions.map(function (r) { return r.cases || 0; }).concat([0]));
      var layer = L.geoJSON(geo, {
        style: function (f) {
          var r = byCode[f.properties.code];
          return { color: "#555", weight: 1, fillOpacity: 0.8, fillColor: shade(r ? r.cases : 0, top) };
        },
        onEachFeature: function (f, lyr) {
          var r = byCode[f.properties.code];
          var code = f.properties.code;
          layers[code] = lyr;
          lyr.bindTooltip(f.properties.name + ": " + (r ? shown(r.cases) : 0) + " " + d.labelCases);
          lyr.on("click", function () { show(code); });
          if (lyr.getElement) {
            lyr.on("add", function () {
              var path = lyr.getElement();
              // A named image (an aria-label alone is not allowed on a path); keyboard and screen-reader
              // users open a region from the table's links, which the click handler mirrors.
              if (path) {
                path.setAttribute("data-code", code);
                path.setAttribute("role", "img");
                path.setAttribute("aria-label", f.properties.name);
              }
            });
          }
        },
      }).addTo(map);
      if (layer.getLayers().length) map.fitBounds(layer.getBounds());
      else map.setView([-2.5, 118], 5);
      node.setAttribute("data-ready", String(layer.getLayers().length));
    }).catch(function () { node.setAttribute("data-ready", "error"); });
    document.querySelectorAll("#map-table a[data-region]").forEach(function (a) {
      a.addEventListener("click", function (ev) { ev.preventDefault(); show(a.getAttribute("data-region")); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
