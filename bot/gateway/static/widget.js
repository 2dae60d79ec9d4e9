/*
 * Ruta's chat widget for shoppers.
 *
 * One tag on any page adds a launcher and a chat panel:
 *   <script src="https://gateway.example/widget.js" defer></script>
 * Optional attributes on that tag: data-title (the assistant's name), data-max-chars and
 * data-max-upload-bytes (match MAX_MESSAGE_CHARS and UPLOAD_MAX_BYTES if you change them),
 * data-open="true" (open the panel on load).
 *
 * It speaks Rasa's socket.io protocol (session_request / session_confirm / user_uttered /
 * bot_uttered) with the gateway it was loaded from, keeps the session id in localStorage and
 * rebuilds the conversation from GET /widget/history after a reload or a reconnect. Every message
 * carries a client-made id and stays queued until the gateway acknowledges it, so a message is
 * never lost, and the gateway answers a resend only once, so none is duplicated.
 *
 * Everything the shopper or the store says is put in the page with textContent, never as HTML.
 * Vanilla JS in a shadow root, so the host page's CSS and ours never meet.
 */
(function () {
  "use strict";

  if (window.__rutaWidget) return; // the tag was included twice
  window.__rutaWidget = true;

  var script =
    document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || !script.src) return;

  var BASE = new URL(".", script.src); // the gateway, with any path prefix it is served under
  var config = {
    title: script.dataset.title || "Ruta",
    maxChars: positiveInt(script.dataset.maxChars, 1000),
    maxUploadBytes: positiveInt(script.dataset.maxUploadBytes, 5 * 1024 * 1024),
    openOnLoad: script.dataset.open === "true",
  };
  var ACK_TIMEOUT_MS = 30000; // the gateway answers within its own timeout (10 s by default)
  var TYPING_TIMEOUT_MS = 15000;
  var PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
  var KEYS = {
    session: "ruta.session_id",
    pending: "ruta.pending",
    open: "ruta.open",
  };

  var storage = safeStorage(function () {
    return window.localStorage;
  });
  var tabStorage = safeStorage(function () {
    return window.sessionStorage;
  });

  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    send: "M3 20l18-8L3 4v6l12 2-12 2z",
    clip: "M16.5 6.5l-8 8a2 2 0 0 0 2.8 2.8l8-8a4 4 0 0 0-5.6-5.6l-8 8a6 6 0 0 0 8.5 8.5l6.3-6.3",
  };

  // --- state -------------------------------------------------------------------------------

  var socket = null;
  var sessionId = storage.getItem(KEYS.session);
  var confirmed = false; // the gateway has confirmed sessionId on the current connection
  var everConnected = false;
  var pending = loadPending(); // [{id, text, display}] not yet acknowledged, in order
  var inflight = null; // id of the message sent and awaiting its acknowledgement
  var entries = []; // rendered conversation: {speaker, raw, image, id, el, pendingEl}
  var renderedIds = new Set();
  var syncing = null; // Promise while the history is being fetched
  var liveBuffer = []; // bot messages that arrived during a sync
  var typingTimer = null;
  var repliedTo = new Set(); // ids of shopper messages whose answer is on screen
  var ignoreRepliesTo = new Set(); // resent messages whose answer is on screen already
  var unread = 0;

  // --- the DOM -----------------------------------------------------------------------------

  var host = document.createElement("div");
  host.id = "ruta-widget";
  host.style.display = "none"; // until our stylesheet has loaded: no flash of raw buttons
  var root = host.attachShadow({ mode: "open" });
  var stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", BASE).href });
  stylesheet.addEventListener("load", function () {
    host.style.display = "";
  });
  root.appendChild(stylesheet);

  var launcherLabel = "Abrir el chat de ayuda";
  var badge = el("span", { class: "ruta-badge", "aria-hidden": "true", hidden: "" });
  var launcher = el(
    "button",
    {
      type: "button",
      class: "ruta-launcher",
      "aria-label": launcherLabel,
      "aria-expanded": "false",
      "aria-controls": "ruta-panel",
    },
    [icon("chat"), badge]
  );

  var closeButton = el(
    "button",
    { type: "button", class: "ruta-close", "aria-label": "Cerrar el chat" },
    [icon("close")]
  );
  var header = el("header", { class: "ruta-header" }, [
    el("div", { class: "ruta-heading" }, [
      el("h2", { id: "ruta-title", class: "ruta-title" }, [config.title]),
      el("p", { class: "ruta-subtitle" }, ["Asistente de la tienda"]),
    ]),
    closeButton,
  ]);
  var status = el("p", { class: "ruta-status", role: "status" });
  var log = el("div", {
    class: "ruta-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": "Conversación",
    tabindex: "0",
  });
  var typing = el("div", { class: "ruta-typing", hidden: "" }, [
    el("span", { class: "ruta-sr" }, [config.title + " está escribiendo…"]),
    el("span", { class: "ruta-dot", "aria-hidden": "true" }),
    el("span", { class: "ruta-dot", "aria-hidden": "true" }),
    el("span", { class: "ruta-dot", "aria-hidden": "true" }),
  ]);
  var errorBox = el("p", { class: "ruta-error", role: "alert", id: "ruta-error" });
  var counter = el("p", { class: "ruta-counter", id: "ruta-counter", hidden: "" });
  var fileInput = el("input", {
    type: "file",
    accept: PHOTO_TYPES.join(","),
    class: "ruta-file",
    tabindex: "-1",
    "aria-hidden": "true",
  });
  var attachButton = el(
    "button",
    {
      type: "button",
      class: "ruta-attach",
      "aria-label": "Adjuntar una foto (JPEG, PNG o WebP)",
      title: "Adjuntar una foto",
    },
    [icon("clip")]
  );
  var input = el("textarea", {
    class: "ruta-input",
    rows: "1",
    "aria-label": "Escribe tu mensaje",
    "aria-describedby": "ruta-counter ruta-error",
    placeholder: "Escribe tu mensaje…",
    autocomplete: "off",
  });
  var sendButton = el(
    "button",
    { type: "submit", class: "ruta-send", "aria-label": "Enviar mensaje" },
    [icon("send")]
  );
  var form = el("form", { class: "ruta-form", novalidate: "" }, [
    errorBox,
    el("div", { class: "ruta-compose" }, [attachButton, fileInput, input, sendButton]),
    counter,
  ]);
  var panel = el(
    "section",
    {
      id: "ruta-panel",
      class: "ruta-panel",
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": "ruta-title",
      hidden: "",
    },
    [header, status, log, typing, form]
  );
  root.appendChild(el("div", { class: "ruta" }, [panel, launcher]));

  // --- opening and closing -----------------------------------------------------------------

  function isOpen() {
    return !panel.hidden;
  }

  function open(moveFocus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Cerrar el chat de ayuda");
    host.classList.add("ruta-is-open");
    tabStorage.setItem(KEYS.open, "1");
    unread = 0;
    showUnread();
    scrollToEnd();
    if (moveFocus !== false) input.focus();
    connect();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    host.classList.remove("ruta-is-open");
    tabStorage.removeItem(KEYS.open);
    showUnread();
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (isOpen()) close();
    else open();
  });
  closeButton.addEventListener("click", close);
  function closeOnEscape(event) {
    if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      close();
    }
  }
  panel.addEventListener("keydown", closeOnEscape);
  launcher.addEventListener("keydown", closeOnEscape);

  function showUnread() {
    var count = isOpen() ? 0 : unread;
    badge.hidden = count === 0;
    badge.textContent = count > 9 ? "9+" : String(count);
    if (isOpen()) return;
    launcher.setAttribute(
      "aria-label",
      count === 0
        ? launcherLabel
        : launcherLabel + " (" + count + (count === 1 ? " mensaje nuevo)" : " mensajes nuevos)")
    );
  }

  // --- writing -----------------------------------------------------------------------------

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", function () {
    autoGrow();
    updateCounter();
    if (errorBox.textContent && input.value.length <= config.maxChars) setError("");
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  function submit() {
    var text = input.value;
    if (!text.trim()) {
      input.value = ""; // whitespace is not a message: nothing is sent, nothing to explain
      updateCounter();
      input.focus();
      return;
    }
    if (text.length > config.maxChars) {
      setError(
        "Tu mensaje tiene " +
          formatNumber(text.length) +
          " caracteres y el máximo es " +
          formatNumber(config.maxChars) +
          ". ¿Puedes acortarlo un poco?"
      );
      input.focus();
      return;
    }
    setError("");
    input.value = "";
    autoGrow();
    updateCounter();
    send(text.trim(), null);
    input.focus();
  }

  function updateCounter() {
    var length = input.value.length;
    var near = length >= Math.floor(config.maxChars * 0.8);
    counter.hidden = !near;
    counter.classList.toggle("ruta-counter--over", length > config.maxChars);
    counter.textContent = near
      ? formatNumber(length) + " de " + formatNumber(config.maxChars) + " caracteres"
      : "";
  }

  function autoGrow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 140) + "px";
  }

  function setError(text) {
    errorBox.textContent = text;
  }

  // --- sending: queue, acknowledgement, resend -------------------------------------------------

  function send(text, display) {
    var item = { id: newId(), text: text, display: display };
    pending.push(item);
    savePending();
    disableQuickReplies();
    addEntry({ speaker: "shopper", raw: text, display: display, id: item.id, pending: true });
    flush();
  }

  /* Send the oldest unacknowledged message; the next waits for its acknowledgement, so the
     gateway (and Rasa, and an agent) see them in the order the shopper wrote them. */
  function flush() {
    if (inflight || !pending.length) return;
    if (!socket || !socket.connected || !confirmed) {
      markWaiting();
      return;
    }
    var item = pending[0];
    inflight = item.id;
    if (item.sent && repliedTo.has(item.id)) ignoreRepliesTo.add(item.id); // answered already
    item.sent = true;
    setPendingNote(item.id, "Enviando…");
    showTyping(); // only while connected: offline, nobody is writing back
    socket.timeout(ACK_TIMEOUT_MS).emit(
      "user_uttered",
      {
        message: item.text,
        session_id: sessionId,
        message_id: item.id,
        customData: { page: location.origin + location.pathname },
      },
      function (err, answer) {
        if (inflight !== item.id) return;
        inflight = null;
        ignoreRepliesTo.delete(item.id);
        if (!err && answer && answer.ok === false) {
          // The gateway lost track of this socket's session: ask for it again, then resend.
          confirmed = false;
          socket.emit("session_request", { session_id: sessionId });
          return;
        }
        if (err) {
          // Disconnected or no answer in time: it stays queued and goes again, with the same
          // id, when the connection is back (the gateway answers a resend once).
          markWaiting();
          if (socket && socket.connected && confirmed) setTimeout(flush, 2000);
          return;
        }
        delivered(item.id);
        if (!pending.length) hideTyping();
        flush();
      }
    );
  }

  function delivered(id) {
    pending = pending.filter(function (item) {
      return item.id !== id;
    });
    savePending();
    setPendingNote(id, null);
  }

  function markWaiting() {
    pending.forEach(function (item) {
      if (item.id !== inflight) setPendingNote(item.id, "Pendiente de envío");
    });
  }

  function loadPending() {
    try {
      var items = JSON.parse(storage.getItem(KEYS.pending) || "[]");
      return Array.isArray(items)
        ? items.filter(function (i) {
            return i && typeof i.id === "string" && typeof i.text === "string";
          })
        : [];
    } catch (e) {
      return [];
    }
  }

  function savePending() {
    if (pending.length) storage.setItem(KEYS.pending, JSON.stringify(pending));
    else storage.removeItem(KEYS.pending);
  }

  // --- the connection ------------------------------------------------------------------------

  var socketLibrary = null;

  function loadSocketLibrary() {
    if (socketLibrary) return socketLibrary;
    socketLibrary = new Promise(function (resolve, reject) {
      var previous = window.io; // the page may use its own socket.io: give it back afterwards
      var tag = document.createElement("script");
      tag.src = new URL("vendor/socket.io.min.js", BASE).href;
      tag.async = true;
      tag.onload = function () {
        var io = window.io;
        if (previous !== undefined) window.io = previous;
        if (typeof io === "function") resolve(io);
        else reject(new Error("socket.io did not load"));
      };
      tag.onerror = function () {
        socketLibrary = null;
        reject(new Error("socket.io could not be loaded"));
      };
      document.head.appendChild(tag);
    });
    return socketLibrary;
  }

  function connect() {
    if (socket) return;
    loadSocketLibrary().then(
      function (io) {
        if (socket) return;
        socket = io(BASE.origin, {
          path: BASE.pathname + "socket.io/",
          transports: ["websocket", "polling"],
          reconnectionDelayMax: 5000,
        });
        socket.on("connect", function () {
          confirmed = false;
          socket.emit("session_request", { session_id: sessionId });
        });
        socket.on("session_confirm", onSessionConfirm);
        socket.on("bot_uttered", onBotUttered);
        socket.on("disconnect", function (reason) {
          confirmed = false;
          hideTyping();
          setStatus("Reconectando… Tus mensajes se enviarán en cuanto vuelva la conexión.");
          markWaiting();
          if (reason === "io server disconnect") socket.connect(); // the gateway restarted
        });
        socket.on("connect_error", function () {
          setStatus(
            everConnected
              ? "Reconectando… Tus mensajes se enviarán en cuanto vuelva la conexión."
              : "No consigo conectar con el chat. Lo sigo intentando…"
          );
          if (!socket.active) setTimeout(function () { socket.connect(); }, 3000);
        });
      },
      function () {
        setStatus("No se ha podido cargar el chat. Recarga la página para intentarlo de nuevo.");
      }
    );
  }

  function onSessionConfirm(data) {
    var confirmedId = typeof data === "string" ? data : data && data.session_id;
    if (!confirmedId) return;
    if (sessionId && confirmedId !== sessionId) {
      // The gateway did not accept the stored id: this is a new conversation.
      clearConversation();
    }
    sessionId = confirmedId;
    storage.setItem(KEYS.session, sessionId);
    everConnected = true;
    setStatus("");
    sync().then(function () {
      confirmed = true;
      flush();
    });
  }

  function setStatus(text) {
    status.textContent = text;
  }

  // --- bot messages --------------------------------------------------------------------------

  function onBotUttered(data) {
    if (!data || typeof data !== "object") return;
    var message = fromBotUttered(data);
    if (!message) return;
    if (data.reply_to) {
      if (ignoreRepliesTo.has(data.reply_to)) return;
      repliedTo.add(data.reply_to);
    }
    if (syncing) {
      liveBuffer.push(message);
      return;
    }
    showLive(message);
  }

  function showLive(message) {
    hideTyping();
    addEntry(message);
    if (!isOpen()) {
      unread += 1;
      showUnread();
    }
  }

  /* Rasa's socket.io payloads: {text}, {text, quick_replies}, {attachment: image}, custom. */
  function fromBotUttered(data) {
    var text = typeof data.text === "string" ? data.text : "";
    var image = null;
    if (data.attachment && data.attachment.type === "image" && data.attachment.payload) {
      image = data.attachment.payload.src || null;
    }
    var buttons = Array.isArray(data.quick_replies) ? data.quick_replies : data.buttons;
    if (!text && !image) return null; // a custom payload the widget has no way to show
    return {
      speaker: data.agent ? "agent" : "bot",
      agent: agentName(data.agent),
      raw: text,
      image: image,
      buttons: Array.isArray(buttons) ? buttons : [],
      id: typeof data.id === "string" ? data.id : null,
    };
  }

  function agentName(agent) {
    if (!agent) return null;
    if (typeof agent === "string") return agent;
    return agent.display_name || agent.name || null;
  }

  // --- history: after a reload and after every reconnect --------------------------------------

  /* Fetch the conversation and add what is not on screen yet (messages that arrived while the
     connection was down); bot messages that arrive meanwhile wait, so the order stays right. */
  function sync() {
    if (!sessionId) return Promise.resolve();
    if (syncing) return syncing;
    var url = new URL("widget/history", BASE);
    url.searchParams.set("session_id", sessionId);
    syncing = fetch(url.href, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("history " + response.status);
        return response.json();
      })
      .then(function (body) {
        var history = Array.isArray(body) ? body : (body && (body.messages || body.history)) || [];
        var messages = [];
        history.forEach(function (item) {
          messages.push.apply(messages, fromHistory(item));
        });
        var appended = reconcile(messages);
        var buffered = liveBuffer;
        liveBuffer = [];
        syncing = null;
        buffered.forEach(function (message) {
          var i = appended.findIndex(function (m) {
            return sameMessage(m, message);
          });
          if (i >= 0) appended.splice(i, 1);
          else showLive(message);
        });
      })
      .catch(function () {
        var buffered = liveBuffer;
        liveBuffer = [];
        syncing = null;
        buffered.forEach(showLive);
      });
    return syncing;
  }

  /* One history item → the messages the widget showed live: the gateway sends a bot text in
     paragraphs (one bot_uttered each, buttons on the last), so the history is split alike. */
  function fromHistory(item) {
    if (!item || typeof item !== "object") return [];
    var speaker = item.speaker === "shopper" || item.speaker === "agent" ? item.speaker : "bot";
    var text = typeof item.text === "string" ? item.text : "";
    var image = typeof item.image === "string" ? item.image : null;
    var buttons = Array.isArray(item.buttons) ? item.buttons : [];
    var id = item.id != null ? String(item.id) : null;
    var agent = speaker === "agent" ? agentName(item.agent) : null;
    var parts = [text];
    if (speaker !== "shopper") {
      parts = text.trim().split("\n\n").filter(function (part) {
        return part.trim();
      });
      if (!parts.length) parts = text ? [text] : [];
    }
    var messages = parts.map(function (part, i) {
      return {
        speaker: speaker,
        agent: agent,
        raw: part,
        image: null,
        buttons: i === parts.length - 1 ? buttons : [],
        id: parts.length > 1 && id ? id + "." + i : id,
      };
    });
    if (image) {
      messages.push({ speaker: speaker, agent: agent, raw: "", image: image, buttons: [], id: id ? id + ".img" : null });
    }
    return messages;
  }

  /* Walk what is on screen against the history in order; add the history's tail that is not
     shown. Queued messages the gateway already has are marked delivered instead of repeated. */
  function reconcile(history) {
    var position = 0;
    entries.forEach(function (entry) {
      if (entry.pending || entry.local) return;
      for (var j = position; j < history.length; j++) {
        if (sameMessage(entry, history[j])) {
          position = j + 1;
          return;
        }
      }
    });
    var appended = [];
    history.slice(position).forEach(function (message, offset) {
      if (message.speaker === "shopper" && message.id) {
        // A queued message the gateway already has (its acknowledgement was lost): delivered.
        var queued = pending.find(function (item) {
          return item.id === message.id;
        });
        if (queued && queued.id !== inflight) delivered(queued.id);
      }
      if (message.id && renderedIds.has(message.id)) return;
      var isLast = position + offset === history.length - 1;
      if (!isLast) message.buttons = message.buttons.map(disabledButton);
      addEntry(message);
      appended.push(message);
    });
    return appended;
  }

  function disabledButton(button) {
    return { title: button.title, payload: button.payload, disabled: true };
  }

  function sameMessage(a, b) {
    var aShopper = a.speaker === "shopper";
    var bShopper = b.speaker === "shopper";
    if (aShopper !== bShopper) return false;
    if (a.id && b.id && a.id === b.id) return true;
    return a.raw === b.raw && (a.image || null) === (b.image || null);
  }

  function clearConversation() {
    entries = [];
    renderedIds.clear();
    while (log.firstChild) log.removeChild(log.firstChild);
  }

  // --- rendering (textContent only) -------------------------------------------------------------

  function addEntry(message) {
    if (message.id && renderedIds.has(message.id)) return null;
    if (message.id) renderedIds.add(message.id);
    var entry = {
      speaker: message.speaker,
      raw: message.raw || "",
      image: message.image || null,
      id: message.id || null,
      pending: !!message.pending,
      local: !!message.localImage, // a photo: not part of the Rasa conversation
      buttons: message.buttons || [],
    };
    var shown = message.display || displayText(message);
    var item = el("div", { class: "ruta-msg ruta-msg--" + message.speaker });
    if (message.speaker === "agent") {
      item.appendChild(
        el("p", { class: "ruta-name" }, [
          message.agent ? message.agent + " (agente)" : "Persona del equipo",
        ])
      );
    } else {
      item.appendChild(
        el("span", { class: "ruta-sr" }, [message.speaker === "shopper" ? "Tú: " : config.title + ": "])
      );
    }
    if (shown) item.appendChild(el("p", { class: "ruta-bubble" }, linkified(shown)));
    if (message.image) {
      var src = safeImageSource(message.image);
      if (src) {
        item.appendChild(
          el("img", {
            class: "ruta-image",
            src: src,
            alt: message.speaker === "shopper" ? "Foto que has enviado" : "Imagen de la tienda",
            loading: "lazy",
          })
        );
      }
    }
    if (message.localImage) {
      item.appendChild(
        el("img", { class: "ruta-image ruta-thumb", src: message.localImage, alt: message.alt || "Foto que has enviado" })
      );
    }
    if (entry.buttons.length) item.appendChild(quickReplies(entry.buttons));
    if (entry.pending || message.note) {
      entry.pendingEl = el("p", { class: entry.pending ? "ruta-note ruta-pending" : "ruta-note" }, [
        message.note || "Enviando…",
      ]);
      item.appendChild(entry.pendingEl);
    }
    entry.el = item;
    entries.push(entry);
    log.appendChild(item);
    scrollToEnd();
    return entry;
  }

  /* Quick replies come back as "/intent" in the history: show the button's title instead. */
  function displayText(message) {
    if (message.speaker !== "shopper" || message.raw.charAt(0) !== "/") return message.raw;
    for (var i = entries.length - 1; i >= 0; i--) {
      var buttons = entries[i].buttons;
      for (var j = 0; j < buttons.length; j++) {
        if (buttons[j].payload === message.raw) return buttons[j].title;
      }
      if (entries[i].speaker !== "shopper" && buttons.length) break;
    }
    return message.raw;
  }

  function quickReplies(buttons) {
    var group = el("div", { class: "ruta-replies", role: "group", "aria-label": "Respuestas rápidas" });
    buttons.forEach(function (button) {
      var title = String(button.title || button.payload || "");
      var payload = String(button.payload || button.title || "");
      if (!title) return;
      var b = el("button", { type: "button", class: "ruta-reply" }, [title]);
      if (button.disabled) b.disabled = true;
      b.addEventListener("click", function () {
        disableQuickReplies();
        send(payload, title);
        input.focus();
      });
      group.appendChild(b);
    });
    return group;
  }

  function disableQuickReplies() {
    var buttons = log.querySelectorAll(".ruta-reply");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }

  function setPendingNote(id, text) {
    var entry = entries.find(function (e) {
      return e.id === id;
    });
    if (!entry) return;
    if (text === null) {
      entry.pending = false;
      if (entry.pendingEl) entry.pendingEl.remove();
      entry.pendingEl = null;
      return;
    }
    if (!entry.pendingEl) {
      entry.pendingEl = el("p", { class: "ruta-note ruta-pending" });
      entry.el.appendChild(entry.pendingEl);
    }
    entry.pendingEl.textContent = text;
  }

  /* Web addresses in a message become links; everything else stays plain text. */
  function linkified(text) {
    var parts = [];
    var pattern = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) parts.push(text.slice(last, match.index));
      parts.push(el("a", { href: match[0], target: "_blank", rel: "noopener noreferrer" }, [match[0]]));
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  }

  function safeImageSource(src) {
    try {
      var url = new URL(src, BASE);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function showTyping() {
    typing.hidden = false;
    scrollToEnd();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }

  function hideTyping() {
    typing.hidden = true;
    clearTimeout(typingTimer);
    typingTimer = null;
  }

  // --- photos ----------------------------------------------------------------------------------

  attachButton.addEventListener("click", function () {
    fileInput.value = "";
    fileInput.click();
  });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (file) uploadPhoto(file);
    input.focus();
  });

  function uploadPhoto(file) {
    if (PHOTO_TYPES.indexOf(file.type) < 0) {
      setError("Solo puedo recibir fotos en JPEG, PNG o WebP.");
      return;
    }
    if (file.size > config.maxUploadBytes) {
      setError(
        "La foto ocupa " +
          megabytes(file.size) +
          " y el máximo es " +
          megabytes(config.maxUploadBytes) +
          ". Prueba con una foto más pequeña."
      );
      return;
    }
    if (!sessionId) {
      setError("Espera un momento a que se conecte el chat y vuelve a intentarlo.");
      connect();
      return;
    }
    setError("");
    var entry = addEntry({
      speaker: "shopper",
      raw: "",
      localImage: URL.createObjectURL(file),
      alt: "Foto que has enviado: " + file.name,
      note: "Enviando la foto…",
    });
    var body = new FormData();
    body.append("session_id", sessionId);
    body.append("file", file, file.name);
    fetch(new URL("widget/upload", BASE).href, { method: "POST", body: body })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (response.ok && data && data.token) {
              setNote(entry, null);
              return;
            }
            setNote(entry, "No se ha enviado");
            setError(
              refusal(data) || "No he podido recibir la foto. Inténtalo de nuevo en unos minutos."
            );
          });
      })
      .catch(function () {
        setNote(entry, "No se ha enviado");
        setError("No he podido enviar la foto: parece que no hay conexión. Inténtalo de nuevo.");
      });
  }

  function setNote(entry, text) {
    if (!entry || !entry.pendingEl) return;
    if (text === null) {
      entry.pendingEl.remove();
      entry.pendingEl = null;
    } else {
      entry.pendingEl.textContent = text;
      entry.el.classList.add("ruta-msg--failed");
    }
  }

  function refusal(data) {
    if (!data || typeof data !== "object") return null;
    var text = data.error || data.message || data.detail;
    if (text && typeof text === "object") text = text.message || text.text;
    return typeof text === "string" ? text : null;
  }

  // --- helpers ---------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }


  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "ruta-icon ruta-icon--" + name);
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // crypto.randomUUID needs a secure context; getRandomValues does not.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function positiveInt(raw, fallback) {
    var value = parseInt(raw, 10);
    return value > 0 ? value : fallback;
  }

  function formatNumber(n) {
    return n.toLocaleString("es-ES");
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toLocaleString("es-ES", { maximumFractionDigits: 1 }) + " MB";
  }

  function safeStorage(get) {
    try {
      var s = get();
      var probe = "ruta.probe";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      // Storage blocked (private mode, sandboxed frame): keep the conversation for this page only.
      var memory = new Map();
      return {
        getItem: function (k) {
          return memory.has(k) ? memory.get(k) : null;
        },
        setItem: function (k, v) {
          memory.set(k, String(v));
        },
        removeItem: function (k) {
          memory.delete(k);
        },
      };
    }
  }

  // --- start -----------------------------------------------------------------------------------

  function start() {
    document.body.appendChild(host);
    // Show what is already there: the stored conversation and the messages still queued.
    var restore = sessionId ? sync() : Promise.resolve();
    restore.then(function () {
      pending.forEach(function (item) {
        if (!entries.some(function (e) { return e.id === item.id; })) {
          addEntry({ speaker: "shopper", raw: item.text, display: item.display, id: item.id, pending: true });
        }
      });
      markWaiting();
    });
    // A returning shopper (or one with queued messages) reconnects at once; a new one when
    // they open the chat.
    if (sessionId || pending.length) connect();
    if (config.openOnLoad || tabStorage.getItem(KEYS.open)) open(false); // no focus theft on load
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
