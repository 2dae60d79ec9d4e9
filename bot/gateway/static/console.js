/* Ruta's agent console: the live queue, one conversation at a time, replies and hand-back.
 * Everything the server sends is placed with textContent, never as HTML. */
(function () {
  "use strict";

  var API = "/console/api";
  var state = {
    csrf: "",
    me: null,
    options: { stages: [], categories: [], canned: [] },
    waiting: [],
    mine: [],
    selected: null, // the open conversation (GET /api/handoffs/{id})
    shown: {}, // message ids already in the transcript
    unread: {},
    socket: null,
    connected: false,
    available: true,
    retry: 1000,
  };

  var $ = RutaDom.byId;
  var el = RutaDom.el;
  var clear = RutaDom.clear;

  function notice(text) {
    var box = $("notice");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function api(method, path, body) {
    var init = { method: method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (method !== "GET") {
      init.headers["X-CSRF-Token"] = state.csrf;
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body || {});
    }
    return fetch(API + path, init).then(RutaDom.readJSON);
  }

  function minutesSince(iso) {
    var minutes = Math.floor((Date.now() - Date.parse(iso)) / 60000);
    if (!(minutes >= 1)) return "hace menos de un minuto";
    if (minutes < 60) return "hace " + minutes + " min";
    return "hace " + Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function clock(stamp) {
    var date = typeof stamp === "number" ? new Date(stamp * 1000) : new Date(stamp);
    if (isNaN(date.getTime())) return "";
    return date.toLocaleTimeString("es-ES", { hour: "2-digit", minute: "2-digit" });
  }

  /* --- the queues ------------------------------------------------------------------- */

  function queueItem(item, mine) {
    var li = el("li", "queue-item" + (state.selected && state.selected.id === item.id ? " active" : ""));
    li.dataset.id = String(item.id);
    var open = el("button", "queue-open");
    open.type = "button";
    open.appendChild(el("span", "reason", item.reason_label));
    open.appendChild(el("span", "stage", item.stage_label));
    var waited = el("span", "wait", (mine ? item.status_label + " · " : "En cola ") + minutesSince(item.queued_at));
    waited.dataset.since = item.queued_at;
    open.appendChild(waited);
    if (state.unread[item.id]) open.appendChild(el("span", "unread", "mensajes nuevos"));
    open.setAttribute("aria-label", "Ver la conversación: " + item.reason_label + ", " + item.stage_label);
    open.addEventListener("click", function () { select(item.id); });
    li.appendChild(open);
    if (!mine) {
      var take = el("button", "queue-claim", "Atender");
      take.type = "button";
      take.setAttribute("aria-label", "Atender: " + item.reason_label);
      take.addEventListener("click", function () { claim(item.id); });
      li.appendChild(take);
    }
    return li;
  }

  function renderQueues() {
    var queue = $("queue");
    var mine = $("mine");
    clear(queue);
    clear(mine);
    state.waiting.forEach(function (item) { queue.appendChild(queueItem(item, false)); });
    state.mine.forEach(function (item) { mine.appendChild(queueItem(item, true)); });
    $("queue-count").textContent = String(state.waiting.length);
    $("queue-empty").hidden = state.waiting.length > 0;
    $("mine-empty").hidden = state.mine.length > 0;
  }

  function onQueue(data) {
    state.waiting = data.waiting || [];
    state.mine = data.mine || [];
    renderQueues();
    var open = state.selected;
    if (!open) return;
    var still = state.waiting.concat(state.mine).filter(function (i) { return i.id === open.id; })[0];
    if (!still && open.status === "en_cola") {
      closeConversation();
      notice("Otra persona del equipo ha empezado a atender esa conversación.");
    } else if (still && still.status !== open.status) {
      open.status = still.status;
      renderActions();
    }
  }

  /* --- one conversation ------------------------------------------------------------- */

  function addMessage(message) {
    if (message.id && state.shown[message.id]) return;
    if (message.id) state.shown[message.id] = true;
    var speaker = message.speaker || "bot";
    var who = speaker === "shopper" ? "Cliente" : speaker === "agent" ? (message.agent || "Agente") : "Ruta";
    var li = el("li", "message " + speaker);
    var head = el("p", "message-head");
    head.appendChild(el("span", "speaker", who));
    head.appendChild(el("time", "time", clock(message.timestamp)));
    li.appendChild(head);
    if (message.text) li.appendChild(el("p", "text", message.text));
    if (message.image) li.appendChild(el("p", "text image-note", "Imagen: " + message.image));
    (message.buttons || []).forEach(function (b) { li.appendChild(el("span", "chip", b.title)); });
    var list = $("transcript");
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  function definition(list, term, value) {
    if (value === undefined || value === null || value === "") return;
    list.appendChild(el("dt", null, term));
    list.appendChild(el("dd", null, value));
  }

  function addPhoto(photo) {
    var li = el("li", "photo");
    var link = el("a");
    link.href = photo.url;
    link.target = "_blank";
    link.rel = "noopener";
    var img = el("img");
    img.src = photo.url;
    img.alt = "Foto enviada por el cliente: " + (photo.filename || "foto");
    link.appendChild(img);
    li.appendChild(link);
    li.appendChild(el("span", "filename", photo.filename || "foto"));
    $("context-photos").appendChild(li);
  }

  function renderContext(data) {
    var context = data.context || {};
    $("context").hidden = false;
    $("context-reason").textContent = data.reason_label + " · etapa: " + data.stage_label;
    var order = $("context-order");
    clear(order);
    if (context.order) {
      definition(order, "Número", context.order.number);
      definition(order, "Estado", context.order.status_label || context.order.status);
      definition(order, "Envío", context.order.shipment_status);
      definition(order, "Entrega prevista", context.order.estimated_delivery);
      definition(order, "Retrasado", context.order.late ? "Sí" : "No");
    } else {
      definition(order, "Pedido", "Ninguno verificado en esta conversación");
    }
    var problem = $("context-problem");
    clear(problem);
    if (context.problem) {
      definition(problem, "Tipo", context.problem.category_label || context.problem.category);
      definition(problem, "Descripción", context.problem.description);
    } else {
      definition(problem, "Problema", "No ha descrito ninguno");
    }
    clear($("context-photos"));
    (data.photos || []).forEach(addPhoto);
    var intents = $("context-intents");
    clear(intents);
    (context.intents || []).forEach(function (name) { intents.appendChild(el("li", null, name)); });
    var slots = $("context-slots");
    clear(slots);
    Object.keys(context.slots || {}).forEach(function (name) {
      var value = context.slots[name];
      definition(slots, name, typeof value === "object" ? JSON.stringify(value) : value);
    });
  }

  function renderActions() {
    var open = state.selected;
    var mine = open && open.mine;
    $("claim").hidden = !(open && open.status === "en_cola");
    $("hand-back").hidden = !(mine && open.status === "atendida");
    $("close-open").hidden = !(mine && (open.status === "atendida" || open.status === "devuelta"));
    $("reply-form").hidden = !(mine && open.status === "atendida");
    $("conversation-meta").textContent = open
      ? open.status_label + " · " + open.reason_label + " · etapa: " + open.stage_label
      : "";
  }

  function select(id) {
    notice("");
    return api("GET", "/handoffs/" + id).then(function (data) {
      state.selected = data;
      state.shown = {};
      delete state.unread[id];
      $("conversation-empty").hidden = true;
      $("conversation-body").hidden = false;
      $("close-form").hidden = true;
      $("conversation-title").textContent = "Conversación " + data.sender_id.slice(0, 8);
      clear($("transcript"));
      $("transcript-error").hidden = !data.transcript_error;
      $("transcript-error").textContent = data.transcript_error || "";
      (data.transcript || []).forEach(addMessage);
      renderContext(data);
      renderActions();
      renderQueues();
    }).catch(function (error) { notice(error.message); });
  }

  function closeConversation() {
    state.selected = null;
    $("conversation-body").hidden = true;
    $("conversation-empty").hidden = false;
    $("context").hidden = true;
    renderQueues();
  }

  function claim(id) {
    notice("");
    api("POST", "/handoffs/" + id + "/claim").then(function () {
      return select(id).then(function () { $("reply").focus(); });
    }).catch(function (error) { notice(error.message); });
  }

  function send(event) {
    event.preventDefault();
    var box = $("reply");
    var text = box.value.trim();
    if (!text || !state.selected) return;
    $("send").disabled = true;
    api("POST", "/handoffs/" + state.selected.id + "/messages", { text: text })
      .then(function (data) {
        addMessage(data.message);
        box.value = "";
        $("canned").value = "";
      })
      .catch(function (error) { notice(error.message); })
      .then(function () { $("send").disabled = false; box.focus(); });
  }

  function handBack() {
    var open = state.selected;
    api("POST", "/handoffs/" + open.id + "/hand_back").then(function (data) {
      open.status = "devuelta";
      open.status_label = "Devuelta al asistente";
      renderActions();
      if (!data.greeted) notice("El asistente ha vuelto, pero no ha podido saludar al cliente.");
      showCloseForm();
    }).catch(function (error) { notice(error.message); });
  }

  function showCloseForm() {
    var open = state.selected;
    var stage = $("close-stage");
    stage.value = open.stage || (state.options.stages[0] || {}).value || "";
    var category = (open.context && open.context.problem && open.context.problem.category) || "";
    $("close-category").value = category || "sin_problema";
    $("close-form").hidden = false;
    stage.focus();
  }

  function closeHandoff(event) {
    event.preventDefault();
    var open = state.selected;
    api("POST", "/handoffs/" + open.id + "/close", {
      stage: $("close-stage").value,
      category: $("close-category").value,
      note: $("close-note").value,
    }).then(function () {
      $("close-note").value = "";
      closeConversation();
      notice("Conversación cerrada. ¡Gracias!");
    }).catch(function (error) { notice(error.message); });
  }

  /* --- live updates ------------------------------------------------------------------ */

  function onEvent(data) {
    if (data.type === "queue") onQueue(data);
    else if (data.type === "message") {
      if (state.selected && state.selected.id === data.handoff_id) addMessage(data);
      else if (data.speaker === "shopper") {
        state.unread[data.handoff_id] = true;
        renderQueues();
      }
    } else if (data.type === "upload" && state.selected && state.selected.id === data.handoff_id) {
      addPhoto({ url: data.url, filename: "foto nueva" });
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/console/ws");
    state.socket = socket;
    socket.onopen = function () {
      state.retry = 1000;
      state.connected = true;
      renderPresence();
    };
    socket.onmessage = function (message) {
      try {
        onEvent(JSON.parse(message.data));
      } catch (error) {
        console.error(error);
      }
    };
    socket.onclose = function () {
      state.connected = false;
      renderPresence();
      setTimeout(connect, state.retry);
      state.retry = Math.min(state.retry * 2, 15000);
    };
  }

  /* Connection and the agent's own away switch, in one status line. */
  function renderPresence() {
    var line = $("connection");
    var button = $("availability");
    button.setAttribute("aria-pressed", state.available ? "true" : "false");
    button.textContent = state.available ? "Estoy disponible" : "Estoy ausente";
    button.title = state.available
      ? "Pulsa para ausentarte: no te llegarán clientes nuevos"
      : "Pulsa para volver a recibir clientes";
    if (!state.connected) {
      line.textContent = "Sin conexión: reintentando…";
      line.className = "connection offline";
    } else if (state.available) {
      line.textContent = "En línea: recibes conversaciones";
      line.className = "connection online";
    } else {
      line.textContent = "Ausente: no te llegan clientes nuevos";
      line.className = "connection away";
    }
  }

  function toggleAvailability() {
    var button = $("availability");
    button.disabled = true;
    api("POST", "/availability", { available: !state.available })
      .then(function (data) {
        state.available = data.available;
        renderPresence();
      })
      .catch(function (error) { notice(error.message); })
      .then(function () { button.disabled = false; });
  }

  function tick() {
    if (state.socket && state.socket.readyState === 1) state.socket.send(JSON.stringify({ type: "ping" }));
    Array.prototype.forEach.call(document.querySelectorAll(".wait[data-since]"), function (node) {
      var text = node.textContent;
      var prefix = text.slice(0, text.indexOf("hace"));
      node.textContent = prefix + minutesSince(node.dataset.since);
    });
  }

  function fillSelect(select, choices) {
    choices.forEach(function (choice) {
      var option = el("option", null, choice.label);
      option.value = choice.value;
      select.appendChild(option);
    });
  }

  function start() {
    $("reply-form").addEventListener("submit", send);
    $("reply").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) send(event);
    });
    $("canned").addEventListener("change", function (event) {
      var chosen = state.options.canned[Number(event.target.value)];
      if (chosen) {
        $("reply").value = chosen.text;
        $("reply").focus();
      }
    });
    $("claim").addEventListener("click", function () { claim(state.selected.id); });
    $("hand-back").addEventListener("click", handBack);
    $("close-open").addEventListener("click", showCloseForm);
    $("close-cancel").addEventListener("click", function () { $("close-form").hidden = true; });
    $("close-form").addEventListener("submit", closeHandoff);
    $("availability").addEventListener("click", toggleAvailability);
    api("GET", "/me")
      .then(function (me) {
        state.me = me;
        state.csrf = me.csrf_token;
        $("logout-csrf").value = me.csrf_token;
        $("agent-name").textContent = me.display_name;
        state.available = me.available !== false;
        renderPresence();
        return api("GET", "/options");
      })
      .then(function (options) {
        state.options = options;
        fillSelect($("close-stage"), options.stages);
        fillSelect($("close-category"), options.categories);
        fillSelect($("canned"), options.canned.map(function (reply, index) {
          return { value: String(index), label: reply.title };
        }));
        connect();
        setInterval(tick, 20000);
      })
      .catch(function (error) { notice(error.message); });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
