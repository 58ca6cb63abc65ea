/* agentkb default theme: copy buttons. Pages work without it. */
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

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button") : null;
    if (!button) return;
    if (button.classList.contains("copy")) {
      var fig = button.closest("figure.code");
      if (fig) copyText(codeText(fig), button);
    } else if (button.classList.contains("copy-source")) {
      var tpl = document.getElementById(button.getAttribute("data-source"));
      if (tpl) copyText(tpl.content ? tpl.content.textContent : tpl.textContent, button);
    }
  });
})();
