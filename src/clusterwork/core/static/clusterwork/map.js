// Draws the member schools from a json_script on a Leaflet map. Without Leaflet, data or
// network the text fallback and the schools list on the page still say everything.
(function () {
  function draw(el) {
    var data = document.getElementById(el.dataset.points);
    if (!window.L || !data) return;
    var points = JSON.parse(data.textContent).filter(function (p) { return p.lat !== null && p.lng !== null; });
    if (!points.length) return;
    el.textContent = "";
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    }).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lng], { title: p.name, alt: p.name }).addTo(map);
      var link = document.createElement("a");
      link.href = p.url; link.textContent = p.name;
      marker.bindPopup(link);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 14); else map.fitBounds(bounds, { padding: [30, 30] });
  }
  function init() {
    document.querySelectorAll("[data-map]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
