/* Uppföljningsboken: content wider than the screen (a wide table or chart on a phone) scrolls
   sideways in its own box; this marks such boxes so that they show a scroll bar, edge shadows and
   a short hint, and makes them reachable with the keyboard. Nothing changes where everything fits. */
(function () {
  "use strict";
  var HINT = "Bredare än skärmen: rulla i sidled för att se allt.";
  var BOXES = ".uppf-tabell-wrap, .pst-scrollable-table-container, figure.uppf-diagram, div.cell_output .output";

  function mark() {
    document.querySelectorAll("article.bd-article").forEach(function (article) {
      article.querySelectorAll(BOXES).forEach(function (box) {
        var style = getComputedStyle(box).overflowX;
        var wide = (style === "auto" || style === "scroll") && box.scrollWidth > box.clientWidth + 1;
        var hint = box.previousElementSibling;
        var hasHint = hint && hint.classList.contains("uppf-rullhint");
        box.classList.toggle("uppf-rullbar", wide);
        if (wide && !hasHint) {
          var p = document.createElement("p");
          p.className = "uppf-rullhint";
          p.setAttribute("aria-hidden", "true");
          p.textContent = HINT;
          box.parentNode.insertBefore(p, box);
        } else if (!wide && hasHint) {
          hint.remove();
        }
        if (wide && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-uppf-tabindex", "");
          if (!box.hasAttribute("aria-label") && box.tagName !== "FIGURE") {
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", "Rullbar tabell");
          }
        } else if (!wide && box.hasAttribute("data-uppf-tabindex")) {
          box.removeAttribute("tabindex");
          box.removeAttribute("data-uppf-tabindex");
        }
      });
    });
  }

  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(mark, 150); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("load", mark);
  window.addEventListener("resize", later);
})();
