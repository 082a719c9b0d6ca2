// Draws formation proposals: one colour per cluster, hubs larger with a dark ring. Tiles are
// a backdrop only; without them (or without Leaflet) the tables on the page say everything.
(function () {
  function draw(el) {
    var data = document.getElementById(el.dataset.formationMap);
    if (!window.L || !data) return;
    var points = JSON.parse(data.textContent);
    if (!points.length) return;
    el.textContent = "";
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    }).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], {
        radius: p.hub ? 9 : 5, color: p.hub ? "#111" : p.colour, weight: p.hub ? 3 : 1,
        fillColor: p.colour, fillOpacity: 0.85
      }).addTo(map);
      marker.bindTooltip((p.hub ? "Hub: " : "") + p.name + " — " + p.cluster);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 13); else map.fitBounds(bounds, { padding: [20, 20] });
  }
  function init() { document.querySelectorAll("[data-formation-map]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
