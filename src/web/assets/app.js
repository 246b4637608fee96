// loa: the few things the page does in the browser. Everything also works
// without script (forms post normally), except the drag-and-drop progress.
"use strict";

function csrfToken() {
  const m = document.querySelector('meta[name="csrf-token"]');
  return m ? m.content : "";
}

// Clips: upload every chosen or dropped file in one request, with progress.
function setUpUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("upload-input");
  const zone = document.getElementById("dropzone");
  const bar = document.getElementById("upload-progress");
  const status = document.getElementById("upload-status");
  const results = document.getElementById("upload-results");
  const maxRequest = Number(form.dataset.maxRequest || 0);
  const en = document.documentElement.lang === "en";
  const say = (vi, english) => (en ? english : vi);

  function send(files) {
    if (!files || files.length === 0) return;
    const data = new FormData();
    let total = 0;
    for (const f of files) {
      data.append("file", f, f.name);
      total += f.size;
    }
    results.textContent = "";
    if (maxRequest && total > maxRequest) {
      status.textContent = say("Tổng dung lượng vượt giới hạn một lần tải: chia thành nhiều lần.",
        "The files exceed the upload limit: send fewer at a time.");
      status.className = "error";
      return;
    }
    bar.hidden = false;
    bar.value = 0;
    status.className = "muted";
    status.textContent = say("Đang tải lên " + files.length + " tệp…", "Uploading " + files.length + " file(s)…");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    };
    xhr.upload.onload = () => {
      bar.value = 100;
      status.textContent = say("Đang giải mã, kiểm tra từng tệp…", "Decoding and checking each file…");
    };
    xhr.onerror = () => {
      status.className = "error";
      status.textContent = say("Mất kết nối khi tải lên.", "The connection dropped during the upload.");
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (!body) {
        status.className = "error";
        status.textContent = xhr.responseText || ("HTTP " + xhr.status);
        return;
      }
      let added = 0;
      for (const r of body.results || []) {
        const li = document.createElement("li");
        li.className = r.ok ? "ok" : "refused";
        if (r.id) li.dataset.clip = r.id;
        li.textContent = r.name + ": " + r.message;
        results.appendChild(li);
        if (r.ok) added++;
      }
      if (body.error) {
        status.className = "error";
        status.textContent = body.error;
        return;
      }
      status.textContent = say("Xong.", "Done.");
      if (added > 0) {
        // Show the new clips in the library; the results stay readable first.
        sessionStorage.setItem("loa-upload-results", results.innerHTML);
        setTimeout(() => location.reload(), 1200);
      }
    };
    xhr.send(data);
  }

  const kept = sessionStorage.getItem("loa-upload-results");
  if (kept) {
    results.innerHTML = kept;
    sessionStorage.removeItem("loa-upload-results");
  }
  input.addEventListener("change", () => send(input.files));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    send(e.dataTransfer.files);
  });
}

// Calendar: clicking an airing or a chip highlights the directive's airings.
function setUpCalendar() {
  const week = document.getElementById("week");
  if (!week) return;
  function highlight(number) {
    const same = week.dataset.highlight === number;
    const chosen = same ? "" : number;
    week.dataset.highlight = chosen;
    week.classList.toggle("highlighting", chosen !== "");
    for (const a of week.querySelectorAll(".airing")) {
      a.classList.toggle("highlight", chosen !== "" && a.dataset.directive === chosen);
    }
    for (const c of document.querySelectorAll(".chip")) {
      c.classList.toggle("highlight", c.dataset.directive === chosen);
    }
  }
  week.addEventListener("click", (e) => {
    const a = e.target.closest(".airing");
    if (a && a.dataset.directive) highlight(a.dataset.directive);
  });
  week.addEventListener("keydown", (e) => {
    const a = e.target.closest(".airing");
    if (a && (e.key === "Enter" || e.key === " ") && a.dataset.directive) {
      e.preventDefault();
      highlight(a.dataset.directive);
    }
  });
  for (const c of document.querySelectorAll(".chip")) {
    c.addEventListener("click", () => highlight(c.dataset.directive));
  }
  const first = week.dataset.highlight;
  if (first) {
    week.dataset.highlight = "";
    highlight(first);
  }
}

// Forms that ask before they act (removing a clip).
function setUpConfirms() {
  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (e) => {
      if (!window.confirm(f.dataset.confirm)) e.preventDefault();
    });
  }
}

// Today: keep "on the air" current.
function setUpNowPlaying() {
  const box = document.getElementById("now-playing");
  if (!box || !box.dataset.refresh) return;
  const live = box.querySelector(".live");
  if (!live) return;
  setInterval(async () => {
    try {
      const r = await fetch(box.dataset.refresh, { headers: { Accept: "application/json" } });
      if (r.ok) live.innerHTML = (await r.json()).html;
    } catch (_) { /* the daemon may be restarting */ }
  }, 5000);
}

document.addEventListener("DOMContentLoaded", () => {
  setUpUpload();
  setUpCalendar();
  setUpConfirms();
  setUpNowPlaying();
});
