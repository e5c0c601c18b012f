/* The lesson player, enhanced. Everything here is optional: without it every form still posts and every
   feedback still links to its sentences (#sentence-<id>, highlighted by the CSS :target rule).

   - items put in order (data-control="reorder"): Up/Down buttons move an item and renumber the position
     selects (announced);
   - sentence pickers (data-sentence-picker): while one is active, clicking a sentence in the article
     ticks its checkbox;
   - after an answer (htmx): the evidence sentences are highlighted, focus moves to the feedback;
   - a failed request says so next to the question instead of failing silently. */
(function () {
  "use strict";

  var status = function () { return document.getElementById("player-status"); };
  var player = function () { return document.querySelector("[data-player]"); };

  function announce(message) {
    var region = status();
    if (!region) return;
    region.textContent = "";
    // A fresh text node after a tick, so the same message twice is announced twice.
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  /* ---------------------------------------------------------------- items put in order */

  function renumber(list) {
    var items = list.querySelectorAll("[data-reorder-item]");
    items.forEach(function (item, index) {
      var select = item.querySelector("select");
      if (select) select.value = String(index + 1);
    });
    return items;
  }

  function announceMove(list, item) {
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-reorder-item]"));
    var text = item.querySelector(".item-text");
    announce(fill(list.getAttribute("data-announce") || "{item}: {position}/{count}", {
      item: text ? text.textContent.trim() : "",
      position: items.indexOf(item) + 1,
      count: items.length,
    }));
  }

  function moveItem(button) {
    var item = button.closest("[data-reorder-item]");
    var list = button.closest("[data-control='reorder']");
    if (!item || !list) return;
    if (button.getAttribute("data-move") === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.getAttribute("data-move") === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    }
    renumber(list);
    button.focus(); // moving the node loses focus in some browsers
    announceMove(list, item);
  }

  function placeBySelect(select) {
    var item = select.closest("[data-reorder-item]");
    var list = select.closest("[data-control='reorder']");
    if (!item || !list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-reorder-item]"));
    var target = Math.max(1, Math.min(items.length, parseInt(select.value, 10) || 1));
    list.removeChild(item);
    var rest = list.querySelectorAll("[data-reorder-item]");
    list.insertBefore(item, rest[target - 1] || null);
    renumber(list);
    select.focus();
    announceMove(list, item);
  }

  function enhanceReorder(root) {
    root.querySelectorAll("[data-control='reorder'] .move[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  /* ---------------------------------------------------------------- picking sentences */

  var activeQuestion = null;

  function pickerOf(question) {
    return question && document.body.contains(question)
      ? question.querySelector("[data-sentence-picker]")
      : null;
  }

  function syncPicked() {
    var picker = pickerOf(activeQuestion);
    document.querySelectorAll(".sentence.picked").forEach(function (sentence) {
      sentence.classList.remove("picked");
    });
    var article = document.querySelector(".player-article");
    var hint = document.getElementById("pick-hint");
    if (article) article.classList.toggle("picking", Boolean(picker));
    if (hint) {
      hint.hidden = !picker;
      if (picker) {
        var title = activeQuestion.querySelector(".question-title");
        hint.textContent = fill(hint.getAttribute("data-template") || "{question}", {
          question: title ? title.textContent.trim() : "",
        });
      }
    }
    if (!picker) return;
    picker.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      var sentence = document.getElementById("sentence-" + box.value);
      if (sentence) sentence.classList.add("picked");
    });
  }

  function activate(question) {
    if (question === activeQuestion) return;
    activeQuestion = pickerOf(question) ? question : null;
    syncPicked();
  }

  function toggleSentence(sentence) {
    var picker = pickerOf(activeQuestion);
    if (!picker) return false;
    var box = picker.querySelector('input[type=checkbox][value="' + sentence.getAttribute("data-sentence") + '"]');
    if (!box) return false;
    var details = picker.closest("details");
    if (details) details.open = true;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    var label = box.closest("label");
    announce((box.checked ? "✓ " : "✗ ") + (label ? label.textContent.trim() : ""));
    return true;
  }

  /* ---------------------------------------------------------------- feedback */

  function highlightEvidence(ids) {
    document.querySelectorAll(".sentence.evidence").forEach(function (sentence) {
      sentence.classList.remove("evidence");
      // A mark the server drew (after a plain-form answer) goes too, with its label for screen readers.
      var mark = sentence.querySelector("mark");
      if (mark) sentence.textContent = mark.lastChild ? mark.lastChild.textContent : sentence.textContent;
    });
    var first = null;
    (ids || []).forEach(function (id) {
      var sentence = document.getElementById("sentence-" + id);
      if (!sentence) return;
      sentence.classList.add("evidence");
      first = first || sentence;
    });
    // Beside the questions (wide screens) the article scrolls to the evidence; in one column the feedback's
    // links lead there instead, so the learner is not carried away from what they just read.
    if (first && window.matchMedia("(min-width: 900px)").matches) {
      var calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      first.scrollIntoView({ block: "center", behavior: calm ? "auto" : "smooth" });
    }
  }

  function showRequestError(elt, message) {
    var question = elt && elt.closest ? elt.closest("[data-question]") : null;
    var where = question ? question.querySelector("form") : null;
    if (!where || !message) { announce(message || ""); return; }
    var note = where.querySelector(".request-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "error request-error";
      note.setAttribute("role", "alert");
      where.insertBefore(note, where.firstChild);
    }
    note.textContent = message;
  }

  var pendingQuestion = null;

  /* ---------------------------------------------------------------- wiring */

  document.addEventListener("click", function (event) {
    var move = event.target.closest("[data-control='reorder'] .move");
    if (move) { event.preventDefault(); moveItem(move); return; }
    var sentence = event.target.closest(".player-article .sentence");
    if (sentence && toggleSentence(sentence)) event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-control='reorder'] select")) placeBySelect(target);
    if (target.closest && target.closest("[data-sentence-picker]")) syncPicked();
  });

  document.addEventListener("focusin", function (event) {
    var question = event.target.closest && event.target.closest("[data-question]");
    if (question) activate(question);
  });

  document.addEventListener("quizsite:evidence", function (event) {
    highlightEvidence(event.detail && event.detail.sentences);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var question = event.detail.elt.closest && event.detail.elt.closest("[data-question]");
    pendingQuestion = question ? question.getAttribute("data-question") : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pendingQuestion) return;
    var question = document.getElementById("question-" + pendingQuestion);
    pendingQuestion = null;
    if (!question) return;
    var focusTarget = question.querySelector(".error[role=alert], .feedback-live");
    if (focusTarget) {
      if (!focusTarget.hasAttribute("tabindex")) focusTarget.setAttribute("tabindex", "-1");
      focusTarget.focus();
    }
    if (activeQuestion && !document.body.contains(activeQuestion)) {
      activeQuestion = pickerOf(question) ? question : null;
    }
    syncPicked();
  });

  document.body.addEventListener("htmx:beforeOnLoad", function (event) {
    // An answer refused with 400/409 comes back as the question with its message, marked by HX-Reswap:
    // keep it from django-htmx's debug helper, which shows 400 responses as a whole error page.
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Reswap")) event.stopPropagation();
  });

  document.addEventListener("htmx:sendError", function (event) {
    var root = player();
    showRequestError(event.detail.elt, root && root.getAttribute("data-msg-network"));
  });

  document.addEventListener("htmx:responseError", function (event) {
    var root = player();
    showRequestError(event.detail.elt, root && root.getAttribute("data-msg-server"));
  });

  function enhance(root) { enhanceReorder(root || document); }

  if (window.htmx) {
    window.htmx.onLoad(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
