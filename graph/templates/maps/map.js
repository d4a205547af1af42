(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const text = (id, value) => { document.getElementById(id).textContent = value; };
  text("title", data.title);
  text("subtitle", data.subtitle);
  text("notes", data.notes.join(" \u00b7 "));
  for (const [label, href] of data.links || []) {
    // relative addresses only: a map links its sibling pages, nothing elsewhere
    if (typeof href !== "string" || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) { continue; }
    const link = document.createElement("a");
    link.href = href; link.textContent = label;
    document.getElementById("links").appendChild(link);
  }
  text("legend-title", "Colour: " + data.colorBy);
  const capped = data.subtitle.match(/the ([\d,]+) largest of ([\d,]+) nodes/);
  if (capped) {  // the cap is said where the colours are read, not only in the subtitle
    const cap = document.createElement("p");
    cap.id = "legend-cap";
    cap.textContent = "Showing " + capped[1] + " of " + capped[2] + " nodes (the largest).";
    document.getElementById("legend").appendChild(cap);
  }
  function tooltip(node) {
    const box = document.createElement("div");
    box.className = "tip";
    const name = document.createElement("b");
    name.textContent = node.name;
    box.appendChild(name);
    const list = document.createElement("dl");
    for (const [key, value] of node.facts) {
      const dt = document.createElement("dt"); dt.textContent = key;
      const dd = document.createElement("dd"); dd.textContent = value;
      list.appendChild(dt); list.appendChild(dd);
    }
    box.appendChild(list);
    const links = (node.links || []).concat(node.href ? [["identifier", node.href]] : []);
    for (const [label, url] of links) {
      if (typeof url !== "string" || !/^https?:\/\//.test(url)) { continue; }
      const line = document.createElement("div");
      const link = document.createElement("a");
      link.href = url; link.textContent = label; link.title = url; link.rel = "noopener noreferrer";
      line.appendChild(link);
      box.appendChild(line);
    }
    return box;
  }
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, group: undefined,
    color: n.picOnly ? {background: "#ffffff", border: n.color} : {background: n.color, border: n.color},
    shape: n.picOnly ? "square" : "dot", borderWidth: n.picOnly ? 2 : 1,
    shapeProperties: n.picOnly ? {borderDashes: [3, 3]} : {},
    title: tooltip(n), legendGroup: n.group, name: n.name})));
  const edges = new vis.DataSet(data.edges.map((e, i) => ({id: i, from: e.from, to: e.to, width: e.width})));
  const hidden = new Set();
  const view = new vis.DataView(nodes, {filter: (n) => !hidden.has(n.legendGroup)});
  const container = document.getElementById("network");
  const network = new vis.Network(container, {nodes: view, edges: edges}, data.options);
  const legend = document.getElementById("legend");
  for (const [group, colour, count] of data.legend) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.group = group;
    box.addEventListener("change", () => {
      if (box.checked) { hidden.delete(group); } else { hidden.add(group); }
      view.refresh();
    });
    const swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = colour;
    label.appendChild(box); label.appendChild(swatch);
    label.appendChild(document.createTextNode(group + " (" + count + ")"));
    legend.appendChild(label);
  }
  const names = document.getElementById("names");
  const byName = new Map();
  for (const n of data.nodes) {
    if (!byName.has(n.name)) { byName.set(n.name, n.id); }
    const option = document.createElement("option");
    option.value = n.name;
    names.appendChild(option);
  }
  let found = null, found_restore = null;
  function find(value) {
    const wanted = value.trim().toLowerCase();
    if (!wanted) { return null; }
    let id = byName.has(value) ? byName.get(value) : null;
    if (id === null) {
      const hit = data.nodes.find((n) => n.name.toLowerCase().includes(wanted));
      id = hit ? hit.id : null;
    }
    if (id === null) { text("status", "not found"); return null; }
    const node = nodes.get(id);
    if (hidden.has(node.legendGroup)) { hidden.delete(node.legendGroup); view.refresh(); }
    // The found node is marked so it cannot be missed: a thick red ring and its name in bold.
    if (found !== null && found !== id) { nodes.update(found_restore); }
    found_restore = {id: id, borderWidth: node.borderWidth, color: node.color, font: node.font || {},
                     label: node.label};
    nodes.update({id: id, borderWidth: 8, label: node.name,
                  color: {background: node.color.background, border: "#d1242f"},
                  font: {bold: true, size: data.options.nodes.font.size * 1.4, color: "#d1242f"}});
    found = id;
    network.selectNodes([id]);
    network.focus(id, {scale: 1.5, animation: false});
    text("status", node.name);
    return id;
  }
  const search = document.getElementById("search");
  search.addEventListener("change", () => find(search.value));
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") { find(search.value); } });
  window.dkgMap = {network: network, nodes: nodes, edges: edges, view: view, find: find, ready: false};
  // Interactive once the first frame is drawn (physics, where on, keeps refining afterwards).
  const ready = () => { window.dkgMap.ready = true; document.body.dataset.ready = "true"; };
  // Open fitted to the largest connected part (a stray node would leave it small in a corner),
  // and fit again when physics (on for small maps) has settled the nodes.
  // (maxZoomLevel: a small network may be zoomed in to fill the frame; vis-network stops at 1.)
  const fit = () => {
    const options = {animation: false, maxZoomLevel: 8};
    if (data.focus.length) { options.nodes = data.focus; }
    network.fit(options);
    document.body.dataset.fitted = "true";
  };
  if (data.options.physics.enabled) {
    // Physics settles the start layout, then stops: a picture that keeps drifting never stays fitted.
    // (and the fit waits for the next frame, when the canvas has its final size)
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({physics: false});
      network.once("afterDrawing", fit);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", fit);
  }
  network.once("afterDrawing", ready);
  if (data.nodes.length === 0) { ready(); }
})();
