// asyncdemo --html: the replay. The page holds every run as data (the
// frames: one per loop iteration, with its caption, what ran, the queues it
// left; and the events) and the timeline as inline SVG; this script moves a
// cursor through the frames and shows the loop's state at it. Nothing is
// fetched: the page works from file://.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("replay-data").textContent);
  const svg = document.querySelector("#timeline svg");
  const x0 = Number(svg.dataset.x0);
  const plotWidth = Number(svg.dataset.plotWidth);
  const scale = Number(svg.dataset.scale) || 1;
  const $ = (id) => document.getElementById(id);
  const speeds = [0.25, 0.5, 1, 2, 4, 8, 16, 64];
  const base = 2; // iterations a second at 1×

  // Frames as objects; events stay arrays [time, task, kind, text].
  const runs = data.runs.map((r) => ({
    mode: r.mode,
    tasks: r.tasks,
    events: r.events,
    program: r.program || [],
    places: r.places || [],
    programNote: r.program_note || "",
    section: svg.querySelector(`g.run[data-mode="${CSS.escape(r.mode)}"]`),
    frames: r.frames.map((f) => ({
      began: f[0], ended: f[1], caption: f[2], ran: f[3], ready: f[4],
      first: f[5], end: f[6], printed: f[7], readyTasks: f[8],
      lines: f[9] || [],
    })),
  }));
  const at = { run: Math.max(0, runs.findIndex((r) => r.mode === data.first)), frame: 0 };
  let timer = null;
  let speed = 2; // index into speeds: 1×

  const seconds = (t) => `${t.toFixed(3)} s`;
  const cursor = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  cursor.id = "cursor";
  svg.appendChild(cursor);

  // A list of at most `most` items (a run of ten thousand tasks would
  // rebuild ten thousand at every step), and how many more there are.
  const most = 200;
  function list(el, items, empty) {
    el.replaceChildren();
    const note = (text) => {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = text;
      el.appendChild(li);
    };
    if (items.length === 0) note(empty);
    for (const item of items.slice(0, most)) el.appendChild(item());
    if (items.length > most) note(`… and ${items.length - most} more`);
  }

  function item(name, text, cls) {
    const li = document.createElement("li");
    if (name !== null) {
      const b = document.createElement("b");
      b.textContent = name;
      li.append(b, " ");
    }
    li.append(text);
    if (cls) li.className = cls;
    return li;
  }

  // What each task is doing once the frame has run, from the events; and
  // the sleeping ones, earliest deadline first (ties in the order they slept).
  function taskStates(run, frame) {
    const states = new Map();
    const sleeps = new Map(); // task -> [deadline, event]
    for (let i = 0; i < frame.end; i++) {
      const [, task, kind, text, deadline] = run.events[i];
      if (task < 0) continue;
      sleeps.delete(task);
      switch (kind) {
        case "created": states.set(task, "ready: not started yet"); break;
        case "started": case "resumed": case "block_end": states.set(task, "running"); break;
        case "block_begin": states.set(task, "blocking the loop"); break;
        case "suspended":
          states.set(task, text);
          if (deadline !== undefined) sleeps.set(task, [deadline, i]);
          break;
        case "done": states.set(task, `done: ${text || "None"}`); break;
        case "cancelled": states.set(task, "cancelled"); break;
        case "failed": states.set(task, `failed: ${text}`); break;
      }
    }
    // A task whose step is queued (its sleep is over, or it was cancelled) is ready.
    for (const task of frame.readyTasks) {
      sleeps.delete(task);
      if (!(states.get(task) || "").startsWith("ready")) states.set(task, "ready to resume");
    }
    const timers = [...sleeps].sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1]);
    return [states, timers];
  }

  // The program beside the loop: every line, the ones that ran in this
  // iteration highlighted, each task's line marked (▶ it ran in this
  // iteration and is there now, • it waits there), scrolled to the current
  // one: where the last task that ran is, else the first marked.
  let programOf = null; // the run whose lines the pane holds
  // Each task not done: [task, line, ran in this frame, its chain in
  // words], from its latest suspension before the frame's end.
  function placesAt(run, frame, states) {
    const latest = new Map();
    for (const p of run.places) {
      if (p[0] >= frame.end) break;
      latest.set(p[1], p);
    }
    const ran = new Set(frame.ran.map(([, , task]) => task));
    const out = [];
    for (const [task, [, , line, words]] of [...latest].sort((a, b) => a[0] - b[0])) {
      const state = states.get(task) || "";
      if (/^(done|cancelled|failed)/.test(state)) continue;
      out.push([task, line, ran.has(task), words]);
    }
    return out;
  }

  function showProgram(run, frame, places) {
    const pre = $("program");
    $("program-note").textContent = run.program.length ? "" : run.programNote;
    $("source").classList.toggle("none", run.program.length === 0);
    if (programOf !== run) {
      pre.replaceChildren();
      run.program.forEach((text, i) => {
        const line = document.createElement("span");
        line.className = "line";
        line.dataset.line = String(i + 1);
        const number = document.createElement("span");
        number.className = "number";
        number.textContent = String(i + 1).padStart(String(run.program.length).length, " ");
        const mark = document.createElement("span");
        mark.className = "mark";
        const who = document.createElement("span");
        who.className = "who";
        line.append(mark, number, " ", text, who, "\n");
        pre.appendChild(line);
      });
      programOf = run;
    }
    const ran = new Set(frame.lines);
    const at = new Map(); // line -> [names that ran, names waiting]
    for (const [task, line, ranNow] of places) {
      if (!at.has(line)) at.set(line, [[], []]);
      at.get(line)[ranNow ? 0 : 1].push(run.tasks[task]);
    }
    // The last that ran, in the order they ran; else the first task's.
    let current = null;
    for (const [, , task] of frame.ran)
      for (const [t, line] of places) if (t === task) current = line;
    if (current === null && places.length) current = places[0][1];
    pre.querySelectorAll("span.line").forEach((el) => {
      const n = Number(el.dataset.line);
      const here = at.get(n);
      el.classList.toggle("ran", ran.has(n));
      el.classList.toggle("running", !!here && here[0].length > 0);
      el.classList.toggle("waiting", !!here && here[0].length === 0);
      el.classList.toggle("current", n === current);
      el.querySelector(".mark").textContent = !here ? " " : here[0].length ? "▶" : "•";
      el.querySelector(".who").textContent = here ? `  ← ${[...here[0], ...here[1]].join(", ")}` : "";
    });
    const target = pre.querySelector("span.line.current");
    if (target) { // within the pane only: the page itself does not move
      const top = target.offsetTop - pre.offsetTop;
      pre.scrollTop = Math.max(0, top - pre.clientHeight / 2);
    }
  }

  function show() {
    const run = runs[at.run];
    const frame = run.frames[at.frame];
    const n = run.frames.length;
    document.querySelectorAll("nav#modes button").forEach((b, i) => b.classList.toggle("active", i === at.run));
    runs.forEach((r, i) => r.section && r.section.classList.toggle("active", i === at.run));
    // A range only when it shows (a real clock's microseconds do not).
    const when = seconds(frame.began) === seconds(frame.ended) ? seconds(frame.began) : `${seconds(frame.began)} → ${seconds(frame.ended)}`;
    $("when").textContent = `${runs.length > 1 ? run.mode + " · " : ""}iteration ${at.frame + 1} of ${n} · ${when}`;
    $("caption").textContent = frame.caption;
    $("position").textContent = `${at.frame + 1} / ${n} · ${when}`;
    const scrubber = $("scrubber");
    scrubber.max = String(n);
    scrubber.value = String(at.frame + 1);

    list($("ran"), frame.ran.map(([label, did]) => () => item(label, did.join(", "))), "nothing");
    // The rows of the tasks that ran, marked on the timeline.
    const ranTasks = new Set(frame.ran.map(([, , task]) => task));
    runs.forEach((r, i) => r.section && r.section.querySelectorAll("g.task").forEach(
      (g, task) => g.classList.toggle("ran", i === at.run && ranTasks.has(task))));
    list($("ready"), frame.ready.map((label) => () => item(null, label)), "nothing is ready");
    const [states, timers] = taskStates(run, frame);
    list($("timers"), timers.map(([task, [deadline]]) =>
      () => item(run.tasks[task], `wakes at ${seconds(deadline)}`)), "none");
    list($("tasks"), [...states].map(([task, state]) =>
      () => item(run.tasks[task], state, state === "blocking the loop" ? "blocking" : "")), "none yet");

    const places = placesAt(run, frame, states);
    showProgram(run, frame, places);
    list($("chains"), places.map(([, , , words]) => () => item(null, words)),
      run.program.length ? "no task's code has run yet" : "—");

    // The output so far: its last 200 lines, this iteration's marked.
    const lines = [];
    let previous = at.frame > 0 ? run.frames[at.frame - 1].end : 0;
    for (let i = 0; i < frame.end; i++) {
      const [time, task, kind, text] = run.events[i];
      if (kind === "print") lines.push([i >= previous, `${seconds(time)}  ${task >= 0 ? run.tasks[task] : "-"}  ${text}`]);
    }
    const out = $("output");
    out.replaceChildren();
    const shown = lines.slice(-200);
    if (lines.length > shown.length) out.append(`… ${lines.length - shown.length} earlier lines\n`);
    if (lines.length === 0) out.append("nothing yet");
    for (const [fresh, text] of shown) {
      const span = document.createElement("span");
      if (fresh) span.className = "new";
      span.textContent = text + "\n";
      out.appendChild(span);
    }
    out.scrollTop = out.scrollHeight;

    // The cursor: the iteration's stretch of time, on its mode's rows.
    if (run.section) {
      const y = Number(run.section.dataset.rowsY);
      const h = Number(run.section.dataset.y) + Number(run.section.dataset.height) - y;
      const a = x0 + plotWidth * Math.min(frame.began / scale, 1);
      const b = x0 + plotWidth * Math.min(frame.ended / scale, 1);
      cursor.setAttribute("x", String(a - 1));
      cursor.setAttribute("y", String(y - 4));
      cursor.setAttribute("width", String(Math.max(b - a, 0) + 2));
      cursor.setAttribute("height", String(h + 6));
    }
    try { // where the cursor is, in the address: a link to it, and a reload keeps it
      history.replaceState(null, "", `#mode=${encodeURIComponent(run.mode)}&iteration=${at.frame + 1}`);
    } catch (e) {
      // a browser that refuses it for file:// loses only that
    }
  }

  function go(run, frame) {
    at.run = Math.min(Math.max(run, 0), runs.length - 1);
    at.frame = Math.min(Math.max(frame, 0), runs[at.run].frames.length - 1);
    show();
  }
  const step = (d) => go(at.run, at.frame + d);

  function play(on) {
    if (timer) clearInterval(timer);
    timer = null;
    if (on) {
      if (at.frame === runs[at.run].frames.length - 1) go(at.run, 0);
      timer = setInterval(() => {
        if (at.frame + 1 >= runs[at.run].frames.length) return play(false);
        step(1);
      }, 1000 / (base * speeds[speed]));
    }
    $("play").textContent = timer ? "⏸ pause" : "▶ play";
  }
  function setSpeed(i) {
    speed = Math.min(Math.max(i, 0), speeds.length - 1);
    $("speed").value = String(speed);
    if (timer) play(true);
  }

  // The controls.
  if (runs.length > 1) {
    runs.forEach((r, i) => {
      const b = document.createElement("button");
      b.textContent = `${i + 1} ${r.mode}`;
      b.title = `show ${r.mode} (${i + 1})`;
      b.addEventListener("click", () => { play(false); go(i, 0); });
      $("modes").appendChild(b);
    });
  }
  speeds.forEach((s, i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = `${s}×`;
    $("speed").appendChild(o);
  });
  $("speed").addEventListener("change", (e) => setSpeed(Number(e.target.value)));
  $("first").addEventListener("click", () => { play(false); go(at.run, 0); });
  $("back").addEventListener("click", () => { play(false); step(-1); });
  $("next").addEventListener("click", () => { play(false); step(1); });
  $("last").addEventListener("click", () => { play(false); go(at.run, Infinity); });
  $("play").addEventListener("click", () => play(!timer));
  $("scrubber").addEventListener("input", (e) => { play(false); go(at.run, Number(e.target.value) - 1); });

  // A click on the timeline: that mode, the iteration running at that time.
  svg.addEventListener("click", (e) => {
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(svg.getScreenCTM().inverse());
    const i = runs.findIndex((r) => r.section &&
      p.y >= Number(r.section.dataset.y) && p.y <= Number(r.section.dataset.y) + Number(r.section.dataset.height));
    if (i < 0) return;
    const t = Math.max(0, (p.x - x0) / plotWidth * scale);
    const frames = runs[i].frames;
    let k = 0;
    while (k + 1 < frames.length && frames[k + 1].began <= t) k++;
    play(false);
    go(i, k);
  });

  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target instanceof HTMLSelectElement || (e.target instanceof HTMLInputElement && e.key !== " ")) return;
    const k = e.key;
    if (k === "ArrowRight" || k === "n" || k === "l") { play(false); step(1); }
    else if (k === "ArrowLeft" || k === "b" || k === "h") { play(false); step(-1); }
    else if (k === " " || k === "k") play(!timer);
    else if (k === "Home") { play(false); go(at.run, 0); }
    else if (k === "End") { play(false); go(at.run, Infinity); }
    else if (k === "+" || k === "=") setSpeed(speed + 1);
    else if (k === "-") setSpeed(speed - 1);
    else if (/^[1-9]$/.test(k) && Number(k) <= runs.length) { play(false); go(Number(k) - 1, 0); }
    else return;
    e.preventDefault();
  });

  // Where to start: #mode=gather&iteration=3, or the first frame.
  const hash = new URLSearchParams(location.hash.slice(1));
  const wanted = runs.findIndex((r) => r.mode === hash.get("mode"));
  setSpeed(speed);
  go(wanted >= 0 ? wanted : at.run, (Number(hash.get("iteration")) || 1) - 1);

  // For the tests (and the curious): move and read from the console.
  window.replay = {
    go: (mode, iteration) => go(runs.findIndex((r) => r.mode === mode), iteration - 1),
    step, play,
    frames: (mode) => runs[runs.findIndex((r) => r.mode === mode)].frames.length,
  };
  window.replayReadyAt = performance.now();
  document.documentElement.dataset.ready = "true";
})();
