/* Small page behaviours; everything else is plain HTML forms and htmx.
   - [data-dismiss="alert"] closes its .alert
   - [data-confirm="…"] on a button, link or form asks before going on
   - htmx swaps keep these working because the listeners are delegated from document. */
(function () {
  "use strict";

  function dismiss(alert) {
    alert.classList.add("is-leaving");
    window.setTimeout(function () { alert.remove(); }, 200);
  }

  document.addEventListener("click", function (event) {
    var closer = event.target.closest('[data-dismiss="alert"]');
    if (closer) {
      var alert = closer.closest(".alert");
      if (alert) { dismiss(alert); }
      return;
    }
    var asker = event.target.closest("a[data-confirm], button[data-confirm], input[data-confirm]");
    if (asker && !asker.disabled && !window.confirm(asker.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Close an open <details class="dropdown"> when clicking elsewhere or pressing Escape.
  function closeDropdowns(except) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (d !== except) { d.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    closeDropdowns(event.target.closest("details.dropdown"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeDropdowns(null); }
  });

  // On narrow screens the navigation scrolls sideways: bring the current item into view.
  function centreActiveNav() {
    document.querySelectorAll(".sidebar, .topnav .nav-list").forEach(function (nav) {
      var item = nav.querySelector(".is-active");
      if (item && nav.scrollWidth > nav.clientWidth) {
        nav.scrollLeft = item.offsetLeft - (nav.clientWidth - item.offsetWidth) / 2;
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", centreActiveNav);
  } else {
    centreActiveNav();
  }
})();
