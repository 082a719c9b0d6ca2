// Draws the member schools from a json_script on a Leaflet map. Without Leaflet, data or
// network the text fallback and the schools list on the page still say everything. When the
// tiles do not load (no internet, a school network blocking them) the map keeps its points
// and their outline on a plain background, and says so.
(function () {
  function draw(el) {
    var data = document.getElementById(el.dataset.points);
    if (!window.L || !data) return;
    var points = JSON.parse(data.textContent).filter(function (p) { return p.lat !== null && p.lng !== null; });
    if (!points.length) return;
    el.textContent = "";
    var map = L.map(el, { scrollWheelZoom: false });
    var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    }).addTo(map);
    var noted = false;
    tiles.on("tileerror", function () {
      if (noted) return;
      noted = true;
      el.classList.add("map-no-tiles");
      var note = document.createElement("p");
      note.className = "map-note muted";
      note.textContent = "Map tiles could not load here: the schools are drawn on a plain background.";
      el.parentNode.insertBefore(note, el.nextSibling);
    });
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lng], { title: p.name, alt: p.name }).addTo(map);
      var link = document.createElement("a");
      link.href = p.url; link.textContent = p.name;
      marker.bindPopup(link);
      bounds.push([p.lat, p.lng]);
    });
    var outline = hull(bounds);
    if (outline.length >= 3) L.polygon(outline, { color: "#3182bd", weight: 2, fillOpacity: 0.15 }).addTo(map);
    if (bounds.length === 1) map.setView(bounds[0], 14); else map.fitBounds(bounds, { padding: [30, 30] });
  }
  // Convex hull (monotone chain) of [lat, lng] points: the cluster's outline.
  function hull(points) {
    var pts = points.slice().sort(function (a, b) { return a[1] - b[1] || a[0] - b[0]; });
    if (pts.length < 3) return pts;
    function cross(o, a, b) { return (a[1] - o[1]) * (b[0] - o[0]) - (a[0] - o[0]) * (b[1] - o[1]); }
    var lower = [], upper = [];
    pts.forEach(function (p) {
      while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
      lower.push(p);
    });
    pts.slice().reverse().forEach(function (p) {
      while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
      upper.push(p);
    });
    return lower.slice(0, -1).concat(upper.slice(0, -1));
  }
  function init() {
    document.querySelectorAll("[data-map]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
