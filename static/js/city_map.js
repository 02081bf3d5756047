/* The sister-city map: country shapes from world-atlas (served by the portal itself, so no tile
   server or other host is needed), a great-circle line from the home city to each sister city,
   and a marker per city linking to its profile. The data comes from the page's json_script
   block; the page lists the same cities as text, for readers who cannot see the map. */
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";
  const ZOOM_STEP = 1.6;
  const MIN_ZOOM = 0.5; // half the fitted view shows the whole world
  const MAX_ZOOM = 12;
  // The 1:110m shapes are coarse: a map of one close neighbour is kept at least this wide.
  const MIN_SPAN = { longitude: 50, latitude: 30 };
  const PADDING = 28;
  // Sizes in CSS pixels, kept whatever the screen width: the map scales, its markers do not.
  const SIZE = { label: 12, halo: 3, gap: 9, city: 6, home: 8 };

  function create(name, attributes, parent) {
    const node = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attributes)) {
      node.setAttribute(key, value);
    }
    parent.appendChild(node);
    return node;
  }

  function widen(low, high, span, limit) {
    const extra = Math.max(0, span - (high - low)) / 2;
    return [Math.max(low - extra, -limit), Math.min(high + extra, limit)];
  }

  // The area the map opens on: every point, widened to the minimum span.
  function openingArea(points) {
    const longitudes = points.map((point) => point[0]);
    const latitudes = points.map((point) => point[1]);
    const [west, east] = widen(
      Math.min(...longitudes), Math.max(...longitudes), MIN_SPAN.longitude, 180);
    const [south, north] = widen(
      Math.min(...latitudes), Math.max(...latitudes), MIN_SPAN.latitude, 85);
    const middle = (west + east) / 2;
    return {
      type: "MultiPoint",
      coordinates: [
        [west, south], [west, north], [middle, north], [east, north], [east, south], [middle, south],
      ],
    };
  }

  function drawMap(figure) {
    const data = JSON.parse(document.getElementById(figure.dataset.source).textContent);
    const width = Number(figure.dataset.width);
    const height = Number(figure.dataset.height);
    const rtl = document.documentElement.dir === "rtl";
    const home = [data.home.longitude, data.home.latitude];
    const cities = data.cities.map((city) => ({ ...city, at: [city.longitude, city.latitude] }));

    const projection = d3.geoNaturalEarth1().fitExtent(
      [[PADDING, PADDING], [width - PADDING, height - PADDING]],
      openingArea([home, ...cities.map((city) => city.at)]),
    );
    const opening = { scale: projection.scale(), translate: projection.translate() };
    const path = d3.geoPath(projection);

    const svg = create("svg", { viewBox: `0 0 ${width} ${height}`, class: "city-map-svg" },
      figure.querySelector(".city-map-canvas"));
    const sphere = create("path", { class: "map-sphere", "aria-hidden": "true" }, svg);
    const countryLayer = create("g", { class: "map-countries", "aria-hidden": "true" }, svg);
    const lineLayer = create("g", { class: "map-links", "aria-hidden": "true" }, svg);
    const markerLayer = create("g", { class: "map-markers" }, svg);
    const labelLayer = create("g", { class: "map-labels", "aria-hidden": "true" }, svg);
    // The map is not mirrored under RTL, so the anchor that puts a label east of its marker is
    // "start" in English and "end" in Persian.
    const label = (text, extraClass) => {
      const node = create("text", { class: `map-label ${extraClass}`, dy: "0.35em" }, labelLayer);
      node.dataset.east = rtl ? "end" : "start";
      node.dataset.west = rtl ? "start" : "end";
      node.textContent = text;
      return node;
    };

    for (const city of cities) {
      city.line = create("path", { class: "map-link" }, lineLayer);
      // The dashboards colour each marker by the city's health and say it in the title.
      const health = city.health ? ` map-health-${city.health}` : "";
      const link = create("a", { href: city.url, class: `map-city${health}` }, markerLayer);
      create("title", {}, link).textContent = city.health
        ? `${city.name}: ${data.health_labels[city.health]}`
        : city.name;
      city.dot = create("circle", {}, link);
      city.label = label(city.name, "");
    }
    const homeMarker = create("g", { class: "map-home", role: "img" }, markerLayer);
    create("title", {}, homeMarker).textContent = data.home.name;
    const homeDot = create("circle", {}, homeMarker);
    const homeLabel = label(data.home.name, "map-label-home");

    let countries = [];
    function render() {
      const unit = width / (svg.getBoundingClientRect().width || width); // map units per pixel
      labelLayer.style.fontSize = `${SIZE.label * unit}px`;
      labelLayer.style.strokeWidth = `${SIZE.halo * unit}px`;
      sphere.setAttribute("d", path({ type: "Sphere" }));
      for (const country of countries) {
        country.node.setAttribute("d", path(country.feature) || "");
      }
      for (const city of cities) {
        city.line.setAttribute("d", path({ type: "LineString", coordinates: [home, city.at] }) || "");
        place(city.dot, SIZE.city * unit, city.label, projection(city.at));
      }
      place(homeDot, SIZE.home * unit, homeLabel, projection(home));
      layOutLabels([homeLabel, ...cities.map((city) => city.label)], width, SIZE.gap * unit);
      svg.classList.toggle("is-zoomed", projection.scale() > opening.scale * 1.01);
    }

    function place(dot, radius, text, [x, y]) {
      dot.setAttribute("r", radius);
      dot.setAttribute("cx", x);
      dot.setAttribute("cy", y);
      text.setAttribute("x", x);
      text.setAttribute("y", y);
    }

    // Zoom about the centre of the view: the point there stays put.
    function zoomBy(factor) {
      const scale = Math.min(
        Math.max(projection.scale() * factor, opening.scale * MIN_ZOOM), opening.scale * MAX_ZOOM);
      const ratio = scale / projection.scale();
      const [x, y] = projection.translate();
      const [cx, cy] = [width / 2, height / 2];
      projection.scale(scale).translate([cx - (cx - x) * ratio, cy - (cy - y) * ratio]);
      render();
    }

    const controls = figure.querySelector(".city-map-controls");
    controls.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-zoom]");
      if (!button) return;
      if (button.dataset.zoom === "in") zoomBy(ZOOM_STEP);
      if (button.dataset.zoom === "out") zoomBy(1 / ZOOM_STEP);
      if (button.dataset.zoom === "reset") {
        projection.scale(opening.scale).translate(opening.translate);
        render();
      }
    });
    controls.hidden = false;
    enableDragging(svg, projection, width, render);

    render();
    new ResizeObserver(render).observe(svg);
    fetch(figure.dataset.atlas)
      .then((response) => {
        if (!response.ok) throw new Error(`${response.status} ${response.url}`);
        return response.json();
      })
      .then((world) => {
        countries = topojson.feature(world, world.objects.countries).features.map((feature) => ({
          feature,
          node: create("path", { class: "map-country" }, countryLayer),
        }));
        render();
      })
      .catch((error) => {
        // The cities and lines still show; only the country shapes are missing.
        figure.classList.add("city-map-without-countries");
        console.error("Country shapes could not be loaded:", error);
      });
  }

  // Each label goes east of its marker, else west, else (crowded) it is hidden: the marker's
  // title and the page's table still name the city, and zooming in makes room.
  function layOutLabels(labels, width, gap) {
    const placed = [];
    const overlaps = (box) => placed.some((other) =>
      box.x < other.x + other.width && other.x < box.x + box.width &&
      box.y < other.y + other.height && other.y < box.y + box.height);
    for (const text of labels) {
      text.classList.remove("map-label-hidden");
      text.setAttribute("dx", gap);
      text.setAttribute("text-anchor", text.dataset.east);
      let box = text.getBBox();
      if (overlaps(box) || box.x + box.width > width) {
        text.setAttribute("dx", -gap);
        text.setAttribute("text-anchor", text.dataset.west);
        box = text.getBBox();
      }
      if (overlaps(box) || box.x < 0) {
        text.classList.add("map-label-hidden");
      } else {
        placed.push(box);
      }
    }
  }

  // Drag to pan. On touch screens only once zoomed in (CSS sets touch-action then), so a swipe
  // over the opening view still scrolls the page.
  function enableDragging(svg, projection, width, render) {
    let drag = null;
    let frame = 0;
    svg.addEventListener("pointerdown", (event) => {
      if (event.target.closest("a")) return;
      if (event.pointerType !== "mouse" && !svg.classList.contains("is-zoomed")) return;
      drag = { x: event.clientX, y: event.clientY, translate: projection.translate() };
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("is-dragging");
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const unit = width / svg.getBoundingClientRect().width; // map units per CSS pixel
      projection.translate([
        drag.translate[0] + (event.clientX - drag.x) * unit,
        drag.translate[1] + (event.clientY - drag.y) * unit,
      ]);
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          render();
        });
      }
    });
    const stop = () => {
      drag = null;
      svg.classList.remove("is-dragging");
    };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
  }

  document.querySelectorAll(".city-map[data-source]").forEach(drawMap);
})();
