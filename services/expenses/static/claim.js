/* Shows the mileage allowance as the claimant types, asking the server (the same sum it stores).
   Progressive enhancement: without this script the form's "Work out the allowance" button does it. */
(function () {
  "use strict";
  var form = document.getElementById("journey-form");
  if (!form || !window.fetch) { return; }
  var out = document.getElementById("allowance");
  var working = document.getElementById("allowance-working");
  var names = ["date-day", "date-month", "date-year", "miles", "vehicle", "passengers"];
  var timer = null;

  function value(name) {
    var field = form.elements[name];
    if (!field) { return ""; }
    if (field.length !== undefined && field.tagName === undefined) {
      for (var i = 0; i < field.length; i++) { if (field[i].checked) { return field[i].value; } }
      return "";
    }
    return field.value;
  }

  function ask() {
    var query = names.map(function (n) { return encodeURIComponent(n) + "=" + encodeURIComponent(value(n)); }).join("&");
    fetch(form.getAttribute("data-quote-url") + "?" + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        out.textContent = body.amount || "–";
        working.textContent = body.working || "";
      })
      .catch(function () { /* the button still works */ });
  }

  var longJourney = document.getElementById("long-journey");

  function showLongJourney() {
    var miles = parseFloat(value("miles").replace(/,/g, ""));
    longJourney.hidden = !(miles > parseFloat(longJourney.getAttribute("data-over")));
  }

  form.addEventListener("input", showLongJourney);
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 250); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(ask, 50); });
}());
