// Small enhancements only; every page works without scripts.
document.addEventListener("DOMContentLoaded", () => {
  // "/" jumps to the quick search, as in many office tools.
  document.addEventListener("keydown", (e) => {
    const q = document.getElementById("quick-q");
    if (e.key === "/" && q && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      e.preventDefault();
      q.focus();
    }
  });
  // Ask before confirming irreversible actions.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  }
  // Score sheets add up as one types; the "compute" button does the same on the server.
  for (const sheet of document.querySelectorAll("form.score-sheet")) {
    const inputs = [...sheet.querySelectorAll("input.points")];
    const total = sheet.querySelector("#sheet-total");
    const grade = sheet.querySelector("#sheet-grade");
    const read = (v) => {
      const m = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*$/.exec(v);
      return m ? Number(m[1]) * 100 + Number((m[2] || "").padEnd(2, "0")) : null;
    };
    const show = (h) => {
      const whole = Math.floor(h / 100), frac = h % 100;
      return frac === 0 ? String(whole) : whole + "," + String(frac).padStart(2, "0").replace(/0$/, "");
    };
    const d = sheet.dataset;
    const recompute = () => {
      let sum = 0, filled = 0, bad = false;
      for (const input of inputs) {
        if (input.value.trim() === "") { input.removeAttribute("aria-invalid"); continue; }
        const p = read(input.value);
        const wrong = p === null || p > Number(input.dataset.max);
        input.toggleAttribute("aria-invalid", wrong);
        if (wrong) { bad = true; continue; }
        sum += p; filled += 1;
      }
      if (filled === 0 && !bad) { total.textContent = "—"; grade.textContent = "—"; return; }
      total.textContent = show(sum) + (filled < inputs.length || bad ? " (" + filled + "/" + inputs.length + ")" : "");
      grade.textContent = filled < inputs.length || bad ? "—"
        : sum >= Number(d.good) ? d.goodName
        : sum >= Number(d.fair) ? d.fairName
        : sum >= Number(d.average) ? d.averageName : d.weakName;
    };
    sheet.addEventListener("input", recompute);
  }
  // Commune pickers: when the date their list depends on changes, offer the communes valid
  // on that date (the server renders the list for the form's date and checks on submit too).
  for (const input of document.querySelectorAll("input[data-units-on]")) {
    const date = document.getElementById(input.dataset.unitsOn);
    const list = document.getElementById(input.getAttribute("list"));
    if (!date || !list) continue;
    const refresh = async () => {
      const on = date.value.trim();
      if (!/^(\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})$/.test(on)) return;
      try {
        const res = await fetch("/units?on=" + encodeURIComponent(on), { headers: { Accept: "application/json" } });
        if (!res.ok) return;
        const data = await res.json();
        list.replaceChildren(...data.communes.map((label) => {
          const o = document.createElement("option");
          o.value = label;
          return o;
        }));
        input.dataset.unitsFor = data.on;
      } catch (_) {
        // Offline or logged out: the list rendered with the page stays, the server checks.
      }
    };
    date.addEventListener("change", refresh);
  }
  // Period pickers: show only the fields the chosen shape uses, and the period's name as
  // one chooses (the server composes the same code on submit, with or without this).
  for (const shape of document.querySelectorAll("select[name=p_shape]")) {
    const form = shape.form;
    const field = (name) => form.querySelector("[name=" + name + "]")?.closest(".field");
    const hint = shape.closest(".field").querySelector("small.hint");
    const update = async () => {
      const s = shape.value;
      field("p_year")?.toggleAttribute("hidden", s === "dates");
      field("p_months")?.toggleAttribute("hidden", s !== "months");
      field("p_from")?.toggleAttribute("hidden", s !== "dates");
      field("p_to")?.toggleAttribute("hidden", s !== "dates");
      if (!hint) return;
      const params = new URLSearchParams();
      for (const n of ["p_shape", "p_year", "p_months", "p_from", "p_to"]) {
        const el = form.querySelector("[name=" + n + "]");
        if (el) params.set(n, el.value);
      }
      try {
        const res = await fetch("/period?" + params, { headers: { Accept: "application/json" } });
        if (!res.ok) return;
        const p = await res.json();
        hint.textContent = p.label ? hint.dataset.chosen + ": " + p.label + " (" + p.code + ")" : (p.error || "");
        hint.classList.toggle("error", !p.label && !!p.error);
      } catch (_) {
        // The server composes the period on submit anyway.
      }
    };
    if (hint) hint.dataset.chosen = hint.textContent.split(":")[0];
    form.addEventListener("change", (e) => {
      if (/^p_/.test(e.target.name || "")) update();
    });
    update();
  }
  // Dates typed as 8 digits (15032022) are written back as 15/03/2022.
  for (const input of document.querySelectorAll("input[data-date]")) {
    input.addEventListener("blur", () => {
      const m = /^(\d{2})(\d{2})(\d{4})$/.exec(input.value.trim());
      if (m) input.value = m[1] + "/" + m[2] + "/" + m[3];
    });
  }
});
