/* agentkb default theme: copy buttons, the colour theme toggle, the menu of narrow screens, the
 * current page in the navigation and the current section in the table of contents. Pages work
 * without it. In the single-file bundle, pages change without a reload: the bundle's runtime
 * fires "akb:page" on the document each time, and what depends on the page is done again. */
(function () {
  "use strict";

  function copyText(text, button) {
    function done(ok) {
      var label = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", label);
      button.textContent = ok ? "Copied" : "Copy failed";
      setTimeout(function () { button.textContent = label; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { fallback(); });
    } else {
      fallback();
    }
    /* file:// pages are not a secure context everywhere: fall back to a hidden textarea. */
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
  }

  /* The text of a code block exactly as written: line numbers are decoration, not code. */
  function codeText(figure) {
    var code = figure.querySelector("pre code");
    if (!code) return "";
    var clone = code.cloneNode(true);
    Array.prototype.forEach.call(clone.querySelectorAll(".lin"), function (n) { n.parentNode.removeChild(n); });
    return clone.textContent;
  }

  var root = document.documentElement, header = document.querySelector(".site-header");
  var menu = document.querySelector(".nav-toggle"), nav = document.querySelector(".site-nav");
  function media(q, fn) {
    var m = window.matchMedia ? window.matchMedia(q) : { matches: true };
    if (fn && m.addEventListener) m.addEventListener("change", fn);
    else if (fn && m.addListener) m.addListener(fn);
    return m;
  }

  /* ---- colour theme: auto (the system's) -> light -> dark, kept in localStorage; base.mustache
   * applies it before the first paint, from the same key. ---- */
  var KEY = "akb-theme", NEXT = { auto: "light", light: "dark", dark: "auto" };
  var SAID = { auto: "auto (as the system)", light: "light", dark: "dark" };
  function theme() {
    var t = root.getAttribute("data-theme");
    return NEXT[t] ? t : "auto";
  }
  function applyTheme(t) {
    root.setAttribute("data-theme", t);
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) meta.setAttribute("content", t === "auto" ? "light dark" : t);
    var b = document.querySelector(".theme-toggle");
    if (b) {
      b.setAttribute("aria-label", "Colour theme: " + SAID[t]);
      b.title = "Colour theme: " + SAID[t] + "; next: " + NEXT[t];
    }
  }
  function chooseTheme(t) {
    applyTheme(t);
    /* Storage may be refused (file:// in some browsers, privacy modes): the choice then lasts this page. */
    try {
      if (t === "auto") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, t);
    } catch (e) { /* ignore */ }
  }
  applyTheme(theme());
  /* Another tab changed it. */
  window.addEventListener("storage", function (e) {
    if (e.key === KEY || e.key === null) applyTheme(e.newValue === "light" || e.newValue === "dark" ? e.newValue : "auto");
  });

  /* ---- the menu that holds the navigation on narrow screens ---- */
  function menuOpen() { return !!menu && menu.getAttribute("aria-expanded") === "true"; }
  function setMenu(open) {
    if (!menu || !header) return;
    menu.setAttribute("aria-expanded", String(open));
    header.classList.toggle("nav-open", open);
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && menuOpen()) {
      setMenu(false);
      menu.focus();
    }
  });

  /* ---- the current page in the navigation ----
   * Where a URL points, comparable over http, file:// and the bundle's "#/route" fragments: the
   * path, or the route, without "index.html", query or anchor. */
  var bundled = function () { return typeof window.__akbInline === "function"; };
  function place(url) {
    var u = new URL(url, location.href);
    var p = bundled() ? (u.hash.lastIndexOf("#/", 0) === 0 ? u.hash.slice(2).split("#")[0] : "") : u.pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it encoded */ }
    return p.replace(/(^|\/)index\.html$/, "$1");
  }
  /* aria-current="page" on the link to this very page; "true" on the section it belongs to: a
   * taxonomy for its term pages, "All agents" for an agent. */
  function markNav() {
    if (!nav) return;
    var links = Array.prototype.slice.call(nav.querySelectorAll("a[href]"));
    var brand = document.querySelector(".brand"), home = place(brand ? brand.href : links[0] ? links[0].href : "");
    var here = place(location.href), exact = null, section = null, best = -1;
    links.forEach(function (a) {
      var p = place(a.href);
      if (p === here) exact = exact || a;
      else if (p !== home && here.lastIndexOf(p, 0) === 0 && p.length > best) {
        section = a;
        best = p.length;
      }
    });
    if (!exact && !section && document.body.classList.contains("agent_page")) {
      links.forEach(function (a) { if (!section && place(a.href) === home) section = a; });
    }
    links.forEach(function (a) {
      var v = a === exact ? "page" : a === section ? "true" : null;
      if (v) a.setAttribute("aria-current", v);
      else a.removeAttribute("aria-current");
    });
  }

  /* ---- table of contents: open beside the article on wide screens, folded above it on narrow
   * ones (agent.mustache folds it before the first paint); the section being read is marked. ---- */
  var wide = media("(min-width: 901px)", function () {
    var d = document.querySelector(".toc details");
    if (d) d.open = wide.matches;
    track();
  });
  var spy = null, spyTimer = 0;
  function tocLinks() {
    return Array.prototype.slice.call(document.querySelectorAll(".toc a[href]")).map(function (a) {
      var h = a.getAttribute("href"), id = h.slice(h.lastIndexOf("#") + 1);
      try { id = decodeURIComponent(id); } catch (e) { /* as written */ }
      return { a: a, h: id && document.getElementById(id) };
    }).filter(function (x) { return x.h; });
  }
  /* The section being read: the last heading above a line 30% down the window, or, at the very
   * bottom of the page, the last heading in sight (a short last section never reaches the line). */
  function mark(items) {
    var line = window.innerHeight * 0.3, current = null, i;
    for (i = 0; i < items.length; i++) {
      if (items[i].h.getBoundingClientRect().top <= line) current = items[i];
    }
    var doc = document.scrollingElement || root;
    if (items.length && window.innerHeight + window.scrollY >= doc.scrollHeight - 2) {
      for (i = items.length - 1; i >= 0; i--) {
        if (items[i].h.getBoundingClientRect().top < window.innerHeight) { current = items[i]; break; }
      }
    }
    items.forEach(function (x) {
      if (x === current) x.a.setAttribute("aria-current", "true");
      else x.a.removeAttribute("aria-current");
    });
  }
  function track() {
    if (spy) spy.disconnect();
    spy = null;
    var items = tocLinks();
    if (!items.length) return;
    var again = function () {
      /* One pass per frame, however many headings crossed. */
      if (spyTimer) return;
      var run = function () { spyTimer = 0; mark(items); };
      spyTimer = window.requestAnimationFrame ? window.requestAnimationFrame(run) : setTimeout(run, 16);
    };
    if (window.IntersectionObserver) {
      /* Something crossing the line: the band above it is the root. Headings alone would miss a jump
       * (a link, Home, a search result) from one long section into another, when no heading enters
       * or leaves the band; with every block of the article one always does. */
      spy = new IntersectionObserver(again, { rootMargin: "0px 0px -70% 0px" });
      items.forEach(function (x) { spy.observe(x.h); });
      Array.prototype.forEach.call(document.querySelectorAll("main .agent > *, main .prose > *"), function (e) {
        spy.observe(e);
      });
      /* The end of the page coming into sight, for the last sections. */
      var end = document.querySelector(".site-footer");
      if (end) {
        var bottom = new IntersectionObserver(again, { threshold: [0, 0.25, 0.5, 0.75, 1] });
        bottom.observe(end);
        var first = spy;
        spy = { disconnect: function () { first.disconnect(); bottom.disconnect(); } };
      }
    } else {
      window.addEventListener("scroll", again, { passive: true });
      spy = { disconnect: function () { window.removeEventListener("scroll", again); } };
    }
    mark(items);
  }
  function pageReady() {
    var d = document.querySelector(".toc details");
    /* The bundle inserts pages without running their scripts: fold here instead. */
    if (d && !wide.matches) d.open = false;
    markNav();
    track();
  }
  pageReady();
  document.addEventListener("akb:page", function () {
    setMenu(false);
    pageReady();
  });
  window.addEventListener("hashchange", markNav);

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (menuOpen() && header && !header.contains(t)) setMenu(false);
    var sum = t.closest ? t.closest(".toc summary") : null;
    /* Beside the article the contents stay open: their heading is a heading, not a switch. */
    if (sum && wide.matches) {
      ev.preventDefault();
      return;
    }
    var link = t.closest ? t.closest("a[href]") : null;
    if (link && nav && nav.contains(link)) setMenu(false);
    /* Out of the way once a section is chosen on a narrow screen. */
    if (link && !wide.matches && link.closest(".toc")) {
      var d = link.closest("details");
      if (d) d.open = false;
    }
    var button = t.closest ? t.closest("button") : null;
    if (!button) return;
    if (button.classList.contains("theme-toggle")) {
      chooseTheme(NEXT[theme()]);
    } else if (button.classList.contains("nav-toggle")) {
      setMenu(!menuOpen());
    } else if (button.classList.contains("copy")) {
      var fig = button.closest("figure.code");
      if (fig) copyText(codeText(fig), button);
    } else if (button.classList.contains("copy-source")) {
      var tpl = document.getElementById(button.getAttribute("data-source"));
      if (tpl) copyText(tpl.content ? tpl.content.textContent : tpl.textContent, button);
    } else if (button.classList.contains("copy-install")) {
      copyText(installCommand(button), button);
    } else if (button.classList.contains("copy-text")) {
      copyText(button.getAttribute("data-text"), button);
    }
  });

  /* ---- install commands (cards, search results, the agent page): one line that puts the agent's
   * file where Claude Code reads it. The site's base_url gives the address; without one it is where
   * this page is: curl from a web server, cp from a folder on disk (file://). The single-file bundle
   * has no file on disk to point at: there the path alone is copied. ---- */
  function shellQuote(s) { return "'" + s.replace(/'/g, "'\\''") + "'"; }
  function installCommand(b) {
    var dest = b.getAttribute("data-path"), abs = b.getAttribute("data-url"), u;
    /* A skill with files installs from its .tar.gz, unpacked into the skills folder. */
    var archive = b.getAttribute("data-archive"), dir = b.getAttribute("data-dir");
    if (window.__akbInline) return dest;
    if (archive) abs = b.getAttribute("data-archive-url");
    /* data-raw is relative to the site root, which the search form's data-root knows from this page. */
    var holder = document.querySelector("[data-root]"), root = holder ? holder.getAttribute("data-root") : "";
    try { u = new URL(abs || root + (archive || b.getAttribute("data-raw")), location.href); } catch (e) { return dest; }
    var folder = archive ? dir : dest.slice(0, Math.max(dest.lastIndexOf("/"), 0));
    var mk = folder ? "mkdir -p " + folder + " && " : "";
    if (archive) {
      if (u.protocol === "file:") return mk + "tar -xzf " + shellQuote(decodeURIComponent(u.pathname)) + " -C " + (folder || ".");
      return mk + "curl -fsSL " + shellQuote(u.href) + " | tar -xzf - -C " + (folder || ".");
    }
    if (u.protocol === "file:") return mk + "cp " + shellQuote(decodeURIComponent(u.pathname)) + " " + dest;
    return mk + "curl -fsSL -o " + dest + " " + shellQuote(u.href);
  }
  /* Without a base_url the agent page's command is written here, from where the page is. */
  function fillInstall() {
    Array.prototype.forEach.call(document.querySelectorAll("code.install-command[data-fill]"), function (c) {
      var b = c.parentNode.parentNode.querySelector(".copy-install");
      if (b) c.textContent = installCommand(b);
    });
  }
  fillInstall();
  document.addEventListener("akb:page", fillInstall);

  /* ---- the agent graph's filter: the collections ticked are drawn (nodes, and edges whose ends are). ---- */
  function graphFilter() {
    var box = document.querySelector(".graph-filter"), svg = document.querySelector("svg.graph");
    if (!box || !svg) return;
    box.hidden = false;
    function apply() {
      var on = {};
      Array.prototype.forEach.call(box.querySelectorAll("input"), function (i) { on[i.value] = i.checked; });
      Array.prototype.forEach.call(svg.querySelectorAll("[data-collection]"), function (el) {
        var all = el.getAttribute("data-collection").split(" ").every(function (c) { return on[c] !== false; });
        el.classList.toggle("off", !all);
      });
    }
    box.addEventListener("change", apply);
    apply();
  }
  graphFilter();
  document.addEventListener("akb:page", graphFilter);
})();
