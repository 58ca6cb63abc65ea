/* agentkb single-file bundle: the runtime. Compiled into agentkb (scripts/embed.sh) and inlined,
 * minified, by src/bundle_html.c before the theme's own scripts. It shows the page the URL fragment
 * names (#/agents/x/, #/agents/x/#heading; the home page without one) from the page data in
 * <script id="akb-data"> (gzip, base64), keeps back and forward working (with the search state each
 * history entry had, as reloading a page of the site would), serves the search index to search.js
 * through window.__akbInline, and turns links to files the bundle carries into downloads. It makes
 * no request: everything comes from this document. */
(function () {
  "use strict";
  var main = document.querySelector("main");
  if (!main) return;
  var D = null, byRoute = new Map(), lazy = null;
  var current = -1, shown = [], classes = [], urls = [], key = 0, lastY = 0, ys = new Map();
  var BASE = Date.now() * 1000;

  /* ---- data ---- */
  function bytes(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function inflate(id) {
    var el = document.getElementById(id);
    if (!el) return Promise.reject(new Error("no " + id + " in this file"));
    var stream = new Blob([bytes(el.textContent)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  function lazyFiles() { return lazy || (lazy = inflate("akb-lazy")); }
  /* A carried file's content: a string, or bytes for a file that is not UTF-8 text. */
  function content(v) { return typeof v === "string" ? v : bytes(v.b64); }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  /* search.js's file loader asks here for "search/..." files instead of adding a <script src>. */
  window.__akbInline = function (file) {
    return lazyFiles().then(function (all) {
      if (!has(all, file)) throw new Error(file + " is not in this bundle");
      return content(all[file]);
    });
  };

  /* A page's HTML: its parts are strings and numbers of fragments (HTML that several pages share,
   * stored once in "akb-frags", whose own parts may name smaller fragments). Pages come in chunks
   * ("akb-c<n>"), each decompressed when a page in it is first shown. */
  var frags = null, fragHTML = [], chunks = new Map(), slot = [];
  function join(F, parts) {
    var s = "";
    for (var i = 0; i < parts.length; i++) {
      var x = parts[i];
      s += typeof x !== "number" ? x : fragHTML[x] != null ? fragHTML[x] : (fragHTML[x] = join(F, F[x]));
    }
    return s;
  }
  function chunk(c) {
    if (!chunks.has(c)) chunks.set(c, inflate("akb-c" + c));
    return chunks.get(c);
  }
  function pageHTML(p) {
    return Promise.all([frags || (frags = inflate("akb-frags")), chunk(D.pages[p][3])]).then(function (r) {
      return join(r[0], r[1][slot[p]]);
    });
  }
  function parse(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }
  /* A linked file: held by a <template> on some page ([page, id]), or in the lazy data (0). */
  function fileData(path) {
    var f = D.files[path];
    if (Array.isArray(f)) {
      return pageHTML(f[0]).then(function (html) {
        var tpl = parse(html).getElementById(f[1]);
        return tpl ? (tpl.content || tpl).textContent : "";
      });
    }
    return lazyFiles().then(function (all) { return content(all[path]); });
  }
  var TYPES = { md: "text/markdown", json: "application/json", txt: "text/plain", svg: "image/svg+xml" };
  function blobURL(path, data) {
    var ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
    var url = URL.createObjectURL(new Blob([data], { type: (TYPES[ext] || "application/octet-stream") + ";charset=utf-8" }));
    urls.push(url);
    return url;
  }
  function baseName(path) { return path.slice(path.lastIndexOf("/") + 1); }
  function download(path) {
    return fileData(path).then(function (data) {
      var a = document.createElement("a");
      a.href = blobURL(path, data);
      a.download = baseName(path);
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  }

  /* ---- routes ---- */
  function dec(s) { try { return decodeURIComponent(s); } catch (e) { return s; } }
  function enc(route) { return encodeURI(route).replace(/[#?]/g, encodeURIComponent); }
  /* {route, anchor (decoded), raw (the anchor as written)} of a "#/route#anchor" fragment. */
  function split(h) {
    if (h.lastIndexOf("#/", 0) !== 0) {
      var a = h.slice(1);
      return { route: current >= 0 ? D.pages[current][0] : "", anchor: dec(a), raw: a, plain: !!a };
    }
    var rest = h.slice(2), i = rest.indexOf("#");
    return i < 0 ? { route: dec(rest), anchor: "", raw: "" } :
      { route: dec(rest.slice(0, i)), anchor: dec(rest.slice(i + 1)), raw: rest.slice(i + 1) };
  }
  /* A page index, {file: path} for a carried file, or -1. */
  function lookup(route) {
    var tries = [route, route + "/", route.replace(/(^|\/)index\.html$/, "$1")];
    for (var i = 0; i < tries.length; i++) if (byRoute.has(tries[i])) return byRoute.get(tries[i]);
    if (has(D.files, route)) return { file: route };
    return -1;
  }

  /* ---- showing a page ---- */
  function clear() {
    shown.forEach(function (n) { if (n.parentNode) n.parentNode.removeChild(n); });
    urls.forEach(function (u) { URL.revokeObjectURL(u); });
    shown = [];
    urls = [];
  }
  function put(fragment, title, cls) {
    clear();
    shown = Array.prototype.slice.call(fragment.childNodes);
    main.appendChild(fragment);
    document.title = title;
    var list = document.body.classList;
    classes.forEach(function (c) { list.remove(c); });
    classes = cls.split(/\s+/).filter(Boolean);
    classes.forEach(function (c) { list.add(c); });
    /* For the theme's scripts: what depends on the page (current links, contents) is done again. */
    document.dispatchEvent(new Event("akb:page"));
  }
  function render(p) {
    if (typeof p === "number") {
      var pg = D.pages[p];
      current = p;
      return pageHTML(p).then(function (html) { if (current === p) put(parse(html), pg[1], pg[2]); });
    }
    /* A carried file opened as a page (a shared link, or a link without `download`): its text. */
    current = -1;
    var home = D.pages[D.home];
    return fileData(p.file).then(function (data) {
      var name = baseName(p.file), f = parse('<article class="page prose"><h1></h1><p><a class="button" download></a></p><pre><code></code></pre></article>');
      var a = f.querySelector("a");
      f.querySelector("h1").textContent = name;
      a.textContent = "Download " + name;
      a.download = name;
      f.querySelector("code").textContent = typeof data === "string" ? data : "(binary file, " + data.length + " bytes)";
      put(f, name + " · " + home[1], "page");
      a.href = blobURL(p.file, data);
    });
  }
  function scrollTo(anchor, y) {
    if (y != null) { window.scrollTo(0, y); return; }
    var el = anchor && document.getElementById(anchor);
    if (el) el.scrollIntoView(); else window.scrollTo(0, 0);
  }

  /* ---- search state per history entry (the site keeps it in each page's ?q=...) ---- */
  function searchOpen() {
    var input = document.getElementById("akb-search-input");
    return document.body.classList.contains("akb-searching") || !!(input && input.value);
  }
  function closeSearch() {
    var clearButton = document.querySelector(".akb-search-clear");
    if (clearButton && searchOpen()) clearButton.click();
  }
  function restoreSearch() {
    var params = new URLSearchParams(location.search), q = params.get("q") || "", filters = [];
    params.forEach(function (v, k) { if (k !== "q") filters.push([k, v]); });
    if (!q && !filters.length) { closeSearch(); return; }
    var input = document.getElementById("akb-search-input");
    if (!input) return;
    if (input.value !== q) {
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (!filters.length) return;
    var browse = document.querySelector(".akb-search-filters");
    if (!q && browse && !searchOpen()) browse.click();
    /* The filter boxes appear with the first results. */
    var tries = 0;
    (function check() {
      filters = filters.filter(function (kv) {
        var boxes = document.querySelectorAll(".akb-facet input[data-facet]");
        for (var i = 0; i < boxes.length; i++) {
          var b = boxes[i];
          if (b.getAttribute("data-facet") === kv[0] && b.value === kv[1]) {
            /* A box may still show a filter the clear button dropped: unchecked, a click adds it. */
            b.checked = false;
            b.click();
            return false;
          }
        }
        return true;
      });
      if (filters.length && ++tries < 100) setTimeout(check, 20);
    })();
  }

  /* Shows what the URL names. A history entry seen before (back, forward) gets its scroll position
   * and search back; a new one (a followed link) starts at the top, or at its anchor, with the
   * search closed, as a newly loaded page of the site would. */
  var lastKey = 0, first = true, handled = "";
  function show() {
    var state = history.state;
    /* A fragment navigation fires popstate and hashchange both: the second finds its work done. */
    if (location.href === handled && state && state.akb === key) return Promise.resolve();
    var w = split(location.hash), target = lookup(w.route);
    var seen = !!(state && state.akb), initial = first;
    first = false;
    if (key) ys.set(key, lastY);
    key = seen ? state.akb : BASE + ++lastKey;
    /* The canonical fragment: a page's own route (#/agents/x/ for agents/x/index.html), and for a
     * plain "#x" (the skip link) the page it is on. Unknown routes stay as written (404). */
    var hash = location.hash;
    if (typeof target === "number" && target >= 0) hash = "#/" + enc(D.pages[target][0]) + (w.raw ? "#" + w.raw : "");
    /* A followed link carries the ?q= of the page it was on; a new entry starts without it. */
    var url = location.pathname + (seen || initial ? location.search : "") + hash;
    if (!seen || url !== location.pathname + location.search + location.hash) history.replaceState({ akb: key }, "", url);
    handled = location.href;
    if (target === -1) target = D.notfound;
    var same = typeof target === "number" && target === current;
    return (same ? Promise.resolve() : render(target)).then(function () {
      if (!initial) {
        if (seen) restoreSearch(); else closeSearch();
        if (!same && !seen) main.focus({ preventScroll: true });
      }
      scrollTo(w.anchor, seen && ys.has(key) ? ys.get(key) : null);
    });
  }

  /* ---- start ---- */
  if (!window.DecompressionStream || !window.Blob || !Blob.prototype.stream) {
    main.insertAdjacentHTML("beforeend", "<p>This offline bundle needs a browser with DecompressionStream " +
      "(Chrome 80, Firefox 113, Safari 16.4 or later).</p>");
    return;
  }
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  main.setAttribute("tabindex", "-1");
  main.style.outline = "none";
  window.addEventListener("scroll", function () { lastY = window.scrollY; }, { passive: true });
  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || !D) return;
    var a = e.target.closest ? e.target.closest("a[href]") : null, href = a && a.getAttribute("href");
    if (!href || href.lastIndexOf("#/", 0) !== 0) return;
    var w = split(href), target = lookup(w.route);
    if (typeof target === "object" && a.hasAttribute("download")) {
      e.preventDefault();
      download(target.file);
    } else if (a.href === location.href) {
      /* The same link again: the browser would not move, the site's page would. */
      e.preventDefault();
      scrollTo(w.anchor, null);
    }
  });
  var ready = inflate("akb-data").then(function (data) {
    D = data;
    var inChunk = [];
    D.pages.forEach(function (p, i) {
      byRoute.set(p[0], i);
      slot[i] = inChunk[p[3]] || 0;
      inChunk[p[3]] = slot[i] + 1;
    });
    /* Entries that differ in ?q= as well as in the fragment fire only popstate. */
    window.addEventListener("popstate", function () { show(); });
    window.addEventListener("hashchange", function () { show(); });
    return show();
  });
  ready.catch(function (e) {
    main.insertAdjacentHTML("beforeend", "<p>This bundle could not be opened: " +
      String(e && e.message).replace(/[<&]/g, "") + "</p>");
  });
})();
