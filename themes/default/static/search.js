/* agentkb default theme: the search UI. It reveals the header's search form and puts a results
 * panel in the page: results as you type, keyboard choice, facet filters, the ?q= and filter state
 * in the URL. The index is loaded on demand as classic scripts under search/ (<script> tags, so it
 * works from file://, under any subpath, and, through window.__akbInline, inside the single-file
 * bundle). All ranking is the engine's (search-engine.js, window.AgentkbSearch), kept apart so it
 * stays free of the DOM and testable in node; pages load it before this file. Both load async:
 * whichever runs second starts the search.
 *
 * The script is loaded async, right after the search form: it may run while the rest of the page is
 * still being parsed. A ?q= link starts its query at once; the results panel goes into <main> as
 * soon as <main> exists (at the latest at DOMContentLoaded). */
(function () {
  "use strict";
  if (typeof document === "undefined" || !document.querySelector) return;
  var PAGE = 10;
  var me = document.currentScript;

  whenEngine(function (S) {
    whenForm(function (form) { start(S, form); });
  });

  /* Calls fn(AgentkbSearch) now, or when search-engine.js has run. */
  function whenEngine(fn) {
    if (window.AgentkbSearch) fn(window.AgentkbSearch);
    else window.__akbSearchOnEngine = fn;
  }
  /* Calls fn(form) with the page's search form, once it is parsed (never, on a page without one). */
  function whenForm(fn) {
    var form = document.querySelector(".akb-search");
    if (form) fn(form);
    else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { whenForm(fn); });
  }

  function start(S, form) {
    me = me || document.querySelector("script[data-root][src*='search.js']");
    var root = (me && me.getAttribute("data-root")) || form.getAttribute("data-root") || "";
    var ui = {
      S: S, form: form, root: root,
      /* The site's base_url, when it has one: install commands download from there, as cards' do. */
      base: form.getAttribute("data-base") || "",
      engine: S.createEngine({ load: fileLoader(root) }),
      state: { q: "", filters: {}, browse: false, limit: PAGE },
      keys: [], seq: 0, done: 0, go: false, active: -1, boxes: {}, speak: 0, counted: false, urlTimer: 0,
      narrow: window.matchMedia ? window.matchMedia("(max-width: 900px)") : null, filtersOpen: false,
    };
    buildPanel(ui);
    listenInput(ui);
    listenFilters(ui);
    listenPanel(ui);
    listenSlashKey(ui);
    restoreFromURL(ui);
  }

  /* ---- Index files: classic scripts that call __akbSearchLoad(kind, id, data). ---- */
  function fileName(kind, id) { return "search/" + (kind === "t" || kind === "d" ? kind + id : kind) + ".js"; }
  /* The engine's load(kind, id): a <script> per file, answered when it calls __akbSearchLoad. */
  function fileLoader(root) {
    var pending = {};
    window.__akbSearchLoad = function (kind, id, data) {
      if (kind === "base") window.__akbSearchBase = data; /* also when <head>'s copy runs after ours */
      var p = pending[kind + id];
      if (p) { delete pending[kind + id]; p(data); }
    };
    return function (kind, id) {
      /* base.js, loaded by the page's <head>, ran first: its data is here already. */
      if (kind === "base" && window.__akbSearchBase) return Promise.resolve(window.__akbSearchBase);
      return new Promise(function (ok, fail) { addScript(root, kind, id, pending, ok, fail); });
    };
  }
  function addScript(root, kind, id, pending, ok, fail) {
    var s = document.createElement("script"), file = fileName(kind, id);
    s.src = root + file;
    /* Low by default for inserted scripts: these are what the reader waits for (facet counts can wait). */
    if (kind !== "facets") s.fetchPriority = "high";
    pending[kind + id] = ok;
    s.onerror = function () { delete pending[kind + id]; fail(new Error("cannot load " + s.src)); };
    s.onload = function () { if (pending[kind + id]) fail(new Error("no data in " + s.src)); };
    /* agentkb bundle seam (src/bundle/bundle_runtime.js): a single-file bundle has no search/ folder and
     * hands over the file's text instead; it runs as an inline script, with no request. */
    if (window.__akbInline) {
      window.__akbInline(file).then(function (text) {
        s.removeAttribute("src");
        s.text = text;
        document.head.appendChild(s);
        s.onload();
      }, s.onerror);
      return;
    }
    document.head.appendChild(s);
  }

  /* ---- The panel. ---- */
  function el(tag, cls, html) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html) e.innerHTML = html;
    return e;
  }
  function buildPanel(ui) {
    var form = ui.form;
    ui.input = form.querySelector("input");
    ui.live = form.querySelector("[role=status]");
    ui.btn = form.querySelector(".akb-search-filters");
    if (!ui.live) { ui.live = el("div", "akb-sr"); ui.live.setAttribute("role", "status"); form.appendChild(ui.live); }
    var panel = ui.panel = el("section", "akb-search-panel", '<div class="akb-search-body">' +
      '<div class="akb-facets" role="group" aria-label="Filters"></div><div class="akb-search-main">' +
      '<div class="akb-search-head"><p class="akb-search-count"></p>' +
      '<button type="button" class="button akb-search-clear">Clear search</button></div>' +
      '<ul class="akb-results" id="akb-search-results" role="listbox" aria-label="Search results"></ul>' +
      '<button type="button" class="button akb-more" hidden></button></div></div>');
    ui.count = panel.querySelector(".akb-search-count");
    ui.clear = panel.querySelector(".akb-search-clear");
    ui.facetBox = panel.querySelector(".akb-facets");
    ui.list = panel.querySelector(".akb-results");
    ui.more = panel.querySelector(".akb-more");
    panel.id = "akb-search-panel";
    panel.hidden = true;
    panel.setAttribute("aria-label", "Search");
    ui.mounted = mount(panel);
    ui.input.setAttribute("aria-controls", ui.list.id);
    ui.input.setAttribute("aria-expanded", "false");
    form.hidden = false;
  }
  /* Resolves once the panel is in the page: in <main>, or in <body> when the page has no <main>. */
  function mount(panel) {
    return new Promise(function (ok) {
      function put() {
        var main = document.querySelector("main");
        if (!main && document.readyState === "loading") return false;
        main = main || document.body;
        main.insertBefore(panel, main.firstChild);
        ok();
        return true;
      }
      if (!put()) document.addEventListener("DOMContentLoaded", put);
    });
  }

  /* ---- State. ---- */
  /* Facet keys in the index's order (once base.js is in), else as the filters were set. */
  function fkeys(ui) { return ui.keys.length ? ui.keys : Object.keys(ui.state.filters); }
  function filtersOn(ui) {
    return fkeys(ui).reduce(function (n, k) { return n + (ui.state.filters[k] || []).length; }, 0);
  }
  function isOpen(ui) { return !!(ui.state.q.trim() || filtersOn(ui) || ui.state.browse); }
  /* The state in the URL (replaceState: no history entries), a moment after the last change. */
  function saveURL(ui) {
    clearTimeout(ui.urlTimer);
    ui.urlTimer = setTimeout(function () { writeURL(ui); }, 150);
  }
  function writeURL(ui) {
    clearTimeout(ui.urlTimer);
    var p = new URLSearchParams();
    if (ui.state.q) p.set("q", ui.state.q);
    fkeys(ui).forEach(function (k) { (ui.state.filters[k] || []).forEach(function (v) { p.append(k, v); }); });
    var s = p.toString();
    try { history.replaceState(history.state, "", (s ? "?" + s : location.pathname) + location.hash); } catch (e) { /* ignore */ }
  }

  /* ---- Rendering. ---- */
  function setActive(ui, i) {
    var opts = ui.list.children;
    if (opts[ui.active]) opts[ui.active].setAttribute("aria-selected", "false");
    ui.active = i;
    if (opts[i]) {
      opts[i].setAttribute("aria-selected", "true");
      ui.input.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    } else ui.input.removeAttribute("aria-activedescendant");
  }
  function renderFacets(ui, fs) {
    fs.forEach(function (f) {
      var box = ui.boxes[f.key] || (ui.boxes[f.key] = facetBox(ui, f)), vis = 0;
      f.values.forEach(function (v, i) {
        var it = box.items[i], hide = !v.count && !v.selected;
        if (it.cb.checked !== v.selected) it.cb.checked = v.selected;
        if (it.c !== v.count) it.n.textContent = it.c = v.count;
        if (it.li.hidden !== hide) it.li.hidden = hide;
        if (!hide) vis++;
      });
      if (box.set.hidden !== !vis) box.set.hidden = !vis;
    });
  }
  /* A facet's fieldset, a checkbox a value: {set, items: [{li, cb, n}]}. */
  function facetBox(ui, f) {
    var set = el("fieldset", "akb-facet"), ul = el("ul");
    set.appendChild(el("legend", null, ui.S.esc(f.title)));
    set.appendChild(ul);
    ui.facetBox.appendChild(set);
    return { set: set, items: f.values.map(function (v) {
      var li = el("li", null, '<label><input type="checkbox"><span class="akb-facet-name"></span><span class="count"></span></label>');
      var cb = li.querySelector("input");
      cb.value = li.firstChild.title = li.querySelector("span").textContent = v.value;
      cb.setAttribute("data-facet", f.key);
      ul.appendChild(li);
      return { li: li, cb: cb, n: li.querySelector(".count") };
    }) };
  }
  function countText(res) {
    var q = res.query.trim(), n = res.total, what = n === 1 ? "1 agent" : n + " agents";
    return !q ? what : !n ? "No agents match “" + q + "”" :
      what + (res.mode === "or" ? " matching some of the words" : "") + " for “" + q + "”";
  }
  function render(ui, res, rows) {
    var msg = countText(res), n = res.total;
    ui.count.textContent = msg;
    ui.list.innerHTML = rows.map(function (r, i) { return resultHTML(ui, res, r, i); }).join("");
    ui.more.hidden = n <= rows.length;
    ui.more.textContent = "Show more (" + (n - rows.length) + ")";
    ui.active = -1;
    ui.input.removeAttribute("aria-activedescendant");
    if (res.facets) renderFacets(ui, res.facets);
    syncFilters(ui);
    clearTimeout(ui.speak);
    ui.speak = setTimeout(function () { ui.live.textContent = msg; }, 200);
  }
  function resultHTML(ui, res, r, i) {
    var esc = ui.S.esc, hl = ui.S.highlight;
    var meta = [r.department, r.category].filter(Boolean).map(esc).join(" › ");
    if (r.model) meta += (meta ? " · " : "") + '<span class="badge badge-model">' + esc(r.model) + "</span>";
    return '<li class="akb-result" role="option" aria-selected="false" id="akb-result-' + i + '"><a tabindex="-1" href="' +
      esc(ui.root + r.url) + '"><span class="akb-result-name">' + hl(r.name, res) +
      (r.qualifier ? ' <span class="qualifier">' + esc(r.qualifier) + "</span>" : "") + "</span>" +
      (meta ? '<span class="akb-result-meta">' + meta + "</span>" : "") +
      (r.text ? '<span class="akb-result-text">' + hl(r.text, res, 180) + "</span>" : "") + "</a>" +
      installButton(ui, r) + "</li>";
  }
  /* agents/<slug>/index.html: the raw file beside it, and where its harness wants it (site.js copies).
   * A sub-agent's are implied by its slug; other formats carry theirs (none: nothing to copy). */
  function installButton(ui, r) {
    var esc = ui.S.esc, base = ui.base;
    var slug = r.url.split("/")[1] || "", ins = r.install || { path: ".claude/agents/" + slug + ".md", raw: slug + ".md", dir: "" };
    var raw = "agents/" + slug + "/" + ins.raw, archive = ins.dir ? "agents/" + slug + "/" + slug + ".tar.gz" : "";
    if (!ins.path) return "";
    return '<button class="copy-install akb-result-copy" type="button" tabindex="-1" data-raw="' + esc(raw) +
      (base ? '" data-url="' + esc(base + encodeURI(raw)) : "") +
      (archive ? '" data-archive="' + esc(archive) + '" data-dir="' + esc(ins.dir) + (base ? '" data-archive-url="' + esc(base + encodeURI(archive)) : "") : "") +
      '" data-path="' + esc(ins.path) + '" aria-label="Copy the command that installs ' + esc(r.name) +
      '">Copy install</button>';
  }
  function showPanel(ui, on) {
    if (on === !ui.panel.hidden) return;
    ui.panel.hidden = !on;
    if (!on) ui.filtersOpen = false;
    syncFilters(ui);
    if (document.body) document.body.classList.toggle("akb-searching", on);
    ui.input.setAttribute("aria-expanded", String(on));
    if (on) window.scrollTo(0, 0);
  }

  /* ---- Searching. ---- */
  function run(ui) {
    var my = ++ui.seq, state = ui.state;
    if (!isOpen(ui)) {
      ui.done = my;
      showPanel(ui, false);
      clearTimeout(ui.speak);
      ui.live.textContent = "";
      saveURL(ui);
      return Promise.resolve();
    }
    /* Until facets.js has come once, results first and their facet counts right after (fillCounts). */
    return ui.engine.search(state.q, { filters: state.filters, counts: ui.counted }).then(function (res) {
      if (my !== ui.seq) return;
      if (res.facets) ui.keys = res.facets.map(function (f) { return f.key; });
      saveURL(ui);
      return Promise.all([ui.engine.docs(res.ids.slice(0, state.limit)), ui.mounted]).then(function (got) {
        if (my !== ui.seq) return;
        show(ui, res, got[0], my);
      });
    }).catch(function (e) {
      if (my !== ui.seq) return;
      ui.count.textContent = "Search is unavailable (" + e.message + ").";
      showPanel(ui, true);
    });
  }
  function show(ui, res, rows, my) {
    render(ui, res, rows);
    showPanel(ui, true);
    ui.done = my;
    if (ui.go) enter(ui);
    if (!res.facets) fillCounts(ui, my);
  }
  function fillCounts(ui, my) {
    return ui.engine.search(ui.state.q, { filters: ui.state.filters }).then(function (res) {
      ui.counted = true;
      if (my !== ui.seq) return;
      ui.keys = res.facets.map(function (f) { return f.key; });
      renderFacets(ui, res.facets);
    }, function () { /* shown by the next search */ });
  }
  function reset(ui) {
    ui.input.value = ui.state.q = "";
    ui.state.filters = {};
    ui.state.browse = false;
    ui.state.limit = PAGE;
    run(ui);
  }
  /* Opens the chosen result (the first when none is). */
  function enter(ui) {
    var li = ui.list.children[ui.active >= 0 ? ui.active : 0];
    ui.go = false;
    writeURL(ui); /* so that Back comes back to this search */
    if (li && !ui.panel.hidden) location.href = li.firstChild.href;
  }

  /* ---- Events. ---- */
  function listenInput(ui) {
    var input = ui.input;
    function typed() { ui.state.q = input.value; ui.state.limit = PAGE; ui.go = false; run(ui); }
    function warm() { ui.engine.warm(true).catch(function () { /* reported by the first search */ }); }
    /* While an input method composes (pinyin, kana), wait for the characters. */
    input.addEventListener("input", function (e) { if (!e.isComposing) typed(); });
    input.addEventListener("compositionend", typed);
    input.addEventListener("focus", warm);
    ui.form.addEventListener("pointerenter", warm);
    ui.form.addEventListener("submit", function (e) { e.preventDefault(); });
    input.addEventListener("keydown", function (e) { onInputKey(ui, e); });
  }
  function onInputKey(ui, e) {
    var n = ui.list.children.length, active = ui.active;
    if (e.isComposing || e.keyCode === 229) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!n || ui.panel.hidden) return;
      e.preventDefault();
      setActive(ui, e.key === "ArrowDown" ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      /* Results still coming for what was just typed: open the first when they arrive. */
      if (ui.done !== ui.seq && active < 0) ui.go = true; else enter(ui);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (isOpen(ui)) reset(ui); else ui.input.blur();
    }
  }
  /* Filters: opens the panel listing every agent; when it is open, goes to the filters. */
  /* On a narrow screen the filters are folded under the results; the Filters button unfolds them
   * (search.css keys on its aria-expanded), so the first tap shows them, not a list to scroll past. */
  function syncFilters(ui) {
    var btn = ui.btn, narrow = ui.narrow;
    if (!btn) return;
    if (narrow && narrow.matches) btn.setAttribute("aria-expanded", String(ui.filtersOpen && !ui.panel.hidden));
    else btn.removeAttribute("aria-expanded");
    var on = filtersOn(ui);
    btn.setAttribute("aria-label", on ? "Filters, " + on + " on" : "Filters");
  }
  function focusFilter(ui) {
    var cb = ui.facetBox.querySelector("li:not([hidden]) input");
    if (cb) cb.focus();
  }
  function listenFilters(ui) {
    var narrow = ui.narrow;
    function sync() { syncFilters(ui); }
    if (narrow) {
      if (narrow.addEventListener) narrow.addEventListener("change", sync); else narrow.addListener(sync);
    }
    syncFilters(ui);
    if (ui.btn) ui.btn.addEventListener("click", function () { onFiltersButton(ui); });
    ui.facetBox.addEventListener("change", function (e) { onFacetChange(ui, e.target); });
  }
  function onFiltersButton(ui) {
    if (ui.narrow && ui.narrow.matches) {
      if (ui.panel.hidden) {
        ui.filtersOpen = true;
        ui.state.browse = true;
        run(ui).then(function () { syncFilters(ui); focusFilter(ui); });
        return;
      }
      ui.filtersOpen = !ui.filtersOpen;
      syncFilters(ui);
      if (ui.filtersOpen) focusFilter(ui);
      return;
    }
    if (ui.panel.hidden) { ui.state.browse = true; run(ui); return; }
    focusFilter(ui);
  }
  function onFacetChange(ui, cb) {
    var k = cb.getAttribute("data-facet");
    if (!k) return;
    var vs = (ui.state.filters[k] || []).filter(function (v) { return v !== cb.value; });
    if (cb.checked) vs.push(cb.value);
    ui.state.filters[k] = vs;
    ui.state.browse = true;
    ui.state.limit = PAGE;
    run(ui);
  }
  function listenPanel(ui) {
    ui.clear.addEventListener("click", function () { reset(ui); ui.input.focus(); });
    ui.list.addEventListener("click", function () { writeURL(ui); });
    ui.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { reset(ui); ui.input.focus(); } });
    ui.more.addEventListener("click", function () { ui.state.limit += PAGE; run(ui); });
  }
  /* "/" anywhere but in a field goes to the search box. */
  function listenSlashKey(ui) {
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target, tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      ui.input.focus();
      ui.input.select();
    });
  }
  /* State from the URL: ?q=...&department=...&tools=... (repeated keys: OR within a facet). */
  function restoreFromURL(ui) {
    var params = new URLSearchParams(location.search), state = ui.state;
    state.q = ui.input.value = params.get("q") || "";
    if (state.q.trim()) {
      /* A search link: the page's own content gives way at once, so it is neither laid out nor
       * painted only to be hidden when the results come. */
      ui.count.textContent = "Searching…";
      if (document.body) document.body.classList.add("akb-searching");
      ui.mounted.then(function () { if (state.q.trim()) showPanel(ui, true); });
    }
    if (location.search.length > 1) {
      ui.engine.ready().then(function (b) {
        ui.keys = b.facets.map(function (f) { return f.key; });
        ui.keys.forEach(function (k) { if (params.getAll(k).length) state.filters[k] = params.getAll(k); });
        if (isOpen(ui)) run(ui);
      }, function () { if (state.q) run(ui); });
    }
  }
})();
