// The live meeting page: timers kept in the browser, notes saved as you type, and a
// status line that says what was saved. Everything here enhances forms that also work
// without JavaScript; nothing is inline (the page runs under a strict CSP).
(() => {
  "use strict";

  const SAVE_DELAY_MS = 1500;
  const STATUS_CLEAR_MS = 8000;

  // Status line ------------------------------------------------------------------------

  let statusTimer = null;
  function announce(text, { error = false } = {}) {
    const region = document.getElementById("live-status");
    if (!region) return;
    const line = document.createElement("p");
    line.className = error ? "is-error" : "is-saved";
    line.textContent = text;
    region.replaceChildren(line);
    scheduleStatusClear();
  }
  function scheduleStatusClear() {
    const region = document.getElementById("live-status");
    if (!region) return;
    window.clearTimeout(statusTimer);
    // Successes fade after a while; a "Not saved" stays until something is saved.
    if (region.querySelector(".is-error")) return;
    statusTimer = window.setTimeout(() => region.replaceChildren(), STATUS_CLEAR_MS);
  }
  function localTime(date) {
    return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  }

  // htmx answers -----------------------------------------------------------------------

  // A refused save (400: fix a field; 409: someone saved first, or the record is closed)
  // carries the explanation as its content: show it instead of dropping it.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", scheduleStatusClear);
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    const message = "Not saved: the connection dropped. What you entered is still on this page; try again in a moment.";
    if (form && form.matches("[data-notes-form]")) {
      notesMessage(form, message, true);
    } else {
      announce(message, { error: true });
    }
  });
  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    if (status === 400 || status === 409) return;
    const message = status === 403
      ? "Not saved: you cannot change this meeting's record."
      : `Not saved: the server answered with an error (${status}). What you entered is still on this page.`;
    const form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form && form.matches("[data-notes-form]")) notesMessage(form, message, true);
    else announce(message, { error: true });
  });

  // Timers ------------------------------------------------------------------------------

  const timers = new Map();

  function clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    const minutes = Math.floor(whole / 60);
    return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
  }

  function timerFor(element) {
    const id = element.dataset.item;
    if (!timers.has(id)) {
      timers.set(id, {
        element,
        seconds: Number(element.dataset.seconds || 0),
        running: element.dataset.running === "true",
        since: performance.now(),
        allotted: Number(element.dataset.allotted || 0),
        announcedOver: Number(element.dataset.seconds || 0) > Number(element.dataset.allotted || 0),
      });
    }
    return timers.get(id);
  }

  function elapsed(timer) {
    return timer.seconds + (timer.running ? (performance.now() - timer.since) / 1000 : 0);
  }

  function paint(timer) {
    const { element } = timer;
    const seconds = elapsed(timer);
    const over = Math.max(0, seconds - timer.allotted);
    element.querySelector("[data-clock]").textContent = clock(seconds);
    const bar = element.querySelector("[data-bar]");
    if (bar) bar.value = Math.min(seconds, timer.allotted);
    const overBox = element.querySelector("[data-over]");
    if (overBox) {
      overBox.hidden = over <= 0;
      overBox.querySelector("[data-over-clock]").textContent = clock(over);
    }
    element.classList.toggle("is-over", over > 0);
    element.classList.toggle("is-running", timer.running);
    const state = element.querySelector("[data-state]");
    if (state) state.textContent = timer.running ? "running" : seconds >= 1 ? "paused" : "";
    const start = element.querySelector("[data-timer-start]");
    const stop = element.querySelector("[data-timer-stop]");
    if (start && stop) {
      start.hidden = timer.running;
      stop.hidden = !timer.running;
      const label = start.firstChild;
      if (label && label.nodeType === Node.TEXT_NODE) {
        label.textContent = seconds >= 1 ? "Resume timer" : "Start timer";
      }
      start.classList.toggle("primary", !timer.running);
    }
    if (over > 0 && timer.running && !timer.announcedOver) {
      timer.announcedOver = true;
      announce(`Time is up for “${element.dataset.title}”: ${clock(timer.allotted)} allotted.`);
    }
  }

  function setTimer(timer, { seconds, running }) {
    timer.seconds = seconds;
    timer.running = running;
    timer.since = performance.now();
    if (seconds <= timer.allotted) timer.announcedOver = false;
    paint(timer);
  }

  function tick() {
    timers.forEach((timer) => {
      if (timer.running) paint(timer);
    });
    paintElapsed();
  }

  async function sendTimer(form, action) {
    const element = form.closest("[data-timer]");
    const timer = timerFor(element);
    const before = { seconds: elapsed(timer), running: timer.running };
    // Show it at once; the server's answer corrects it if needed.
    if (action === "start") {
      timers.forEach((other) => {
        if (other !== timer && other.running) setTimer(other, { seconds: elapsed(other), running: false });
      });
    }
    setTimer(timer, { seconds: before.seconds, running: action === "start" });
    const body = new FormData(form);
    body.set("action", action);
    try {
      // getAttribute: the form has a field named "action", which shadows form.action.
      const response = await fetch(form.getAttribute("action"), {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.error || `The server answered ${response.status}.`);
      answer.items.forEach((item) => {
        const other = document.querySelector(`[data-timer][data-item="${item.id}"]`);
        if (other) setTimer(timerFor(other), { seconds: item.seconds, running: item.running });
      });
      announce(`${action === "start" ? "Timer started" : "Timer paused"} for “${element.dataset.title}” at ${localTime(new Date())}.`);
    } catch (error) {
      setTimer(timer, before);
      announce(`Not saved: the timer for “${element.dataset.title}” did not ${action}. ${error.message}`, { error: true });
    }
  }

  function initTimers(root) {
    root.querySelectorAll("[data-timer]").forEach((element) => paint(timerFor(element)));
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-timer-form]")) return;
    event.preventDefault();
    const action = event.submitter && event.submitter.value === "stop" ? "stop" : "start";
    sendTimer(form, action);
  });

  // The meeting's own clock ---------------------------------------------------------

  let meetingStart = null;
  function initMeetingClock() {
    const head = document.querySelector("[data-meeting]");
    if (!head || head.dataset.phase !== "running" || !head.dataset.startedAt) return;
    const serverNow = Date.parse(head.dataset.serverNow);
    const offset = Number.isNaN(serverNow) ? 0 : Date.now() - serverNow; // this device's clock skew
    meetingStart = { at: Date.parse(head.dataset.startedAt) + offset, planned: Number(head.dataset.scheduledMinutes || 0), head };
    paintElapsed();
  }
  function paintElapsed() {
    if (!meetingStart) return;
    const box = meetingStart.head.querySelector("[data-elapsed]");
    if (!box) return;
    const minutes = Math.max(0, Math.floor((Date.now() - meetingStart.at) / 60000));
    const text = `: ${minutes} minute${minutes === 1 ? "" : "s"} in, of ${meetingStart.planned} planned`;
    if (box.textContent !== text) box.textContent = text;
  }

  // Notes: saved as you type ------------------------------------------------------------

  const notesState = new WeakMap();

  function notesMessage(form, text, error) {
    const box = form.querySelector("[role=status]");
    if (!box) return;
    const line = document.createElement("span");
    line.className = error ? "is-error" : "is-saved";
    line.textContent = text;
    box.replaceChildren(line);
  }

  function stateOf(form) {
    if (!notesState.has(form)) notesState.set(form, { dirty: false, timer: null, sent: null });
    return notesState.get(form);
  }

  function inConflict(form) {
    return Boolean(form.querySelector("[data-conflict]"));
  }

  document.addEventListener("input", (event) => {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement)) return;
    const form = area.closest("[data-notes-form]");
    if (!form) return;
    const state = stateOf(form);
    if (!state.dirty) notesMessage(form, "Changes not saved yet…", false);
    state.dirty = true;
    window.clearTimeout(state.timer);
    if (inConflict(form)) return; // the person chooses first; nothing is sent behind their back
    state.timer = window.setTimeout(() => {
      if (!inConflict(form) && window.htmx) window.htmx.trigger(form, "autosave");
    }, SAVE_DELAY_MS);
  });

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-notes-form]")) return;
    const state = stateOf(form);
    window.clearTimeout(state.timer);
    state.sent = form.querySelector("textarea").value;
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-notes-form]")) return;
    const state = stateOf(form);
    if (event.detail.successful && form.querySelector("textarea").value === state.sent) {
      state.dirty = false;
    }
  });

  function initConflicts(root) {
    root.querySelectorAll("[data-conflict]").forEach((panel) => {
      const combine = panel.querySelector("[data-combine]");
      if (combine) combine.hidden = false;
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-combine]") : null;
    if (!button) return;
    const form = button.closest("form");
    const area = form.querySelector("textarea");
    const theirs = form.querySelector("[data-theirs]").textContent;
    area.value = `${theirs.trimEnd()}\n\n${area.value}`;
    stateOf(form).dirty = true;
    button.hidden = true;
    area.focus();
    notesMessage(form, "Their text is now above yours in the box. Edit it, then press “Save the text in the box”.", false);
  });

  window.addEventListener("beforeunload", (event) => {
    const unsaved = [...document.querySelectorAll("[data-notes-form]")].some((form) => stateOf(form).dirty);
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // The after-the-fact log: more rows, everyone on time ---------------------------------

  function initLogForm(root) {
    root.querySelectorAll("[data-add-row]").forEach((button) => { button.hidden = false; });
    root.querySelectorAll("[data-all-on-time]").forEach((button) => { button.hidden = false; });
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const add = target.closest("[data-add-row]");
    if (add) {
      const prefix = add.dataset.addRow;
      const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
      const template = document.querySelector(`template[data-empty-row="${prefix}"]`);
      const rows = document.querySelector(`[data-rows="${prefix}"]`);
      if (!total || !template || !rows) return;
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const added = rows.lastElementChild;
      const first = added && added.querySelector("textarea, input:not([type=hidden]), select");
      if (first) first.focus();
      return;
    }
    const all = target.closest("[data-all-on-time]");
    if (all) {
      const section = all.closest("section");
      let count = 0;
      section.querySelectorAll("select").forEach((select) => {
        if (select.value === "") {
          select.value = "on_time";
          count += 1;
        }
      });
      announce(count ? `${count} marked on time (not saved until you save the record).` : "Everyone already has a status.");
    }
  });

  // Start -------------------------------------------------------------------------------

  function init(root) {
    initTimers(root);
    initConflicts(root);
    initLogForm(root);
  }
  document.addEventListener("DOMContentLoaded", () => {
    init(document);
    initMeetingClock();
    window.setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSettle", (event) => init(event.target));
})();
