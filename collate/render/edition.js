// collate edition viewer: renders the edition held in <script id="edition-data">: the reading
// text at once, the synoptic view in chunks as the reader scrolls.
// Every piece of witness text reaches the page through textContent / createTextNode only,
// never through innerHTML, so no witness can inject markup or script.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("edition-data").textContent);
  var wits = data.wits;
  var segs = data.segs;
  var CHUNK = 300;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // Leiden text of a reading; with "at", only about RADIUS characters around piece "at".
  var RADIUS = 120;
  function plain(pieces, at) {
    var s = "";
    var center = -1;
    for (var k = 0; k < pieces.length; k++) {
      if (k === at) center = s.length;
      var q = pieces[k];
      s += typeof q === "string" ? q : q.e !== undefined ? (q.k === "supplied" ? "[" + q.e + "]" : q.e) : q.l;
    }
    if (center < 0) center = 0;
    if (s.length <= 2 * RADIUS + 40) return s;
    var a = Math.max(0, center - RADIUS);
    var b = Math.min(s.length, center + RADIUS);
    return (a > 0 ? "\u2026" : "") + s.slice(a, b) + (b < s.length ? "\u2026" : "");
  }

  // One restoration or lacuna as a clickable span holding its Leiden form (rendered by Python).
  function supSpan(p, s, g, k) {
    var cls = p.r === null ? "sup gap" : "sup cert-" + p.cert + (p.r === "" ? " none" : "");
    var span = el("span", cls, p.l);
    span.setAttribute("data-s", s);
    span.setAttribute("data-g", g);
    span.setAttribute("data-p", k);
    span.setAttribute("tabindex", "0");
    span.setAttribute("role", "button");
    var pct = p.c.length ? " " + Math.round(100 * p.c[0][1]) + " %" : "";
    span.title = p.r === null ? "lacuna, not restored" : (p.r === "" ?
      "placeholder for nothing" : "restored") + " (" + p.cert + pct + ")";
    return span;
  }

  // Text the witness's editor supplied (in brackets) or marked unclear, with the markup's words.
  function editorSpan(p) {
    var span = el("span", "ed ed-" + p.k, p.k === "supplied" ? "[" + p.e + "]" : p.e);
    span.title = p.t;
    return span;
  }

  function appendPieces(parent, pieces, s, g) {
    for (var k = 0; k < pieces.length; k++) {
      var p = pieces[k];
      if (typeof p === "string") parent.appendChild(document.createTextNode(p));
      else if (p.e !== undefined) parent.appendChild(editorSpan(p));
      else parent.appendChild(supSpan(p, s, g, k));
    }
  }

  function lazy(container, count, renderChunk, sentinel) {
    var next = 0;
    function more() {
      var stop = Math.min(count, next + CHUNK);
      var frag = document.createDocumentFragment();
      for (; next < stop; next++) renderChunk(frag, next);
      container.appendChild(frag);
      if (next < count) container.appendChild(sentinel);
      else if (sentinel.parentNode) sentinel.parentNode.removeChild(sentinel);
    }
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(function (entries) {
        if (entries[0].isIntersecting) { container.removeChild(sentinel); more(); }
      }, { rootMargin: "1500px" });
      io.observe(sentinel);
      more();
    } else {
      while (next < count) more();
    }
  }

  // Reading text: every word is on the page from the start (so find-in-page finds the last
  // one); runs of agreeing text are one text node each, so the DOM stays light at book length.
  var reading = document.getElementById("reading");
  (function () {
    var frag = document.createDocumentFragment();
    var run = [];
    function flush() {
      if (run.length) frag.appendChild(document.createTextNode(run.join("")));
      run = [];
    }
    for (var s = 0; s < segs.length; s++) {
      var groups = segs[s];
      if (groups.length === 1) {
        var pieces = groups[0][1];
        for (var k = 0; k < pieces.length; k++) {
          if (typeof pieces[k] === "string") { run.push(pieces[k]); continue; }
          flush();
          frag.appendChild(pieces[k].e !== undefined ? editorSpan(pieces[k]) : supSpan(pieces[k], s, 0, k));
        }
        continue;
      }
      flush();
      var v = el("span", "var");
      v.setAttribute("data-s", s);
      v.setAttribute("tabindex", "0");
      v.setAttribute("role", "button");
      v.title = "variant: " + (groups.length) + " readings";
      appendPieces(v, groups[0][1], s, 0);
      if (!v.textContent.trim()) v.appendChild(el("span", "om", "\u2038"));
      frag.appendChild(v);
    }
    flush();
    reading.appendChild(frag);
  })();

  // Transpositions: per segment, the witnesses whose reading there is a moved block, and
  // where the other witness has the block (shown on the cell, not smeared over gaps).
  var moved = {};
  (data.moves || []).forEach(function (m) {
    [[m[0], m[1]], [m[1], m[0]]].forEach(function (pair) {
      var here = pair[0], there = pair[1];
      for (var s = here[1]; s <= here[2]; s++) {
        (moved[s] = moved[s] || []).push([here[0], "moved: " + wits[there[0]].id +
          " has this passage at row " + (there[1] + 1)]);
      }
    });
  });
  function markMoved(cells, s) {
    (moved[s] || []).forEach(function (mv) {
      var c = cells[mv[0]];
      if (!c || !c.textContent.trim()) return;
      c.classList.add("moved");
      c.title = c.title ? c.title + "; " + mv[1] : mv[1];
      if (!c.querySelector(".move")) c.insertBefore(el("span", "move", "\u21c4 "), c.firstChild);
    });
  }

  // Synoptic view: one row per segment, invariant text spans all witnesses.
  var synopsisBuilt = false;
  function buildSynopsis() {
    if (synopsisBuilt) return;
    synopsisBuilt = true;
    var table = document.getElementById("synopsis");
    var head = el("tr");
    for (var w = 0; w < wits.length; w++) head.appendChild(el("th", null, wits[w].id));
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    table.appendChild(tbody);
    lazy(tbody, segs.length, function (frag, s) {
      var groups = segs[s];
      var tr = el("tr");
      tr.setAttribute("data-s", s);
      if (groups.length === 1) {
        var td = el("td", "same");
        td.colSpan = wits.length;
        appendPieces(td, groups[0][1], s, 0);
        tr.appendChild(td);
      } else {
        var cells = [];
        for (var g = 0; g < groups.length; g++) {
          for (var i = 0; i < groups[g][0].length; i++) {
            var st = groups[g][2] === "lost" || groups[g][2] === "restored" ? " st-" + groups[g][2] : "";
            var c = el("td", (g === 0 ? "diff lem" : "diff") + st);
            appendPieces(c, groups[g][1], s, g);
            var place = groups[g][4] ? groups[g][4][groups[g][0][i]] : "";
            var tip = [groups[g][3], place].filter(Boolean).join("; ");
            if (tip) c.title = tip;
            cells[groups[g][0][i]] = c;
          }
        }
        markMoved(cells, s);
        for (var k = 0; k < cells.length; k++) tr.appendChild(cells[k]);
      }
      frag.appendChild(tr);
    }, rowSentinel());
  }

  function rowSentinel() {
    var tr = el("tr", "sentinel");
    var td = el("td", null, "\u2026");
    td.colSpan = wits.length;
    tr.appendChild(td);
    return tr;
  }

  // Panel: candidates of a restoration, and what each witness reads here.
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");

  function show(s, g, p) {
    body.textContent = "";
    var groups = segs[s];
    if (g !== null && p !== null) {
      var piece = groups[g][1][p];
      body.appendChild(el("h2", null, piece.r !== null ? "Restoration" : "Lacuna"));
      body.appendChild(el("p", "marker", "Placeholder: " + piece.m + "  (" + piece.lo + "\u2013" +
        (piece.hi === null ? "?" : piece.hi) + " characters lost)"));
      var list = el("table", "cands");
      var hr = el("tr");
      hr.appendChild(el("th", null, "candidate"));
      hr.appendChild(el("th", null, "confidence"));
      hr.appendChild(el("th", null, "evidence"));
      list.appendChild(hr);
      for (var c = 0; c < piece.c.length; c++) {
        var cand = piece.c[c];
        var tr = el("tr", "cand");
        tr.appendChild(el("td", "ctext", cand[0] === "" ? "(nothing)" : cand[0]));
        tr.appendChild(el("td", "conf", (100 * cand[1]).toFixed(1) + " %"));
        var src = el("td", "src", cand[2].filter(function (x) { return x.indexOf("form:") !== 0; }).join(", "));
        (cand[3] || []).forEach(function (why) { src.appendChild(el("div", "why", why)); });
        tr.appendChild(src);
        list.appendChild(tr);
      }
      if (!piece.c.length) body.appendChild(el("p", null, "No candidate."));
      else body.appendChild(list);
    }
    body.appendChild(el("h2", null, groups.length > 1 ? "Witnesses (variant)" : "Witnesses"));
    var ul = el("ul", "wits");
    for (var gi = 0; gi < groups.length; gi++) {
      var li = el("li", gi === 0 ? "lem" : "rdg");
      var sig = [];
      for (var w = 0; w < groups[gi][0].length; w++) sig.push(wits[groups[gi][0][w]].id);
      li.appendChild(el("b", null, sig.join(" ") + (gi === 0 ? " (lemma)" : "")));
      if (groups[gi][3]) li.appendChild(el("span", "st", " \u2014 " + groups[gi][3]));
      li.appendChild(document.createTextNode(": "));
      var at = gi === g ? p : (groups.length === 1 ? p : null);
      var shown = plain(groups[gi][1], at).replace(/[ \t]*\n\s*\n\s*/g, "\n").trim();
      li.appendChild(el("span", "rd", shown || "(omitted)"));
      ul.appendChild(li);
    }
    body.appendChild(ul);
    panel.hidden = false;
    document.body.classList.add("panel-open");
  }

  function onActivate(ev) {
    var t = ev.target.closest ? ev.target.closest("[data-s]") : null;
    if (!t) return;
    var s = +t.getAttribute("data-s");
    var g = t.hasAttribute("data-g") ? +t.getAttribute("data-g") : null;
    var p = t.hasAttribute("data-p") ? +t.getAttribute("data-p") : null;
    ev.stopPropagation();
    show(s, g, p);
    keepInView(t);
  }

  // The clicked word stays on screen: above the panel where the panel is a bottom sheet
  // (narrow screens), anywhere in the window beside a side panel.
  function keepInView(t) {
    var r = t.getBoundingClientRect();
    var top = 8;
    var bottom = window.innerHeight - 8;
    var pr = panel.getBoundingClientRect();
    if (pr.top > window.innerHeight / 4) bottom = pr.top - 8;
    if (r.top >= top && r.bottom <= bottom) return;
    window.scrollBy(0, r.top + r.height / 2 - (top + bottom) / 2);
  }
  function onKey(ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); onActivate(ev); } }
  reading.addEventListener("click", onActivate);
  reading.addEventListener("keydown", onKey);
  document.getElementById("synopsis").addEventListener("click", onActivate);
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true;
    document.body.classList.remove("panel-open");
  });

  // Tabs
  var tabs = document.querySelectorAll("[data-tab]");
  for (var i = 0; i < tabs.length; i++) {
    tabs[i].addEventListener("click", function (ev) {
      var name = ev.currentTarget.getAttribute("data-tab");
      for (var j = 0; j < tabs.length; j++) {
        var on = tabs[j].getAttribute("data-tab") === name;
        tabs[j].setAttribute("aria-selected", on ? "true" : "false");
        document.getElementById(tabs[j].getAttribute("data-tab") + "-view").hidden = !on;
      }
      // a note belongs to the view it was opened in: switching views closes it
      panel.hidden = true;
      document.body.classList.remove("panel-open");
      if (name === "synopsis") buildSynopsis();
    });
  }
  // Below a wide screen the legend starts folded, so the text starts on the first screen.
  if (window.innerWidth <= 1000) document.getElementById("legend").open = false;
  document.body.setAttribute("data-ready", "true");
})();
