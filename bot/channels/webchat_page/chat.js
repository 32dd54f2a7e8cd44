/* Web chat page: talks to our socket.io channel; every message is inserted as text, never HTML.
 * Keeps only the conversation id and its secret, in sessionStorage (gone when the tab closes).
 * Quick exit (button, or Shift pressed three times) replaces the page at once. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var texts = config.texts;
  var STORE_KEY = "chat";
  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 1500;
  var log = document.getElementById("log");
  var status = document.getElementById("status");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var exitButton = document.getElementById("exit");
  var session = readSession();
  var exiting = false;
  var shiftTimes = [];

  function readSession() {
    try {
      return JSON.parse(sessionStorage.getItem(STORE_KEY)) || {};
    } catch (e) {
      return {};
    }
  }

  function quickExit() {
    if (exiting) {
      return;
    }
    exiting = true;
    if (session.session_id && navigator.sendBeacon) {
      var claim = JSON.stringify({ session_id: session.session_id, secret: session.secret });
      navigator.sendBeacon("/webchat/exit", new Blob([claim], { type: "text/plain" }));
    }
    try {
      socket.emit("quick_exit", {});
      socket.close();
    } catch (e) {
      /* the page is leaving anyway */
    }
    sessionStorage.clear();
    log.textContent = "";
    var target = config.exitUrl;
    try {
      if (window.top !== window) {
        window.top.location.replace(target);
        return;
      }
    } catch (e) {
      /* a cross-origin parent that refuses: replace this frame instead */
    }
    window.location.replace(target);
  }

  exitButton.addEventListener("click", quickExit);
  /* Shift counts only when pressed and released on its own: Shift+Tab and capitals never exit. */
  var shiftAlone = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) {
        shiftAlone = true;
      }
      return;
    }
    shiftAlone = false;
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) {
      return;
    }
    shiftAlone = false;
    var now = Date.now();
    shiftTimes = shiftTimes.filter(function (t) {
      return now - t < SHIFT_WINDOW_MS;
    });
    shiftTimes.push(now);
    if (shiftTimes.length >= SHIFT_PRESSES) {
      quickExit();
    }
  });

  /* --- rendering: text nodes only; links only to phone numbers and allowed hosts --- */

  var LINKABLE = /(https:\/\/[^\s<>"')]+)|(\b(?:999|101|116 ?\d{3}|0\d{3,4} ?\d{3} ?\d{3,4}|0\d{3} ?\d{4})\b)|(\b[Tt]ext\b[^.\n]{0,30}?\b(\d{5})\b)/g;

  function appendLinked(parent, text) {
    var last = 0;
    var match;
    LINKABLE.lastIndex = 0;
    while ((match = LINKABLE.exec(text)) !== null) {
      var start = match.index;
      var shown = match[0];
      var href = null;
      if (match[1]) {
        var url = match[1].replace(/[.,;:]+$/, "");
        shown = url;
        try {
          var host = new URL(url).hostname;
          if (config.linkHosts.indexOf(host) !== -1) {
            href = url;
          }
        } catch (e) {
          href = null;
        }
      } else if (match[2]) {
        href = "tel:" + match[2].replace(/\s/g, "");
      } else if (match[4]) {
        shown = match[4];
        start = match.index + match[0].lastIndexOf(match[4]);
        href = "sms:" + match[4];
      }
      parent.appendChild(document.createTextNode(text.slice(last, start)));
      if (href) {
        var a = document.createElement("a");
        a.href = href;
        a.textContent = shown;
        if (href.indexOf("https:") === 0) {
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        }
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(shown));
      }
      last = start + shown.length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /* Paragraphs are separated by blank lines; runs of lines starting "- " become a list. */
  var BULLET = /^\s*[-•]\s+/;

  function appendBody(container, text) {
    String(text)
      .split(/\n\s*\n/)
      .forEach(function (block) {
        var current = null;
        block.split("\n").forEach(function (line) {
          if (BULLET.test(line)) {
            if (!current || current.tagName !== "UL") {
              current = container.appendChild(document.createElement("ul"));
            }
            var li = current.appendChild(document.createElement("li"));
            appendLinked(li, line.replace(BULLET, ""));
          } else {
            if (!current || current.tagName !== "P") {
              current = container.appendChild(document.createElement("p"));
            } else {
              current.appendChild(document.createElement("br"));
            }
            appendLinked(current, line);
          }
        });
      });
  }

  function addMessage(kind, text) {
    var names = { bot: texts.bot_name, worker: texts.worker_name, you: texts.you_name };
    var item = document.createElement("div");
    item.className = "message from-" + kind;
    var speaker = document.createElement("span");
    speaker.className = "speaker";
    speaker.textContent = names[kind] + ":";
    item.appendChild(speaker);
    appendBody(item, text);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addSystemLine(text) {
    var line = document.createElement("p");
    line.className = "system";
    line.textContent = text;
    log.appendChild(line);
  }

  function addQuickReplies(item, replies) {
    var group = document.createElement("div");
    group.className = "quick-replies";
    replies.forEach(function (reply) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "quick-reply";
      button.textContent = reply.title;
      button.addEventListener("click", function () {
        group.remove();
        send(reply.payload, reply.title);
        input.focus();
      });
      group.appendChild(button);
    });
    item.appendChild(group);
  }

  function setStatus(text, typing) {
    status.textContent = text;
    status.classList.toggle("typing", Boolean(typing));
  }

  var urgent = document.querySelector(".urgent");
  var urgentText = urgent.textContent;
  urgent.textContent = "";
  appendLinked(urgent, urgentText);

  /* --- conversation --- */

  var socket = io({ path: "/socket.io", transports: ["websocket", "polling"] });

  /* Each message keeps its own id until the server confirms it ("message_received"); until
     then it is marked "not sent yet" and sent again, with the same id, after a reconnect. The
     server takes each id once. */
  var unconfirmed = [];
  var joined = false; /* this socket has its conversation */

  function messageId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); })
      .join("");
  }

  function markNotSent(pending) {
    if (pending.note) {
      return;
    }
    pending.item.classList.add("not-sent");
    pending.note = document.createElement("span");
    pending.note.className = "not-sent-note";
    pending.note.textContent = texts.not_sent_yet;
    pending.item.appendChild(pending.note);
  }

  function emitMessage(pending) {
    socket.emit("user_uttered", { message: pending.message, client_id: pending.id, language: config.language });
    window.setTimeout(function () {
      if (unconfirmed.indexOf(pending) >= 0) {
        markNotSent(pending);
      }
    }, 3000);
  }

  function send(message, shown) {
    if (exiting) {
      return;
    }
    var pending = { id: messageId(), message: message, item: addMessage("you", shown) };
    unconfirmed.push(pending);
    if (socket.connected && joined) {
      emitMessage(pending);
    } else {
      markNotSent(pending);
    }
  }

  socket.on("message_received", function (data) {
    unconfirmed = unconfirmed.filter(function (pending) {
      if (!data || pending.id !== data.client_id) {
        return true;
      }
      pending.item.classList.remove("not-sent");
      if (pending.note) {
        pending.note.remove();
      }
      return false;
    });
  });

  function requestSession() {
    joined = false;
    socket.emit("session_request", { session_id: session.session_id, secret: session.secret });
  }

  socket.on("connect", requestSession);
  socket.on("session_required", requestSession);

  socket.on("session_confirm", function (data) {
    session = { session_id: data.session_id, secret: data.secret };
    sessionStorage.setItem(STORE_KEY, JSON.stringify(session));
    setStatus("", false);
    joined = true;
    unconfirmed.forEach(emitMessage);
  });

  socket.on("bot_typing", function (data) {
    setStatus(data && data.typing ? texts.typing : "", data && data.typing);
  });

  socket.on("bot_uttered", function (data) {
    if (!data || typeof data.text !== "string") {
      return;
    }
    var kind = data.sender === "worker" ? "worker" : "bot";
    var item = addMessage(kind, data.text);
    if (Array.isArray(data.quick_replies) && data.quick_replies.length) {
      addQuickReplies(item, data.quick_replies);
    }
  });

  socket.on("chat_status", function (data) {
    if (data && data.status === "worker_joined") {
      addSystemLine(texts.worker_joined);
    } else if (data && data.status === "worker_left") {
      addSystemLine(texts.worker_left);
    }
  });

  socket.on("disconnect", function () {
    joined = false;
    unconfirmed.forEach(markNotSent);
    if (!exiting) {
      setStatus(texts.disconnected, false);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      input.focus();
      return;
    }
    if (text.length > config.maxMessageChars) {
      setStatus(texts.too_long, false);
      return;
    }
    input.value = "";
    send(text, text);
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
