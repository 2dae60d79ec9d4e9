/* What the agent console and the analysts' dashboard share: finding and building nodes (text is
 * always placed with textContent, never as HTML) and reading the gateway's JSON answers. */
var RutaDom = (function () {
  "use strict";

  function byId(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* A response's JSON; a lapsed session goes back to the log-in, an error becomes its Spanish text. */
  function readJSON(response) {
    if (response.status === 401) {
      window.location.assign("/console/login");
      throw new Error("Tu sesión ha caducado: vuelve a iniciar sesión.");
    }
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (!response.ok) throw new Error(body.error || "Algo ha fallado. Inténtalo de nuevo.");
      return body;
    });
  }

  return { byId: byId, el: el, clear: clear, readJSON: readJSON };
})();
