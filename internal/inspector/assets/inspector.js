// fakeprovider inspector: polls the control API and performs every action
// through it. No framework, no build step.
(function () {
  "use strict";
  var base = location.pathname.replace(/\/ui\/?$/, ""); // "/_fakeprovider"
  var $ = function (id) { return document.getElementById(id); };
  var tenantSel = $("tenant");

  function tenant() { return tenantSel.value; }
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function ts(s) { return s && s.length >= 23 ? s.substr(11, 12).replace(/Z$/, "") : (s ? s.substr(11, 8) : ""); }
  function full(s) { return s ? new Date(s).toISOString().replace(/\.\d{3}Z$/, "Z") : ""; }
  function qs(o) {
    var p = [];
    for (var k in o) { if (o[k] !== "" && o[k] != null) p.push(encodeURIComponent(k) + "=" + encodeURIComponent(o[k])); }
    return p.length ? "?" + p.join("&") : "";
  }
  // The control token (--control-token): from the URL's fragment
  // (#token=…, never sent to the server), then kept for this tab only.
  var tokenKey = "fakeprovider-control-token";
  var fromHash = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (fromHash) {
    try { sessionStorage.setItem(tokenKey, decodeURIComponent(fromHash[1])); } catch (e) {}
    history.replaceState(null, "", location.pathname + location.search);
  }
  function token() { try { return sessionStorage.getItem(tokenKey) || ""; } catch (e) { return ""; } }
  function askToken(show) { $("token-form").hidden = !show; if (show) $("token").focus(); }
  function api(method, path, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    if (token()) init.headers["Authorization"] = "Bearer " + token();
    return fetch(base + path, init).then(function (r) {
      return r.text().then(function (t) {
        var v = null;
        try { v = t ? JSON.parse(t) : null; } catch (e) { v = t; }
        if (r.status === 401) askToken(true);
        if (!r.ok) { throw new Error(method + " " + path + ": " + r.status + " " + (v && v.message ? v.message : t)); }
        return v;
      });
    });
  }
  function flash(msg, bad) {
    var d = document.createElement("div");
    d.className = bad ? "err" : "msg";
    d.textContent = msg;
    var f = $("flash");
    f.insertBefore(d, f.firstChild);
    while (f.childNodes.length > 4) f.removeChild(f.lastChild);
  }
  function rows(tbody, items, render, empty, cols) {
    tbody.innerHTML = items && items.length ? items.map(render).join("") :
      '<tr><td colspan="' + cols + '" class="empty">' + empty + "</td></tr>";
  }

  function renderClock(c) {
    $("clock-wall").textContent = full(c.wall);
    $("clock-scenario").textContent = full(c.scenario_now);
    $("clock-offset").textContent = c.offset;
  }
  // The journal's filter and page (GET /requests criteria).
  var page = { offset: 0, size: 50, total: 0 };
  function filter() {
    return { provider: $("f-provider").value.trim(), status: $("f-status").value.trim(), auth: $("f-auth").value,
      path_prefix: $("f-path").value.trim(), text: $("f-text").value.trim(), unmatched: $("f-unmatched").checked ? "true" : "" };
  }
  function headerText(h) {
    return Object.keys(h || {}).sort().map(function (k) { return k + ": " + h[k] + "\n"; }).join("");
  }
  function renderRequests(v) {
    var list = v.requests || [];
    page.total = v.total || list.length;
    $("requests-count").textContent = page.total;
    $("page-info").textContent = list.length ? (page.offset + 1) + "–" + (page.offset + list.length) + " of " + page.total : "0 of " + page.total;
    $("page-prev").disabled = page.offset === 0;
    $("page-next").disabled = page.offset + list.length >= page.total;
    rows($("requests"), list, function (r) {
      var auth = r.auth.ok ? '<span class="ok">ok</span>' :
        '<span class="bad">failed</span>' + (r.auth.reason ? '<pre class="reason">' + esc(r.auth.reason) + "</pre>" : "");
      if (r.fault) auth += ' <span class="fault">fault ' + esc(r.fault) + "</span>";
      return '<tr class="' + (r.auth.ok ? "" : "auth-fail") + '"><td title="' + esc(full(r.time)) + '">' + esc(ts(r.time)) +
        "</td><td>" + esc(r.provider) + "</td><td>" + esc(r.tenant) + "</td><td><code>" + esc(r.method + " " + r.path + (r.query ? "?" + r.query : "")) +
        "</code>" + (r.unmatched ? ' <span class="tag">unmatched</span>' : "") +
        details("req/" + r.id, "headers and bodies", "→ " + r.method + " " + r.path + (r.query ? "?" + r.query : "") + "\n" + headerText(r.request_headers) + "\n" + (r.request_body || ""),
          "← " + r.status + "\n" + headerText(r.response_headers) + "\n" + (r.response_body || "")) +
        "</td><td><code>" + esc(r.route) + '</code></td><td class="st st' + r.status + '">' + r.status + "</td><td>" + auth + "</td></tr>";
    }, page.offset ? "no more requests" : "no requests match", 7);
  }
  // Open <details> survive a refresh: they are keyed and remembered.
  var openDetails = {};
  document.addEventListener("toggle", function (ev) {
    var k = ev.target.getAttribute && ev.target.getAttribute("data-key");
    if (k) openDetails[k] = ev.target.open;
  }, true);
  function details(key, summary, body, extra) {
    return '<details data-key="' + esc(key) + '"' + (openDetails[key] ? " open" : "") + "><summary>" + esc(summary) +
      "</summary><pre>" + esc(body) + "</pre>" + (extra ? "<pre>" + esc(extra) + "</pre>" : "") + "</details>";
  }
  function renderWebhooks(list) {
    $("webhooks-count").textContent = list.length;
    rows($("webhooks"), list, function (w) {
      var atts = (w.attempts || []).map(function (a) {
        return "<li>" + esc(ts(a.time)) + " → <b>" + (a.response_status ? a.response_status : "no answer") + "</b> in " +
          (a.latency_ms || 0).toFixed(1) + " ms" + (a.resend ? " (resend)" : "") + (a.error ? ' <span class="bad">' + esc(a.error) + "</span>" : "") +
          details(w.id + "/" + ts(a.time), "request and answer", (a.method || "POST") + " " + a.url + "\n" +
            Object.keys(a.request_headers || {}).sort().map(function (k) { return k + ": " + a.request_headers[k] + "\n"; }).join("") +
            "\n" + (a.request_body || ""), a.response_body) + "</li>";
      }).join("");
      var d = w.delivery || {};
      return '<tr data-id="' + esc(w.id) + '" data-provider="' + esc(w.provider) + '"><td title="' + esc(full(w.created)) + '">' + esc(ts(w.created)) + "</td><td>" + esc(w.provider) +
        "</td><td>" + esc(w.tenant) + "</td><td>" + esc(d.event || "") + (d.resource_id ? " <code>" + esc(d.resource_id) + "</code>" : "") +
        "</td><td><code>" + esc(d.url) + '</code></td><td class="ws ' + esc(w.status) + '">' + esc(w.status) +
        '</td><td><ol class="attempts" data-count="' + (w.attempts || []).length + '">' + atts +
        '</ol></td><td><button class="resend" data-id="' + esc(w.id) + '">Resend</button></td></tr>';
    }, "no webhooks yet", 8);
  }
  function renderScenarios(list) {
    rows($("scenarios"), list, function (s) {
      return "<tr><td><b>" + esc(s.name) + "</b>" + (s.default ? ' <span class="tag">default</span>' : "") + '<div class="desc">' + esc(s.description) +
        "</div></td><td>" + esc(s.provider) + "</td><td><code>" + esc(s.on) + "</code></td><td>" + s.steps + "</td><td>" + esc(s.source) +
        '</td><td><button class="trigger" data-name="' + esc(s.name) + '">Trigger</button></td></tr>';
    }, "no scenarios loaded", 6);
  }
  function renderRuns(list) {
    rows($("runs"), list, function (r) {
      return "<tr><td>" + esc(r.scenario) + "</td><td>" + esc(r.tenant) + "</td><td>" + esc(r.provider + " " + (r.kind || "")) + " <code>" +
        esc(r.resource_id) + "</code></td><td>" + r.step + '</td><td class="rs ' + esc(r.status) + '">' + esc(r.status) +
        (r.error ? ' <span class="bad run-error">' + esc(r.error) + "</span>" : "") + "</td><td>" + esc(full(r.due_at)) + "</td></tr>";
    }, "no runs", 6);
  }
  function renderFaults(list) {
    $("faults-count").textContent = list.length;
    rows($("faults"), list, function (f) {
      var effect = [f.status ? "status " + f.status : "", f.latency ? "latency " + f.latency : "", f.drop ? "drop" : ""].filter(Boolean).join(", ");
      return '<tr data-id="' + esc(f.id) + '"><td><code>' + esc(f.id) + "</code></td><td>" + esc(f.provider || "any") + "</td><td>" + esc(f.tenant || "any") +
        "</td><td><code>" + esc((f.method || "*") + " " + (f.path || "*")) + "</code></td><td>" + esc(effect) + "</td><td>" + (f.count || "every") +
        "</td><td>" + (f.hits || 0) + "</td><td>" + esc(f.source || "") + '</td><td><button class="fault-remove" data-id="' + esc(f.id) + '">Remove</button></td></tr>';
    }, "no fault rules", 9);
  }
  function renderTenants(list) {
    var t = tenant();
    $("reset").textContent = t ? "Reset tenant " + t : "Reset everything";
    rows($("tenants"), list, function (x) {
      var id = x.tenant, creds = {};
      Object.keys(x).forEach(function (k) { if (k !== "tenant") creds[k] = x[k]; });
      return '<tr data-tenant="' + esc(id) + '"><td><code>' + esc(id) + "</code></td><td>" +
        details("creds/" + id, Object.keys(creds).sort().join(", "), JSON.stringify(creds, null, 2)) + "</td><td>" +
        (id === "default" ? "" : '<button class="tenant-delete" data-id="' + esc(id) + '">Delete</button>') + "</td></tr>";
    }, "no tenants", 3);
  }
  function renderState(id, state) {
    $("state-tenant").textContent = id;
    var el = $("state");
    var html = "";
    Object.keys(state || {}).sort().forEach(function (p) {
      html += "<h3>" + esc(p) + "</h3>";
      Object.keys(state[p]).sort().forEach(function (k) {
        var key = p + "/" + k;
        html += '<details data-key="' + esc(key) + '"' + (openDetails[key] ? " open" : "") + "><summary>" + esc(k) + " <small>" +
          Object.keys(state[p][k]).length + "</small></summary><pre>" + esc(JSON.stringify(state[p][k], null, 2)) + "</pre></details>";
      });
    });
    el.innerHTML = html || '<p class="empty">no records</p>';
  }

  var busy = false;
  function refresh() {
    if (busy) return Promise.resolve();
    // A page rendered without the token polls only once it has one.
    if (document.body.hasAttribute("data-locked") && !token()) { askToken(true); return Promise.resolve(); }
    busy = true;
    var t = tenant();
    var stateFor = t || "default";
    return Promise.all([
      api("GET", "/clock" + qs({ tenant: t })).then(renderClock),
      api("GET", "/requests" + qs(Object.assign({ tenant: t, limit: page.size, offset: page.offset }, filter()))).then(renderRequests),
      api("GET", "/faults").then(function (v) {
        renderFaults((v.faults || []).filter(function (f) { return !t || !f.tenant || f.tenant === t; }));
      }),
      api("GET", "/webhooks" + qs({ tenant: t, limit: 50 })).then(function (v) { renderWebhooks(v.webhooks || []); }),
      api("GET", "/scenarios").then(function (v) { renderScenarios(v.scenarios || []); }),
      api("GET", "/scenarios/runs" + qs({ tenant: t, limit: 50 })).then(function (v) { renderRuns(v.runs || []); }),
      api("GET", "/state" + qs({ tenant: stateFor })).then(function (v) { renderState(stateFor, v.state); }),
      api("GET", "/tenants").then(function (v) {
        renderTenants(v.tenants || []);
        var have = {};
        Array.prototype.forEach.call(tenantSel.options, function (o) { have[o.value] = true; });
        (v.tenants || []).forEach(function (x) {
          if (!have[x.tenant]) { var o = document.createElement("option"); o.value = o.textContent = x.tenant; tenantSel.appendChild(o); }
        });
      })
    ]).then(function () {
      $("live").className = "live";
      askToken(false);
      document.body.setAttribute("data-refreshed", String(Date.now()));
    }, function (e) {
      $("live").className = "live down";
      flash(e.message, true);
    }).then(function () { busy = false; });
  }

  $("advance-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = { by: $("advance-by").value.trim() };
    if (tenant()) body.tenant = tenant();
    api("POST", "/clock/advance", body).then(function (v) {
      flash("advanced " + body.by + ": " + v.steps_run + " scenario step(s), " + v.delivery_attempts + " webhook attempt(s)");
      renderClock(v.clock);
      return refresh();
    }, function (e) { flash(e.message, true); });
  });
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button") : null;
    if (!b) return;
    if (b.classList.contains("resend")) {
      b.disabled = true;
      api("POST", "/webhooks/" + encodeURIComponent(b.getAttribute("data-id")) + "/resend").then(function (w) {
        var last = (w.attempts || [])[w.attempts.length - 1] || {};
        flash("resent " + w.id + ": " + (last.response_status || last.error || "sent"));
        return refresh();
      }, function (e) { flash(e.message, true); b.disabled = false; });
    } else if (b.classList.contains("fault-remove")) {
      act(api("DELETE", "/faults/" + encodeURIComponent(b.getAttribute("data-id"))), function () { return "removed fault " + b.getAttribute("data-id"); });
    } else if (b.classList.contains("tenant-delete")) {
      var id = b.getAttribute("data-id");
      act(api("DELETE", "/tenants/" + encodeURIComponent(id)), function () {
        if (tenant() === id) tenantSel.value = "";
        Array.prototype.forEach.call(tenantSel.options, function (o) { if (o.value === id) tenantSel.removeChild(o); });
        return "deleted tenant " + id;
      });
    } else if (b.classList.contains("trigger")) {
      var id = $("trigger-id").value.trim();
      if (!id) { flash("enter the resource id the scenario applies to", true); return; }
      var body = { id: id };
      if (tenant()) body.tenant = tenant();
      api("POST", "/scenarios/" + encodeURIComponent(b.getAttribute("data-name")) + "/trigger", body).then(function (run) {
        flash("triggered " + run.scenario + " on " + run.resource_id + " (run " + run.id + ")");
        return refresh();
      }, function (e) { flash(e.message, true); });
    }
  });
  $("requests-filter").addEventListener("submit", function (ev) {
    ev.preventDefault();
    page.offset = 0;
    refresh();
  });
  $("f-clear").addEventListener("click", function () {
    ["f-provider", "f-status", "f-path", "f-text"].forEach(function (id) { $(id).value = ""; });
    $("f-auth").value = "";
    $("f-unmatched").checked = false;
    page.offset = 0;
    refresh();
  });
  $("page-prev").addEventListener("click", function () { page.offset = Math.max(0, page.offset - page.size); refresh(); });
  $("page-next").addEventListener("click", function () { page.offset += page.size; refresh(); });
  function act(promise, done) {
    return promise.then(function (v) { flash(done(v)); return refresh(); }, function (e) { flash(e.message, true); });
  }
  $("requests-delete").addEventListener("click", function () {
    act(api("DELETE", "/requests" + qs({ tenant: tenant() })), function (v) { page.offset = 0; return "cleared " + v.removed + " journaled request(s)"; });
  });
  $("fault-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = { provider: $("fault-provider").value.trim(), method: $("fault-method").value.trim(), path: $("fault-path").value.trim() };
    var st = parseInt($("fault-status").value, 10), n = parseInt($("fault-count").value, 10), lat = $("fault-latency").value.trim();
    if (st) f.status = st;
    if (n) f.count = n;
    if (lat) f.latency = lat;
    if (tenant()) f.tenant = tenant();
    Object.keys(f).forEach(function (k) { if (f[k] === "") delete f[k]; });
    act(api("POST", "/faults", f), function (r) { return "added fault " + r.id; });
  });
  $("faults-clear").addEventListener("click", function () {
    act(api("DELETE", "/faults" + qs({ tenant: tenant() })), function () { return "removed the fault rules" + (tenant() ? " of " + tenant() : ""); });
  });
  $("tenant-new").addEventListener("click", function () {
    act(api("POST", "/tenants"), function (v) { return "new tenant " + v.tenant; });
  });
  $("reset").addEventListener("click", function () {
    var t = tenant();
    act(api("POST", "/reset" + qs({ tenant: t })), function () { page.offset = 0; return t ? "reset tenant " + t : "reset everything"; });
  });
  tenantSel.addEventListener("change", function () {
    history.replaceState(null, "", location.pathname + qs({ tenant: tenant() }));
    page.offset = 0;
    refresh();
  });
  $("token-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    try { sessionStorage.setItem(tokenKey, $("token").value.trim()); } catch (e) {}
    $("token").value = "";
    askToken(false);
    refresh();
  });
  setInterval(refresh, 2000);
  refresh();
})();
