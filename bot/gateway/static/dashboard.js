/* Ruta's analyst dashboard: filters, charts (Chart.js), tables, pain points and transcripts.
 * Every datum comes from /panel/api/… as JSON and is placed with textContent, never as HTML. */
(function () {
  "use strict";

  var API = "/panel/api";
  var COLORS = { blue: "#0b5cad", light: "#8fb8e6", green: "#1e7a3c", red: "#b3261e", orange: "#b85c00", grey: "#5b6472" };
  var charts = {};
  var data = null;
  var selectedPain = null;
  var asked = 0; // the latest request: answers to older ones are dropped

  var $ = RutaDom.byId;
  var el = RutaDom.el;
  var clear = RutaDom.clear;

  function getJSON(path) {
    return fetch(API + path, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      RutaDom.readJSON
    );
  }

  /* --- filters ---------------------------------------------------------------------- */

  function formParams() {
    var params = new URLSearchParams();
    ["since", "until", "channel", "stage"].forEach(function (name) {
      var value = $(name).value;
      if (value) params.set(name, value);
    });
    return params;
  }

  function fillSelect(select, items, chosen) {
    var first = select.options[0];
    clear(select);
    select.appendChild(first);
    items.forEach(function (item) {
      var option = el("option", null, item.label);
      option.value = item.name;
      select.appendChild(option);
    });
    select.value = chosen || "";
  }

  function showFilters(filters, options) {
    $("since").value = filters.since;
    $("until").value = filters.until;
    fillSelect($("channel"), options.channels.map(function (c) { return { name: c, label: c }; }), filters.channel);
    fillSelect($("stage"), options.stages, filters.stage);
  }

  function load(params) {
    var apply = $("apply");
    var mine = ++asked;
    apply.disabled = true;
    $("error").hidden = true;
    $("status").textContent = "Calculando… en un registro grande puede tardar unos segundos.";
    return getJSON("/report?" + params.toString())
      .then(function (body) {
        if (mine !== asked) return;
        data = body;
        showFilters(body.filters, body.options);
        render(body);
        $("status").textContent = "Datos " + body.filters.title.charAt(0).toLowerCase() + body.filters.title.slice(1) + ".";
        $("content").hidden = false;
        loadTrends(params, mine);
      })
      .catch(function (error) {
        if (mine !== asked) return;
        $("error").textContent = error.message;
        $("error").hidden = false;
        $("status").textContent = data ? "Sigues viendo los datos anteriores." : "";
      })
      .then(function () {
        if (mine === asked) apply.disabled = false;
      });
  }

  function loadTrends(params, mine) {
    var status = $("trends-status");
    status.textContent = "Calculando la evolución día a día…";
    status.hidden = false;
    getJSON("/trends?" + params.toString())
      .then(function (trends) {
        if (mine !== asked) return;
        status.hidden = true;
        renderTable(document.querySelector('[data-table="tendencias"]'), trends.table);
        renderTrendCharts(trends);
      })
      .catch(function (error) {
        if (mine === asked) status.textContent = error.message;
      });
  }

  /* --- tables ----------------------------------------------------------------------- */

  function csvLink(link, table) {
    link.href = table.csv;
    link.setAttribute("download", "");
  }

  function renderTable(holder, table) {
    clear(holder);
    var heading = holder.closest("section").querySelector("h2");
    if (!heading || heading.textContent !== table.title) holder.appendChild(el("h3", null, table.title));
    if (table.note) holder.appendChild(el("p", "hint", table.note));
    var place = holder;
    if (holder.hasAttribute("data-collapsed") && table.rows.length) {
      place = el("details");
      place.appendChild(el("summary", null, "Ver la tabla (" + table.rows.length + " filas)"));
      holder.appendChild(place);
    }
    if (!table.rows.length) {
      holder.appendChild(el("p", "empty", "Sin datos en este periodo."));
    } else {
      var wrap = el("div", "table-wrap");
      var node = el("table", "data");
      node.appendChild(el("caption", "visually-hidden", table.title));
      var headRow = el("tr");
      table.columns.forEach(function (heading) {
        var th = el("th", null, heading);
        th.scope = "col";
        headRow.appendChild(th);
      });
      var head = el("thead");
      head.appendChild(headRow);
      node.appendChild(head);
      var body = el("tbody");
      table.rows.forEach(function (row) {
        var tr = el("tr");
        row.forEach(function (value, i) {
          tr.appendChild(el("td", table.numeric[i] ? "n" : value.length > 40 ? "long" : null, value));
        });
        body.appendChild(tr);
      });
      node.appendChild(body);
      wrap.appendChild(node);
      place.appendChild(wrap);
    }
    var download = el("p", "downloads");
    var link = el("a", "csv", "Descargar CSV: " + table.title);
    csvLink(link, table);
    download.appendChild(link);
    holder.appendChild(download);
  }

  function renderTables(tables) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-table]"), function (holder) {
      var table = tables[holder.getAttribute("data-table")];
      if (table) renderTable(holder, table);
    });
    csvLink($("heatmap-csv"), tables.finales);
    csvLink($("examples-csv"), tables.ejemplos);
  }

  function renderSummary(items) {
    var list = $("summary");
    clear(list);
    items.forEach(function (item) {
      var box = el("div", "card");
      box.appendChild(el("dt", null, item.label));
      box.appendChild(el("dd", null, item.value));
      list.appendChild(box);
    });
  }

  function renderHeatmap(heatmap) {
    var head = $("heatmap-head");
    var body = $("heatmap-body");
    clear(head);
    clear(body);
    $("heatmap").hidden = !heatmap.rows.length;
    $("heatmap-empty").hidden = heatmap.rows.length > 0;
    var corner = el("th", null, "Etapa final");
    corner.scope = "col";
    head.appendChild(corner);
    heatmap.outcomes.concat(["Total"]).forEach(function (label) {
      var th = el("th", null, label);
      th.scope = "col";
      head.appendChild(th);
    });
    heatmap.rows.forEach(function (row) {
      var tr = el("tr");
      var th = el("th", null, row.label);
      th.scope = "row";
      tr.appendChild(th);
      row.cells.forEach(function (cell) {
        var td = el("td", "heat heat-" + cell.level);
        td.appendChild(el("span", "count", cell.count));
        td.appendChild(el("span", "share", cell.share));
        tr.appendChild(td);
      });
      tr.appendChild(el("td", "n total", row.total));
      body.appendChild(tr);
    });
  }

  /* --- charts ----------------------------------------------------------------------- */

  function chart(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign(
      { animation: false, responsive: true, maintainAspectRatio: false, locale: "es-ES" },
      config.options || {}
    );
    charts[id] = new window.Chart($(id), config);
  }

  function percentTick(value) {
    return value + " %";
  }

  function chartsAvailable() {
    var available = typeof window.Chart === "function";
    $("charts-missing").hidden = available;
    Array.prototype.forEach.call(document.querySelectorAll(".chart"), function (box) {
      box.hidden = !available;
    });
    return available;
  }

  function renderFunnel(funnel) {
    var available = chartsAvailable();
    $("funnel-chart").setAttribute(
      "aria-label",
      "Embudo por etapa. " +
        funnel.map(function (r) { return r.label + ": pasaron " + r.reached + ", terminaron " + r.ended; }).join("; ") +
        ". Los datos están en la tabla de debajo."
    );
    if (!available) return;
    chart("funnel-chart", {
      type: "bar",
      data: {
        labels: funnel.map(function (r) { return r.label; }),
        datasets: [
          { label: "Pasaron por ella", data: funnel.map(function (r) { return r.reached; }), backgroundColor: COLORS.blue },
          { label: "Terminaron en ella", data: funnel.map(function (r) { return r.ended; }), backgroundColor: COLORS.light },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { position: "bottom" } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function renderTrendCharts(trends) {
    var available = chartsAvailable();
    var span = trends.labels.length ? " del " + trends.labels[0] + " al " + trends.labels[trends.labels.length - 1] : "";
    $("volume-chart").setAttribute("aria-label", "Conversaciones por periodo" + span + ". Los datos están en la tabla de tendencias.");
    $("rates-chart").setAttribute(
      "aria-label",
      "Contención, derivación, abandono y conversaciones con fallback" + span + ". Los datos están en la tabla de tendencias."
    );
    if (!available) return;
    chart("volume-chart", {
      type: "bar",
      data: {
        labels: trends.labels,
        datasets: [{ label: "Conversaciones", data: trends.conversations, backgroundColor: COLORS.blue }],
      },
      options: {
        plugins: { legend: { position: "bottom" }, title: { display: true, text: "Conversaciones" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    function line(label, values, color, dash) {
      return { label: label, data: values, borderColor: color, backgroundColor: color, borderDash: dash || [], spanGaps: true, tension: 0.2, pointRadius: 2 };
    }
    chart("rates-chart", {
      type: "line",
      data: {
        labels: trends.labels,
        datasets: [
          line("Contención", trends.containment, COLORS.green),
          line("Derivación", trends.handoff, COLORS.red),
          line("Abandono", trends.abandonment, COLORS.orange, [6, 3]),
          line("Con fallback", trends.fallback, COLORS.grey, [2, 2]),
        ],
      },
      options: {
        plugins: {
          legend: { position: "bottom" },
          title: { display: true, text: "Tasas (%)" },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + item.formattedValue + " %"; } } },
        },
        scales: { y: { min: 0, max: 100, ticks: { callback: percentTick } } },
      },
    });
  }

  /* --- pain points and transcripts ---------------------------------------------------- */

  function painTitle(point) {
    var order = point.order_status !== "—" ? "pedido " + point.order_status + (point.late === "sí" ? " con retraso" : "") : "";
    return [point.stage, point.intent, point.category, order].filter(function (p) { return p && p !== "—"; }).join(" · ");
  }

  function renderPainPoints(points, note) {
    var list = $("pain-points");
    clear(list);
    $("pain-note").textContent = note;
    $("pain-empty").hidden = points.length > 0;
    list.hidden = !points.length;
    points.forEach(function (point) {
      var li = el("li", "pain-item");
      var button = el("button", "pain-open");
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      button.appendChild(el("span", "rank", "#" + point.rank));
      button.appendChild(el("span", "pain-title", painTitle(point)));
      button.appendChild(
        el("span", "pain-figures", point.conversations + " conversaciones · " + point.bad_rate + " con mal resultado (resto de la etapa: " + point.baseline + ")")
      );
      button.appendChild(el("span", "pain-trend" + (point.worse ? " worse" : ""), "Tendencia: " + point.trend));
      button.addEventListener("click", function () { showPain(point, button); });
      li.appendChild(button);
      list.appendChild(li);
    });
    var detail = $("pain-detail");
    clear(detail);
    detail.appendChild(el("p", "empty", "Elige un punto de dolor para ver sus palabras y sus conversaciones de ejemplo."));
    selectedPain = null;
  }

  function definition(list, term, value) {
    list.appendChild(el("dt", null, term));
    list.appendChild(el("dd", null, value));
  }

  function showPain(point, button) {
    if (selectedPain) selectedPain.setAttribute("aria-pressed", "false");
    selectedPain = button;
    button.setAttribute("aria-pressed", "true");
    var detail = $("pain-detail");
    clear(detail);
    detail.appendChild(el("h3", null, "#" + point.rank + " " + painTitle(point)));
    var facts = el("dl", "facts");
    definition(facts, "Conversaciones", point.conversations);
    definition(facts, "Mal resultado", point.bad_rate + " (resto de la etapa: " + point.baseline + ")");
    definition(facts, "Derivación", point.handoffs);
    definition(facts, "Abandono", point.abandoned);
    definition(facts, "Con fallback", point.with_fallback);
    definition(facts, "Valoración ≤ 2", point.low_csat);
    definition(facts, "Estado del pedido", point.order_status + (point.late === "sí" ? " (retrasado)" : ""));
    definition(facts, "Puntuación", point.score);
    definition(facts, "Tendencia", point.trend);
    detail.appendChild(facts);
    if (point.terms.length) {
      detail.appendChild(el("h4", null, "Palabras más propias de este grupo"));
      var terms = el("ul", "terms");
      point.terms.forEach(function (term) { terms.appendChild(el("li", null, term)); });
      detail.appendChild(terms);
    }
    detail.appendChild(el("h4", null, "Conversaciones de ejemplo"));
    var examples = el("ol", "examples");
    point.examples.forEach(function (example, i) {
      var item = el("li", "example");
      item.appendChild(el("p", "example-head", "Ejemplo " + (i + 1) + " · " + example.outcome));
      var lines = el("ol", "transcript short");
      example.lines.slice(0, 4).forEach(function (line) { lines.appendChild(message(line)); });
      if (example.lines.length > 4) lines.appendChild(el("li", "more", "… y " + (example.lines.length - 4) + " mensajes más"));
      item.appendChild(lines);
      var open = el("button", "secondary", "Abrir la conversación completa");
      open.type = "button";
      open.setAttribute("aria-label", "Abrir la conversación completa del ejemplo " + (i + 1));
      open.addEventListener("click", function () { openConversation(example.conversation_id); });
      item.appendChild(open);
      examples.appendChild(item);
    });
    detail.appendChild(examples);
  }

  function message(line) {
    var li = el("li", "message " + line.speaker);
    var head = el("p", "message-head");
    head.appendChild(el("span", "speaker", line.who));
    if (line.time) head.appendChild(el("time", "time", line.time));
    if (line.stage) head.appendChild(el("span", "stage", line.stage));
    if (line.fallback) head.appendChild(el("span", "flag", "no entendido"));
    li.appendChild(head);
    li.appendChild(el("p", "text", line.text));
    return li;
  }

  function openConversation(id) {
    var dialog = $("transcript-dialog");
    var list = $("transcript");
    clear(list);
    $("transcript-title").textContent = "Conversación";
    $("transcript-meta").textContent = "Cargando…";
    $("transcript-error").hidden = true;
    if (!dialog.open) dialog.showModal();
    getJSON("/conversation?id=" + encodeURIComponent(id))
      .then(function (conversation) {
        $("transcript-title").textContent = "Conversación " + conversation.conversation_id;
        $("transcript-meta").textContent =
          conversation.started + " · canal " + conversation.channel + " · " + conversation.path + " · " + conversation.outcome +
          (conversation.csat !== "—" ? " · valoración " + conversation.csat : "") +
          (conversation.truncated ? " · solo se muestran los primeros mensajes" : "");
        conversation.lines.forEach(function (line) { list.appendChild(message(line)); });
      })
      .catch(function (error) {
        $("transcript-meta").textContent = "";
        $("transcript-error").textContent = error.message;
        $("transcript-error").hidden = false;
      });
  }

  function render(body) {
    renderSummary(body.summary);
    renderHeatmap(body.heatmap);
    renderTables(body.tables);
    renderPainPoints(body.pain_points, body.tables.puntos_de_dolor.note);
    renderFunnel(body.funnel);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("filters").addEventListener("submit", function (event) {
      event.preventDefault();
      var params = formParams();
      window.history.replaceState(null, "", "?" + params.toString());
      load(params);
    });
    $("transcript-close").addEventListener("click", function () { $("transcript-dialog").close(); });
    load(new URLSearchParams(window.location.search));
  });
})();
