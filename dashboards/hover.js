// Hover labels for the graph component (st-link-analysis has none): the pointer over a node shows
// its English name, kind and events in a small box beside it. Runs in the dashboard's page (st.html);
// the component's frame is served by the same server, so its Cytoscape instance (which Cytoscape
// keeps on its container as `_cyreg.cy`) can be reached. Idempotent: safe to run on every rerun.
(() => {
  if (window.kgHover) return;
  window.kgHover = true;

  function tipText(node) {
    const parts = [node.data("name"), node.data("label")];
    const events = node.data("events");
    if (node.data("label") !== "Event" && events) parts.push(events === 1 ? "1 event" : `${events} events`);
    return parts.filter(Boolean).join(" · ");
  }

  function attach(frameDocument, cy) {
    const tip = frameDocument.getElementById("kg-hover") || frameDocument.createElement("div");
    tip.id = "kg-hover";
    Object.assign(tip.style, {
      position: "absolute", display: "none", pointerEvents: "none", zIndex: 10, padding: "2px 6px",
      background: "rgba(255,255,255,0.95)", border: "1px solid #999", borderRadius: "3px",
      font: "13px sans-serif", color: "#222", whiteSpace: "nowrap",
    });
    frameDocument.body.appendChild(tip);
    cy.on("mouseover", "node", (event) => {
      const box = cy.container().getBoundingClientRect();
      tip.textContent = tipText(event.target);  // text, never HTML: names come from articles
      tip.style.left = `${box.left + event.renderedPosition.x + 12}px`;
      tip.style.top = `${box.top + event.renderedPosition.y + 12}px`;
      tip.style.display = "block";
    });
    cy.on("mouseout", "node", () => { tip.style.display = "none"; });
    cy.on("viewport", () => { tip.style.display = "none"; });
    cy.scratch("kgHover", true);
  }

  setInterval(() => {
    for (const frame of document.querySelectorAll("iframe[title*='st_link_analysis']")) {
      let frameDocument;
      try { frameDocument = frame.contentDocument; } catch (error) { continue; }
      const cy = frameDocument?.getElementById("cy")?._cyreg?.cy;
      if (cy && !cy.scratch("kgHover")) attach(frameDocument, cy);
    }
  }, 500);
})();
