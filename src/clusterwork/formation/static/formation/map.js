// Draws formation proposals: one colour per cluster, hubs larger with a dark ring. Tiles are
// a backdrop only; without them (or without Leaflet) the tables on the page say everything,
// and a note under the map says why the background is blank.
(function () {
  function note(el, text) {
    var box = el.parentNode.querySelector(".map-note");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }
  function draw(el) {
    var data = document.getElementById(el.dataset.formationMap);
    if (!data) return;
    var points = JSON.parse(data.textContent);
    if (!points.length) return;
    if (!window.L) {
      note(el, "The map could not be drawn; the tables below list every cluster and school.");
      return;
    }
    el.textContent = "";
    var map = L.map(el, { scrollWheelZoom: false });
    var failed = false;
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    }).on("tileerror", function () {
      if (failed) return;
      failed = true;
      el.classList.add("map-no-tiles");
      note(el, "The map background could not load, so only the schools are drawn. " +
        "The tables below list every cluster and school.");
    }).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], {
        radius: p.hub ? 9 : 6, color: p.hub ? "#111" : "#fff", weight: p.hub ? 3 : 1,
        fillColor: p.colour, fillOpacity: 0.9
      }).addTo(map);
      marker.bindTooltip((p.hub ? "Hub: " : "") + p.name + " — " + p.cluster);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 13); else map.fitBounds(bounds, { padding: [20, 20] });
  }
  function init() { document.querySelectorAll("[data-formation-map]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
