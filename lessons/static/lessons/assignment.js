/* Taking an assignment, enhanced (player.js does the rest of the player). Everything here is optional:
   without it each question's "Save answer" button posts its form, and the page shows the time left as the
   server rendered it.

   - autosave: an answer is saved when it changes (a choice, a select, a sentence picked in the article) and,
     for typed answers, after a pause in typing or on leaving the field; each save carries a sequence number
     per question, kept in the page and in sessionStorage, so the server ignores a save older than the one it
     has. A save that fails (network, server) says so ("Not saved — retrying") and is sent again with the
     same number; a newer change replaces it.
   - countdown: from the seconds the server rendered (deadline − server now), measured by elapsed time,
     never by the browser's own clock; at zero the page reloads and the server shows the attempt submitted.
   - a closed attempt (409 from the server): a banner says so and the forms stop saving.
   - Submit: every answer the server has not acknowledged is sent first; the attempt is submitted once they
     are all saved, or else the page names the questions not saved and submits only when asked again. */
(function () {
  "use strict";

  var TYPING_PAUSE_MS = 1200;
  var CHANGE_PAUSE_MS = 250;
  var MAX_RETRY_MS = 30000;

  var root = document.querySelector("[data-assignment]");
  if (!root) return;
  var attemptId = root.getAttribute("data-attempt") || "";
  var closed = false;
  var questions = {}; // question key -> its save state

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }

  function announce(message) {
    var region = document.getElementById("player-status");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  /* ---------------------------------------------------------------- sequence numbers */

  function storageKey(key) { return "quizsite:save-sequence:" + attemptId + ":" + key; }

  function storedSequence(key) {
    try { return parseInt(window.sessionStorage.getItem(storageKey(key)), 10) || 0; } catch (e) { return 0; }
  }

  function rememberSequence(key, sequence) {
    try { window.sessionStorage.setItem(storageKey(key), String(sequence)); } catch (e) { /* private mode */ }
  }

  function stateOf(form) {
    var key = form.getAttribute("data-autosave");
    if (!questions[key]) {
      var input = form.querySelector("input[name=sequence]");
      var serverNext = input ? parseInt(input.value, 10) || 1 : 1;
      questions[key] = {
        key: key,
        form: form,
        sequence: Math.max(serverNext - 1, storedSequence(key)),
        timer: null,
        retryTimer: null,
        retryDelay: 1000,
        lastSent: renderedValues(form), // what the server has: the form as the page was rendered
        failing: false,
        inflight: false,
        beaconed: false, // sent by navigator.sendBeacon while the page was hidden: no answer seen
      };
    }
    return questions[key];
  }

  /* ---------------------------------------------------------------- the save status beside each form */

  function statusOf(state) { return document.getElementById("save-" + state.key); }

  function showStatus(state, kind, text) {
    var element = statusOf(state);
    if (!element) return;
    element.className = "save-status save-" + kind;
    element.textContent = text;
  }

  function values(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "sequence" && name !== "csrfmiddlewaretoken") pairs.push(name + "=" + value);
    });
    return pairs.join("&");
  }

  // The form's values as the server rendered them (the fields' defaults), in the order FormData lists them.
  function renderedValues(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      var name = field.name;
      if (!name || name === "sequence" || name === "csrfmiddlewaretoken" || field.disabled) return;
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.defaultChecked) pairs.push(name + "=" + field.value);
      } else if (field.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(field.options, function (o) { return o.defaultSelected; })[0];
        chosen = chosen || field.options[0];
        if (chosen) pairs.push(name + "=" + chosen.value);
      } else if (field.tagName === "TEXTAREA" || field.type === "text" || field.type === "hidden") {
        pairs.push(name + "=" + field.defaultValue);
      }
    });
    return pairs.join("&");
  }

  /* ---------------------------------------------------------------- saving */

  function send(state) {
    state.lastSent = values(state.form);
    showStatus(state, "pending", msg("saving"));
    window.htmx.trigger(state.form, "autosave");
  }

  function saveNow(state, explicit) {
    window.clearTimeout(state.timer);
    state.timer = null;
    if (closed) return;
    var form = state.form;
    if (!form.checkValidity()) {
      if (explicit) form.reportValidity();
      else showStatus(state, "incomplete", msg("incomplete"));
      return;
    }
    var current = values(form);
    if (!explicit && current === state.lastSent && !state.failing && state.retryTimer === null) return;
    window.clearTimeout(state.retryTimer);
    state.retryTimer = null;
    state.sequence += 1;
    rememberSequence(state.key, state.sequence);
    send(state);
  }

  function saveSoon(form, delay) {
    if (!window.htmx || closed) return;
    var state = stateOf(form);
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () { saveNow(state, false); }, delay);
  }

  function retryLater(state) {
    state.failing = true;
    showStatus(state, "retrying", msg("retrying"));
    window.clearTimeout(state.retryTimer);
    state.retryTimer = window.setTimeout(function () {
      state.retryTimer = null;
      if (!closed) send(state); // the same sequence number: the server keeps one of the two
    }, state.retryDelay);
    state.retryDelay = Math.min(state.retryDelay * 2, MAX_RETRY_MS);
  }

  // Every form's state as the page was rendered; an answer given before this script ran is saved now.
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    if (values(form) !== stateOf(form).lastSent) saveSoon(form, CHANGE_PAUSE_MS);
  });

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function isTyped(element) {
    return element.matches("textarea, input[type=text], input:not([type])");
  }

  document.addEventListener("change", function (event) {
    var form = autosaveForm(event.target);
    if (form) saveSoon(form, isTyped(event.target) ? 0 : CHANGE_PAUSE_MS);
  });

  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (form && isTyped(event.target)) saveSoon(form, TYPING_PAUSE_MS);
  });

  document.addEventListener("focusout", function (event) {
    var form = autosaveForm(event.target);
    if (form && isTyped(event.target)) saveSoon(form, 0);
  });

  document.addEventListener("click", function (event) {
    // Up/Down of items put in order renumber its selects without a change event.
    var form = autosaveForm(event.target.closest && event.target.closest("[data-control='reorder'] .move"));
    if (form) saveSoon(form, CHANGE_PAUSE_MS);
  });

  // The Save answer button: saved here (with a sequence number) rather than by the plain form post.
  document.addEventListener("submit", function (event) {
    var form = autosaveForm(event.target);
    if (!form || !window.htmx) return;
    event.preventDefault();
    event.stopPropagation();
    if (!closed) saveNow(stateOf(form), true);
  }, true);

  document.addEventListener("htmx:configRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form) event.detail.parameters.sequence = String(stateOf(form).sequence);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form) stateOf(form).inflight = true;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    var state = stateOf(form);
    state.inflight = false;
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (status >= 200 && status < 300) {
      state.failing = false;
      state.retryDelay = 1000;
      var note = form.querySelector(".request-error");
      if (note) note.remove(); // player.js's note of a failed request, now out of date
    } else if (status === 0 || status >= 500) {
      retryLater(state); // no answer, or a server in trouble: try again with the same number
    } else if (status !== 400 && status !== 409) {
      showStatus(state, "problem", msg("failed"));
    }
    // 400 (the answer cannot be saved) and 409 (closed) come back as the status, swapped in by htmx.
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var element = event.detail.target;
    if (!element || !element.matches || !element.matches("[data-save-status]")) return;
    var current = document.getElementById(element.id) || element;
    var key = current.id.replace(/^save-/, "");
    var state = questions[key];
    var stored = parseInt(current.getAttribute("data-sequence"), 10) || 0;
    if (state && stored > state.sequence) {
      state.sequence = stored;
      rememberSequence(key, stored);
    }
    // An error the page was rendered with (a refused post without JS) is out of date now.
    var old = document.getElementById("question-" + key + "-error");
    if (old) old.remove();
    updateProgress();
  });

  /* ---------------------------------------------------------------- progress */

  function updateProgress() {
    var progress = document.getElementById("player-progress");
    if (!progress) return;
    var saved = document.querySelectorAll("[data-save-status][data-saved]").length;
    // "3 of 10 questions answered": the server's wording, with the first number changed.
    progress.textContent = progress.textContent.replace(/\d+/, String(saved));
  }

  /* ---------------------------------------------------------------- a closed attempt */

  function closeAttempt(message) {
    if (closed) return;
    closed = true;
    Object.keys(questions).forEach(function (key) {
      window.clearTimeout(questions[key].timer);
      window.clearTimeout(questions[key].retryTimer);
    });
    document.querySelectorAll("form[data-autosave] button[type=submit], .player-finish button").forEach(
      function (button) { button.disabled = true; }
    );
    var banner = document.getElementById("attempt-closed");
    if (banner) {
      var text = banner.querySelector("[data-attempt-closed-message]");
      if (text && message) text.textContent = message;
      banner.hidden = false;
      banner.setAttribute("tabindex", "-1");
      banner.focus();
    }
  }

  document.addEventListener("quizsite:attempt-closed", function (event) {
    closeAttempt(event.detail && event.detail.message);
  });

  /* ---------------------------------------------------------------- leaving the page, submitting */

  function pending() {
    return Object.keys(questions).some(function (key) {
      var state = questions[key];
      return state.timer !== null || state.failing || state.inflight;
    });
  }

  // Send every change still waiting for its pause, and every failed save again now (its retry may be many
  // seconds away); call `then` once no save is on its way (or after a few seconds).
  function settle(then) {
    Object.keys(questions).forEach(function (key) {
      var state = questions[key];
      if (state.timer !== null) {
        saveNow(state, false);
      } else if (state.failing && !state.inflight && !closed) {
        window.clearTimeout(state.retryTimer);
        state.retryTimer = null;
        send(state); // the same sequence number, as a retry
      }
    });
    var waited = 0;
    (function wait() {
      var busy = Object.keys(questions).some(function (key) { return questions[key].inflight; });
      if (!busy || waited >= 5000) { then(); return; }
      waited += 100;
      window.setTimeout(wait, 100);
    })();
  }

  // The questions whose latest change the server has not acknowledged: waiting, on its way, or failed.
  function unsaved() {
    return Object.keys(questions).filter(function (key) {
      var state = questions[key];
      return state.timer !== null || state.failing || state.inflight || state.retryTimer !== null;
    });
  }

  function titleOf(key) {
    var title = document.getElementById("question-" + key + "-title");
    return title ? title.textContent.trim() : key;
  }

  // Beside the Submit button: which answers are not saved, so the student decides knowing it.
  function warnUnsaved(form, keys) {
    var note = form.parentNode.querySelector("[data-unsaved-at-submit]");
    if (!note) {
      note = document.createElement("p");
      note.className = "error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-unsaved-at-submit", "");
      form.parentNode.insertBefore(note, form);
    }
    note.textContent = msg("unsaved-submit").replace("{questions}", keys.map(titleOf).join(", "));
    form.setAttribute("data-warned", keys.join(" "));
  }

  // Submitting: every answer not yet acknowledged is sent first (a failed one again), and the attempt is
  // submitted only once the server has them all. If some still are not saved, the page says which and
  // does not submit: pressing Submit again, told so, submits without them (they are sent once more first).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || !form.closest(".player-finish") || form.hasAttribute("data-settled")) return;
    if (!pending() && unsaved().length === 0) return;
    event.preventDefault();
    var warned = (form.getAttribute("data-warned") || "").split(" ");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    settle(function () {
      if (button) button.disabled = false;
      var left = unsaved();
      var known = left.every(function (key) { return warned.indexOf(key) !== -1; });
      if (left.length && !known) {
        warnUnsaved(form, left);
        return;
      }
      form.setAttribute("data-settled", "");
      form.submit();
    });
  }, true);

  // A change still waiting for its pause is sent now, as a plain form post the browser finishes alone.
  function flush() {
    if (closed || !navigator.sendBeacon) return;
    Object.keys(questions).forEach(function (key) {
      var state = questions[key];
      if (state.timer === null || !state.form.checkValidity()) return;
      window.clearTimeout(state.timer);
      state.timer = null;
      state.sequence += 1;
      rememberSequence(key, state.sequence);
      var data = new FormData(state.form);
      data.set("sequence", String(state.sequence));
      navigator.sendBeacon(state.form.getAttribute("action").split("#")[0], data);
      state.lastSent = values(state.form);
      state.beaconed = true;
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
      return;
    }
    // Back on the page: what was sent unseen is saved again, so its status says when it was kept.
    Object.keys(questions).forEach(function (key) {
      var state = questions[key];
      if (!state.beaconed) return;
      state.beaconed = false;
      saveNow(state, true);
    });
  });
  window.addEventListener("pagehide", flush);
  window.addEventListener("beforeunload", function (event) {
    if (closed || !pending()) return;
    event.preventDefault();
    event.returnValue = msg("unsaved-leave");
  });

  /* ---------------------------------------------------------------- the countdown */

  var clock = document.querySelector("[data-countdown]");
  if (clock) {
    var display = clock.querySelector("[data-countdown-clock]");
    var total = parseInt(clock.getAttribute("data-seconds"), 10) || 0;
    // Elapsed time by two measures (one may stop while the computer sleeps, the other may be reset): the
    // larger is the safer. Reloading early is harmless: the server answers with the true time left.
    var startedPerf = window.performance ? window.performance.now() : 0;
    var startedWall = Date.now();
    var announced = {};

    var format = function (seconds) {
      var hours = Math.floor(seconds / 3600);
      var minutes = Math.floor((seconds % 3600) / 60);
      var rest = seconds % 60;
      var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
      return (hours ? hours + ":" : "") + mm + ":" + String(rest).padStart(2, "0");
    };

    var tick = function () {
      var perf = window.performance ? (window.performance.now() - startedPerf) / 1000 : 0;
      var wall = (Date.now() - startedWall) / 1000;
      var left = Math.max(0, total - Math.floor(Math.max(perf, wall)));
      if (display) display.textContent = format(left);
      if (left === 300 && !announced[300]) {
        announced[300] = true;
        announce((clock.getAttribute("data-msg-minutes") || "").replace("{minutes}", "5"));
      } else if (left === 60 && !announced[60]) {
        announced[60] = true;
        announce(clock.getAttribute("data-msg-minute") || "");
      }
      if (left > 0) return;
      window.clearInterval(timer);
      if (display) display.textContent = format(0);
      announce(clock.getAttribute("data-msg-up") || "");
      // Send what is waiting (the deadline has a few seconds of grace for it), then let the server show
      // the attempt submitted.
      settle(function () {
        closed = true;
        window.setTimeout(function () { window.location.reload(); }, 1000);
      });
    };
    var timer = window.setInterval(tick, 1000);
    tick();
  }
})();
