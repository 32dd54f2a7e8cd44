/* Duty-worker console: live queue and conversation pages. Every value from the server is shown
   with textContent, never as markup, so a person's message can never run in the console. */
(function () {
  "use strict";

  var csrf = document.querySelector('meta[name="csrf"]').content;
  var page = document.body.dataset.page;
  var ROUTES = {
    danger: "Danger",
    self_harm: "Self-harm or suicide",
    disclosure: "Disclosure",
    concern: "Concern"
  };
  var LANGUAGES = { en: "English", cy: "Cymraeg (Welsh)" };
  var CHANNELS = { webchat: "Web chat", sms: "SMS", rest: "Test (REST)" };
  var DELIVERY = {
    sent: "",
    opted_out: "NOT SENT: the person texted STOP",
    not_safe_to_text: "NOT SENT: the person said it is not safe to text",
    no_contact: "NOT SENT: no number on record",
    no_live_channel: "NOT SENT: this channel cannot receive replies",
    not_connected: "NOT SEEN YET: the person's chat page is not open now",
    failed: "NOT SENT: sending failed (see the server log)"
  };

  function element(tag, text, className) {
    var made = document.createElement(tag);
    if (text !== undefined && text !== null) made.textContent = String(text);
    if (className) made.className = className;
    return made;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      if (response.status === 401) window.location.assign("/console/login");
      return response.json().then(function (data) {
        data.ok = response.ok;
        return data;
      });
    });
  }

  function waited(seconds) {
    if (seconds < 60) return seconds + " s";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min";
    return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
  }

  function reach(row) {
    var parts = [];
    if (row.quick_exited) parts.push(["Left by quick exit", true]);
    if (row.channel === "webchat") parts.push([row.connected ? "Connected" : "Not connected", !row.connected]);
    if (row.channel === "sms") {
      if (row.opted_out) parts.push(["Opted out (STOP): cannot text", true]);
      if (row.safe_to_text === false) parts.push(["NOT safe to text", true]);
      else if (row.safe_to_text === true) parts.push(["Safe to text", false]);
      else parts.push(["Safe to text: not answered", true]);
      if (row.unsent_texts) parts.push([row.unsent_texts + " text(s) did not reach them", true]);
    }
    return parts;
  }

  function badges(cell, parts) {
    parts.forEach(function (part) {
      cell.appendChild(element("span", part[0], part[1] ? "badge warn" : "badge"));
      cell.appendChild(document.createTextNode(" "));
    });
  }

  function events(url, name, handle, stateElement) {
    var source = new EventSource(url);
    source.addEventListener(name, function (event) {
      if (stateElement) stateElement.textContent = "Live: updates appear as they happen.";
      handle(JSON.parse(event.data));
    });
    source.addEventListener("signed_out", function () {
      source.close();
      window.location.assign("/console/login");
    });
    source.onerror = function () {
      if (stateElement) stateElement.textContent = "Reconnecting…";
    };
    return source;
  }

  /* ---- queue ---- */

  var audio = null;
  function sound() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.2;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.6);
      return true;
    } catch (error) {
      return false;
    }
  }

  function queuePage() {
    var rows = document.getElementById("queue-rows");
    var empty = document.getElementById("queue-empty");
    var alertBox = document.getElementById("alert");
    var availability = document.getElementById("availability");
    var availabilityText = document.getElementById("availability-text");
    var alerted = {};

    function showAvailability() {
      var on = availability.getAttribute("aria-pressed") === "true";
      availabilityText.textContent = on
        ? "You are available: the bot tells people a duty worker can read their messages now."
        : "You are away: the bot tells people nobody is available and gives the 24/7 routes.";
    }
    showAvailability();
    availability.addEventListener("click", function () {
      var on = availability.getAttribute("aria-pressed") !== "true";
      if (on && !audio) sound(); /* a click allows the page to make sound for later alerts */
      post("/console/api/availability", { available: on }).then(function (data) {
        availability.setAttribute("aria-pressed", data.available ? "true" : "false");
        showAvailability();
      });
    });

    var receivedAt = Date.now();
    /* the stream sends only changes, so waiting times are counted on here between them */
    window.setInterval(function () {
      var since = Math.floor((Date.now() - receivedAt) / 1000);
      rows.querySelectorAll("td.age").forEach(function (cell) {
        cell.textContent = waited(Number(cell.dataset.seconds) + since);
      });
    }, 5000);

    function render(queue) {
      receivedAt = Date.now();
      rows.textContent = "";
      empty.hidden = queue.length > 0;
      var urgent = [];
      queue.forEach(function (row) {
        var tr = element("tr", null, "priority-" + row.priority);
        var link = element("a", row.reference);
        link.href = "/console/conversations/" + encodeURIComponent(row.reference);
        var first = element("td");
        first.appendChild(link);
        tr.appendChild(first);
        tr.appendChild(element("td", "P" + row.priority));
        tr.appendChild(element("td", ROUTES[row.route] || row.route));
        tr.appendChild(element("td", row.subject));
        tr.appendChild(element("td", CHANNELS[row.channel] || row.channel));
        var age = element("td", waited(row.age_seconds), "age");
        age.dataset.seconds = row.age_seconds;
        tr.appendChild(age);
        tr.appendChild(element("td", row.status === "claimed" ? "Claimed by " + row.claimed_by : "Waiting"));
        tr.appendChild(element("td", row.identifier));
        var cell = element("td");
        badges(cell, reach(row));
        tr.appendChild(cell);
        rows.appendChild(tr);
        /* every waiting priority 1 alerts once: new, raised to priority 1, or waiting at load */
        if (row.priority === 1 && row.status === "open" && !alerted[row.reference]) {
          alerted[row.reference] = true;
          urgent.push(row.reference);
        }
      });
      if (urgent.length) {
        alertBox.hidden = false;
        alertBox.textContent = "Priority 1 (danger): " + urgent.join(", ") + " needs a duty worker now.";
        alertBox.dataset.sounded = sound() ? "true" : "false";
        document.title = "(!) " + document.title.replace(/^\(!\) /, "");
      }
    }
    events("/console/api/queue/events", "queue", render, document.getElementById("stream-state"));
  }

  /* ---- one conversation ---- */

  function conversationPage() {
    var reference = document.getElementById("reference").textContent;
    var base = "/console/api/conversations/" + encodeURIComponent(reference);
    var transcript = document.getElementById("transcript");
    var summary = document.getElementById("summary");
    var message = document.getElementById("action-message");
    var claim = document.getElementById("claim");
    var reopen = document.getElementById("reopen");
    var canned = document.getElementById("canned");
    var transferTo = document.getElementById("transfer-to");
    var shownLines = -1;
    var cannedLoaded = false;
    var fullIdentifier = null; /* asked for by a supervisor, and audited */

    function say(text) {
      message.textContent = text;
    }

    function describe(data) {
      var e = data.escalation;
      var facts = [
        ["Priority", "P" + e.priority + " (" + (ROUTES[e.route] || e.route) + ")"],
        ["About", e.subject],
        ["Why", e.indicators.length ? e.indicators.map(readable).join(", ") : "not recorded"],
        ["Channel", CHANNELS[e.channel] || e.channel],
        ["Language", LANGUAGES[data.language] || data.language],
        ["Person", fullIdentifier || e.identifier],
        ["Opened", new Date(e.created_at).toLocaleString()],
        ["Status", e.status === "claimed" ? "Claimed by " + e.claimed_by : e.status === "closed" ? "Closed: " + e.outcome : "Waiting"],
        ["Wants to talk", e.consent]
      ];
      summary.textContent = "";
      facts.forEach(function (fact) {
        summary.appendChild(element("dt", fact[0]));
        summary.appendChild(element("dd", fact[1]));
      });
      var reachDt = element("dt", "Reach");
      var reachDd = element("dd");
      badges(reachDd, reach(e));
      summary.appendChild(reachDt);
      summary.appendChild(reachDd);
      var holding = e.status === "claimed" && e.claimed_by === data.you;
      claim.hidden = e.status !== "open";
      reopen.hidden = e.status !== "closed";
      ["reply-form", "canned-form", "transfer-form"].forEach(function (id) {
        document.getElementById(id).hidden = !holding;
      });
      document.getElementById("close-form").hidden = e.status === "closed" || (e.status === "claimed" && !holding);
    }

    function readable(name) {
      return name.replace(/_/g, " ");
    }

    function line(item, evidence) {
      var raised = item.message_id && evidence.indexOf(item.message_id) !== -1;
      var li = element("li", null, item.speaker + (raised ? " evidence" : ""));
      var who = {
        person: "Person",
        bot: "Bot",
        worker: "Duty worker" + (item.worker ? " (" + item.worker + ")" : ""),
        system: "System"
      }[item.speaker];
      var label = who + " · " + new Date(item.at).toLocaleTimeString();
      if (raised) label += " · raised this escalation";
      if (item.indicators && item.indicators.length) {
        label += " · safety net read: " + item.indicators.map(readable).join(", ");
      }
      if (item.delivery && DELIVERY[item.delivery]) label += " · " + DELIVERY[item.delivery];
      li.appendChild(element("span", label, "speaker"));
      var text = item.speaker === "system"
        ? (item.text === "paused" ? "Bot paused: a duty worker took over." : "Bot resumed.")
        : item.text;
      li.appendChild(element("span", text, "text"));
      return li;
    }

    function render(data) {
      describe(data);
      if (data.lines.length !== shownLines) {
        transcript.textContent = "";
        data.lines.forEach(function (item) {
          transcript.appendChild(line(item, data.escalation.evidence_message_ids));
        });
        shownLines = data.lines.length;
        transcript.scrollTop = transcript.scrollHeight;
      }
      var notes = document.getElementById("notes");
      notes.textContent = "";
      data.notes.forEach(function (note) {
        notes.appendChild(element("li", note.author + " · " + new Date(note.at).toLocaleString() + ": " + note.text));
      });
      if (!cannedLoaded) {
        data.canned.forEach(function (reply) {
          var option = element("option", reply.text);
          option.value = reply.id;
          canned.appendChild(option);
        });
        cannedLoaded = true;
      }
    }

    function result(data, done) {
      if (!data.ok) say(data.error || "That did not work.");
      else say(done(data));
    }

    claim.addEventListener("click", function () {
      post(base + "/claim").then(function (data) {
        result(data, function () {
          return data.won ? "You have taken over. The bot is paused for this person." : data.holder + " has already claimed this conversation.";
        });
      });
    });
    document.getElementById("show-identifier").addEventListener("click", function () {
      post(base + "/identifier").then(function (data) {
        if (data.ok) {
          fullIdentifier = data.identifier;
          say("Shown in full. This view is recorded in the audit log.");
        } else {
          say(data.error || "That did not work.");
        }
      });
    });
    reopen.addEventListener("click", function () {
      post(base + "/reopen").then(function (data) {
        result(data, function () { return "Reopened: it is back in the queue."; });
      });
    });
    document.getElementById("reply-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var box = document.getElementById("reply");
      post(base + "/reply", { text: box.value }).then(function (data) {
        result(data, function () {
          if (data.delivery === "sent") box.value = "";
          return DELIVERY[data.delivery] || "Sent.";
        });
      });
    });
    document.getElementById("canned-form").addEventListener("submit", function (event) {
      event.preventDefault();
      post(base + "/reply", { canned: canned.value }).then(function (data) {
        result(data, function () { return DELIVERY[data.delivery] || "Sent."; });
      });
    });
    document.getElementById("note-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var box = document.getElementById("note");
      post(base + "/note", { text: box.value }).then(function (data) {
        result(data, function () {
          box.value = "";
          return "Note saved.";
        });
      });
    });
    document.getElementById("transfer-form").addEventListener("submit", function (event) {
      event.preventDefault();
      post(base + "/transfer", { to: transferTo.value }).then(function (data) {
        result(data, function () { return "Transferred to " + data.holder + "."; });
      });
    });
    document.getElementById("close-form").addEventListener("submit", function (event) {
      event.preventDefault();
      post(base + "/close", { outcome: document.getElementById("outcome").value }).then(function (data) {
        result(data, function () { return "Closed. The bot is talking to the person again."; });
      });
    });
    fetch("/console/api/users", { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (names) {
        names.forEach(function (name) {
          var option = element("option", name);
          option.value = name;
          transferTo.appendChild(option);
        });
      });
    events(base + "/events", "conversation", render, null);
  }

  if (page === "queue") queuePage();
  if (page === "conversation") conversationPage();
})();
