//! The officer's web page in a real Chromium: the page `loa run` serves,
//! used the way an officer uses it (upload clips, read the calendar, download
//! a report), on a desktop and on a phone. Screenshots of every page land in
//! `<target dir>/screenshots/` (or `LOA_SCREENSHOTS`) for a person to look at.
//!
//! `browser_harness_works` proves the browser harness itself against a tiny
//! page served here, so a failure of the scenario is about the page, not the
//! harness.
//!
//! Needs `chromium` and `chromium-driver` (`.ci/run` installs them); without
//! them these tests fail and say so.

mod browser;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Json, Router};
use browser::{png_size, Browser, Size};
use chrono::{Datelike, Timelike};
use loa::clock::{Clock, SystemClock};
use serde_json::json;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audio");

/// Deterministic noise: a file no decoder accepts.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The harness, against a page served here.

/// What the tiny page's server received: (file name, bytes) per upload.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

const HARNESS_PAGE: &str = r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thử trình duyệt</title></head>
<body>
<h1>Tải lên</h1>
<input type="file" id="files" multiple>
<ul id="results"></ul>
<a id="download" href="/download">Tải báo cáo</a>
<script>
document.getElementById('files').addEventListener('change', async (e) => {
  const body = new FormData();
  for (const f of e.target.files) body.append('file', f, f.name);
  const names = await (await fetch('/upload', {method: 'POST', body})).json();
  for (const n of names) {
    const li = document.createElement('li');
    li.className = 'ok';
    li.dataset.name = n;
    li.textContent = n;
    document.getElementById('results').append(li);
  }
});
</script>
</body></html>"#;

const HARNESS_CSV: &[u8] = b"\xEF\xBB\xBFng\xC3\xA0y,l\xC6\xB0\xE1\xBB\xA3t\n2026-11-30,2\n";

async fn harness_upload(State(received): State<Received>, mut form: Multipart) -> Json<Vec<String>> {
    let mut names = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        let name = field.file_name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.unwrap().to_vec();
        received.lock().unwrap().push((name.clone(), bytes));
        names.push(name);
    }
    Json(names)
}

async fn harness_download() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"bao-cao-thu.csv\"",
            ),
        ],
        HARNESS_CSV,
    )
}

/// Serves the tiny page on a free port; its address and what it received.
async fn harness_server() -> (String, Received) {
    let received = Received::default();
    let app = Router::new()
        .route("/", get(|| async { Html(HARNESS_PAGE) }))
        .route("/upload", post(harness_upload))
        .route("/download", get(harness_download))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/"), received)
}

/// What the page sees of the device: (devicePixelRatio, userAgent).
async fn device(b: &Browser) -> (f64, String) {
    let v = b
        .js("return [window.devicePixelRatio, navigator.userAgent];", vec![])
        .await;
    (v[0].as_f64().unwrap(), v[1].as_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_harness_works() {
    let started = Instant::now();
    let (url, received) = harness_server().await;
    let files = tempfile::tempdir().unwrap();
    let mp3 = files.path().join("ban-tin-moi.mp3");
    std::fs::copy(Path::new(FIXTURES).join("tone.mp3"), &mp3).unwrap();
    let broken = files.path().join("hỏng.mp3");
    std::fs::write(&broken, noise(3000)).unwrap();

    // Desktop: two files at once through the file input, then a download.
    let mut desktop = Browser::desktop().await;
    desktop.goto(&url).await;
    assert_eq!(desktop.viewport().await, (1280, 900), "desktop viewport");
    assert_eq!(device(&desktop).await.0, 1.0, "desktop pixel ratio");
    desktop.choose_files("#files", &[&mp3, &broken]).await;
    desktop
        .wait_until("both files listed as uploaded", || async {
            desktop.find_all("#results li.ok").await.len() == 2
        })
        .await;
    {
        let mut got = received.lock().unwrap().clone();
        got.sort();
        assert_eq!(got.len(), 2, "two files reached the server");
        assert_eq!(got[0].0, "ban-tin-moi.mp3");
        assert_eq!(got[0].1, std::fs::read(&mp3).unwrap(), "the MP3 arrived whole");
        assert_eq!(got[1].0, "hỏng.mp3", "a Vietnamese file name survives");
        assert_eq!(got[1].1, std::fs::read(&broken).unwrap());
    }
    desktop.click("#download").await;
    let csv = desktop.wait_for_download(".csv").await;
    assert_eq!(csv.file_name().unwrap(), "bao-cao-thu.csv");
    assert_eq!(std::fs::read(&csv).unwrap(), HARNESS_CSV);
    let shot = desktop.screenshot("harness-desktop").await;
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(png_size(&png), (1280, 900), "desktop screenshot size");
    desktop.quit().await;

    // Phone: the page sees a phone, and the screenshot has the phone's pixels.
    let phone = Browser::phone().await;
    phone.goto(&url).await;
    assert_eq!(phone.viewport().await, (390, 844), "phone viewport");
    let (ratio, agent) = device(&phone).await;
    assert_eq!(ratio, f64::from(Size::Phone.pixel_ratio()), "phone pixel ratio");
    assert!(agent.contains("Mobile"), "phone user agent: {agent}");
    let shot = phone.screenshot("harness-phone").await;
    let png = std::fs::read(&shot).unwrap();
    let ratio = Size::Phone.pixel_ratio();
    assert_eq!(
        png_size(&png),
        (390 * ratio, 844 * ratio),
        "phone screenshot size"
    );
    phone.quit().await;

    eprintln!(
        "browser harness: upload, download and screenshots in both sizes took {:.1} s; \
         screenshots in {}",
        started.elapsed().as_secs_f64(),
        browser::screenshot_dir().display()
    );
}

// ---------------------------------------------------------------------------
// The scenario, against the page `loa run` serves.

/// The directive whose clips the officer uploads (`ban-tin-*`).
const NEWS: &str = "12/KH-UBND";
/// Another directive, so a highlight can be seen to stay on one directive.
const NOTICE: &str = "7/TB-UBND";

/// A fixed-offset zone where it is now around midday, so the whole-day
/// window is open and "this week" cannot change while the test runs.
fn midday_zone() -> String {
    let hour = SystemClock.now().hour() as i32;
    let offset = (12 - hour).clamp(-12, 14);
    // POSIX-style names: Etc/GMT-7 is UTC+7.
    match offset {
        0 => "Etc/GMT".to_string(),
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    }
}

/// A station whose one window covers the whole day, serving its page on a
/// free port: `ban-tin-*` asked twice a day (no such clip yet), `thong-bao`
/// once a day. Returns the folder and the station's zone.
fn station() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for d in ["config", "schedules", "audio"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    let zone = midday_zone();
    std::fs::write(
        root.join("config/loa.toml"),
        format!(
            "[station]\nname = \"Đài truyền thanh xã Minh Tân\"\ntimezone = \"{zone}\"\n\n\
             [[window]]\nname = \"cả ngày\"\nstart = \"00:00\"\nend = \"23:59\"\n\n\
             [web]\nbind = \"127.0.0.1:0\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("schedules/ban-tin.toml"),
        format!(
            "number = \"{NEWS}\"\nissuer = \"UBND xã Minh Tân\"\n\
             subject = \"Tuyên truyền phòng, chống bão lũ\"\nclips = [\"ban-tin-*\"]\n\n\
             [[quota]]\nat_least = 2\nper = \"day\"\nfrom = 2020-01-01\n"
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("schedules/thong-bao.toml"),
        format!(
            "number = \"{NOTICE}\"\nissuer = \"UBND xã Minh Tân\"\n\
             subject = \"Thông báo lịch tiêm chủng\"\nclips = [\"thong-bao\"]\n\n\
             [[quota]]\nat_least = 1\nper = \"day\"\nfrom = 2020-01-01\n"
        ),
    )
    .unwrap();
    std::fs::copy(
        Path::new(FIXTURES).join("tone.wav"),
        root.join("audio/thong-bao.wav"),
    )
    .unwrap();
    (dir, zone)
}

/// The real `loa run`; killed when the test ends however it ends.
struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Daemon {
    fn start(root: &Path) -> Daemon {
        let log = root.join("run.log");
        let child = Command::new(env!("CARGO_BIN_EXE_loa"))
            .args(["run", "--config", "config/loa.toml"])
            .current_dir(root)
            // The page's default language is Vietnamese, whatever the
            // machine running the tests speaks.
            .env_remove("LANG")
            // Playback goes through cargo's test ALSA config into a file.
            .env("LOA_CAPTURE", "/dev/null")
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
            .spawn()
            .unwrap();
        Daemon { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits (30 s at most) for the line saying where the page is served,
    /// `http://127.0.0.1:<port>/`, and returns that address.
    fn wait_for_page(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(url) = page_address(&self.log()) {
                return url;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the web page did not come up: `loa run` exited ({status}) before printing \
                     its address (http://127.0.0.1:<port>/); its stderr:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "the web page did not come up: after 30 s `loa run` has printed no \
                 http://127.0.0.1:<port>/ line; its stderr:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// SIGTERM, then waits (20 s at most) for the exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "`loa run` did not stop within 20 s of SIGTERM; its stderr:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first match of `http://127\.0\.0\.1:\d+/` in `text`.
fn page_address(text: &str) -> Option<String> {
    const PREFIX: &str = "http://127.0.0.1:";
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        let after = &rest[at + PREFIX.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('/') {
            return Some(format!("{PREFIX}{}/", &after[..digits]));
        }
        rest = after;
    }
    None
}

#[test]
fn page_address_is_found_in_the_daemon_log() {
    let log = "\u{1b}[32m INFO\u{1b}[0m loa: trang web: http://127.0.0.1:8080 (no slash)\n\
               INFO loa::web: trang web tại http://127.0.0.1:41234/ (mở trong trình duyệt)\n";
    assert_eq!(page_address(log).as_deref(), Some("http://127.0.0.1:41234/"));
    assert_eq!(page_address("http://127.0.0.1:/"), None);
}

/// The page paths, as the screenshots name them.
const PAGES: [(&str, &str); 7] = [
    ("/", "home"),
    ("/calendar", "calendar"),
    ("/clips", "clips"),
    ("/directives", "directives"),
    ("/reports", "reports"),
    ("/emergency", "emergency"),
    ("/log", "log"),
];

/// Letters only Vietnamese uses (a sample): Vietnamese text has some.
fn has_vietnamese_letters(text: &str) -> bool {
    text.chars().any(|c| {
        "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐ".contains(c.to_lowercase().next().unwrap_or(c))
    })
}

/// Every nav link of the contract is on the page.
async fn assert_nav(b: &Browser) {
    for (path, _) in PAGES {
        let css = format!("nav a[href=\"{path}\"]");
        if b.find(&css).await.is_none() {
            b.fail(&format!("the navigation has no link `{css}`")).await;
        }
    }
}

/// The text of the navigation.
async fn nav_text(b: &Browser) -> String {
    b.wait_for("nav").await.text().await.unwrap_or_default()
}

/// Step 2: two files at once on /clips, one good and one broken.
async fn upload_two_files(b: &Browser, base: &str, root: &Path) {
    let files = tempfile::tempdir().unwrap();
    let good = files.path().join("ban-tin-moi.mp3");
    std::fs::copy(Path::new(FIXTURES).join("tone.mp3"), &good).unwrap();
    let broken = files.path().join("hong.mp3");
    std::fs::write(&broken, noise(4096)).unwrap();

    b.goto(&format!("{base}clips")).await;
    b.wait_for("#dropzone input#upload-input[type=file][multiple]")
        .await;
    b.wait_for("progress#upload-progress").await;
    // The page reloads itself once every file is done, which wipes the
    // per-file results: keep a copy of them (and of the progress bar) in the
    // tab's sessionStorage, which a reload keeps.
    b.js(
        r#"
        sessionStorage.removeItem('e2e-upload');
        window.e2eBeforeReload = true;
        let progressSeen = 0;
        const save = () => {
          const results = document.querySelector('#upload-results');
          const bar = document.querySelector('#upload-progress');
          if (bar && bar.max > 0) progressSeen = Math.max(progressSeen, bar.value / bar.max);
          sessionStorage.setItem('e2e-upload', JSON.stringify({
            results: results ? results.outerHTML : null,
            progressSeen,
          }));
        };
        new MutationObserver(save).observe(document.documentElement,
          {subtree: true, childList: true, attributes: true, characterData: true});
        document.querySelector('#upload-input').addEventListener('change', save);
        "#,
        vec![],
    )
    .await;
    b.choose_files("#upload-input", &[&good, &broken]).await;

    // Done: the page reloaded and the library lists the new clip.
    b.wait_until(
        "the page to reload itself after the upload with `#library tr[data-clip=\"ban-tin-moi\"]`",
        || async {
            let reloaded = b.js("return window.e2eBeforeReload === undefined;", vec![]).await == json!(true);
            reloaded && b.find("#library tr[data-clip=\"ban-tin-moi\"]").await.is_some()
        },
    )
    .await;
    let seen = b
        .js(
            r#"
            const saved = JSON.parse(sessionStorage.getItem('e2e-upload') || 'null');
            if (!saved || !saved.results) return {html: null};
            const t = document.createElement('template');
            t.innerHTML = saved.results;
            return {
              html: saved.results,
              ok: !!t.content.querySelector('li.ok[data-clip="ban-tin-moi"]'),
              okCount: t.content.querySelectorAll('li.ok').length,
              refused: [...t.content.querySelectorAll('li.refused')].map(li => li.textContent.trim()),
              progressSeen: saved.progressSeen,
            };
            "#,
            vec![],
        )
        .await;
    let html = seen["html"].as_str().unwrap_or("(no #upload-results was shown)");
    assert_eq!(
        seen["ok"],
        json!(true),
        "li.ok[data-clip=\"ban-tin-moi\"] in {html}"
    );
    assert_eq!(seen["okCount"], json!(1), "only the good file is ok: {html}");
    let refused = seen["refused"].as_array().cloned().unwrap_or_default();
    assert_eq!(refused.len(), 1, "one li.refused, for hong.mp3: {html}");
    let reason = refused[0].as_str().unwrap().replace("hong.mp3", "");
    assert!(
        reason.chars().filter(|c| c.is_alphabetic()).count() >= 3,
        "the refusal gives a reason: {html}"
    );
    assert!(
        seen["progressSeen"].as_f64().unwrap_or(0.0) > 0.0,
        "progress#upload-progress moved during the upload"
    );

    // The library after the reload.
    let row = "#library tr[data-clip=\"ban-tin-moi\"]";
    for part in [
        "audio[data-clip=\"ban-tin-moi\"]",
        "form.assign select[name=directive]",
        "form.assign button[type=submit]",
        "form.remove button",
    ] {
        let css = format!("{row} {part}");
        if b.find(&css).await.is_none() {
            b.fail(&format!("the library row has no `{css}`")).await;
        }
    }
    assert!(
        b.find("#library tr[data-clip=\"hong\"]").await.is_none(),
        "the broken file is not in the library"
    );
    assert!(
        b.find("#library tr[data-clip=\"thong-bao\"]").await.is_some(),
        "the clip that was there before is still listed"
    );
    // The player's source is the clip itself.
    let audio = b
        .js(
            r#"
            const a = document.querySelector('audio[data-clip="ban-tin-moi"]');
            const src = a.getAttribute('src') || (a.querySelector('source') || {}).src;
            return fetch(src).then(r => r.arrayBuffer().then(body =>
              [new URL(src, location.href).pathname, r.status, body.byteLength]));
            "#,
            vec![],
        )
        .await;
    assert_eq!(
        audio,
        json!(["/audio/ban-tin-moi", 200, std::fs::metadata(&good).unwrap().len()]),
        "the clip's player plays the uploaded file"
    );

    // On disk: the good file, nothing of the broken one, no temporary file.
    let names: Vec<String> = std::fs::read_dir(root.join("audio"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"ban-tin-moi.mp3".to_string()), "{names:?}");
    assert_eq!(
        std::fs::read(root.join("audio/ban-tin-moi.mp3")).unwrap(),
        std::fs::read(&good).unwrap(),
        "the uploaded clip is stored byte for byte"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("hong") || n.starts_with('.')),
        "the audio folder holds no part of the refused file and no temporary file: {names:?}"
    );
}

/// Step 3: the new clip's airings on /calendar; a click highlights its
/// directive's airings and only those.
async fn calendar_shows_the_new_clip(b: &Browser, base: &str, remaining_days: usize) {
    b.goto(&format!("{base}calendar")).await;
    // The daemon picks the new file up by itself: reload until it shows.
    let airing = b
        .reload_until(".airing[data-clip=\"ban-tin-moi\"]", browser::WAIT)
        .await;
    let directive = airing.attr("data-directive").await.unwrap();
    assert_eq!(directive.as_deref(), Some(NEWS), "the airing's directive");
    if let Err(e) = airing.click().await {
        b.fail(&format!("could not click the airing: {e}")).await;
    }
    let counts = || async {
        b.js(
            r#"
            const all = [...document.querySelectorAll('.airing')];
            const mine = all.filter(a => a.dataset.directive === arguments[0]);
            const others = all.filter(a => a.dataset.directive !== arguments[0]);
            const lit = list => list.filter(a => a.classList.contains('highlight')).length;
            return [mine.length, lit(mine), others.length, lit(others)];
            "#,
            vec![json!(NEWS)],
        )
        .await
    };
    b.wait_until(
        "every airing of the clicked directive to get `.highlight`",
        || async {
            let c = counts().await;
            c[0] == c[1]
        },
    )
    .await;
    b.screenshot("web-desktop-calendar-highlight").await;
    let c = counts().await;
    let (mine, _, others, others_lit) = (
        c[0].as_u64().unwrap() as usize,
        c[1].as_u64().unwrap(),
        c[2].as_u64().unwrap(),
        c[3].as_u64().unwrap(),
    );
    assert!(
        mine >= remaining_days,
        "two airings a day are asked, yet the week shows {mine} airings of {NEWS} over \
         {remaining_days} days left"
    );
    assert!(others > 0, "the calendar shows the other directive too");
    assert_eq!(others_lit, 0, "the other directive's airings are not highlighted");
}

/// Step 4: this week's report of the directive as XLSX and as CSV.
async fn reports_download(b: &mut Browser, base: &str, monday: &str, sunday: &str) {
    b.goto(&format!("{base}reports")).await;
    b.wait_for("form#report-form").await;
    let option = b
        .js(
            r#"
            const opts = [...document.querySelectorAll('#report-form select[name=directive] option')];
            const all = opts.find(o => o.value === '');
            const mine = opts.find(o => o.value === arguments[0])
              || opts.find(o => o.value !== '' && o.textContent.includes(arguments[0]));
            return [!!all, mine ? mine.value : null];
            "#,
            vec![json!(NEWS)],
        )
        .await;
    assert_eq!(
        option[0],
        json!(true),
        "an option for all directives (value \"\")"
    );
    let Some(value) = option[1].as_str() else {
        b.fail(&format!("no option for {NEWS} in the report form")).await
    };
    let css = format!("#report-form select[name=directive] option[value=\"{value}\"]");
    b.click(&css).await;
    let from = b.wait_for("#report-form input[name=from][type=date]").await;
    b.set_value(&from, monday).await;
    let to = b.wait_for("#report-form input[name=to][type=date]").await;
    b.set_value(&to, sunday).await;

    b.click("#report-form button[name=format][value=xlsx]").await;
    let xlsx = b.wait_for_download(".xlsx").await;
    let name = xlsx.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("bao-cao-"), "the workbook's name: {name}");
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip");
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("the XLSX is a valid zip");
    assert!(
        zip.file_names().any(|n| n.is_ok_and(|n| n == "xl/workbook.xml")),
        "the zip is a workbook: {:?}",
        zip.file_names().collect::<Vec<_>>()
    );

    b.click("#report-form button[name=format][value=csv]").await;
    let csv = b.wait_for_download(".csv").await;
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the CSV starts with the UTF-8 BOM (Excel)"
    );
    b.find("#report-form button[name=format][value=docx]")
        .await
        .expect("a Word button");
}

/// The emergency form: choose a clip, confirm, see the result.
async fn emergency(b: &Browser, base: &str) {
    b.goto(&format!("{base}emergency")).await;
    b.wait_for("form#emergency-form select[name=clip]").await;
    b.click("form#emergency-form select[name=clip] option[value=\"thong-bao\"]")
        .await;
    b.click(
        "form#emergency-form button:not([type=button]):not([type=reset]), \
         form#emergency-form input[type=submit]",
    )
    .await;
    b.wait_for("form#emergency-confirm #confirm").await;
    b.screenshot("web-desktop-emergency-confirm").await;
    b.click("#confirm").await;
    let result = b.wait_for("#result").await;
    b.wait_until("a message in `#result`", || async {
        !result.text().await.unwrap_or_default().trim().is_empty()
    })
    .await;
}

/// Step 5: every page in one size, screenshot, with the contract's
/// landmarks.
async fn every_page(b: &Browser, base: &str) {
    let size = b.size().name();
    for (path, name) in PAGES {
        b.goto(&format!("{base}{}", path.trim_start_matches('/'))).await;
        b.wait_for("nav").await;
        assert_nav(b).await;
        match path {
            "/" => {
                b.wait_for("#now-playing").await;
                b.wait_for("#next-airings").await;
            }
            "/calendar" => {
                b.wait_for(".airing").await;
            }
            "/clips" => {
                b.wait_for("#library tr[data-clip=\"ban-tin-moi\"]").await;
            }
            "/log" => {
                let status = b.wait_for("#verify-status").await;
                let class = status.class_name().await.unwrap().unwrap_or_default();
                assert!(
                    class.split_whitespace().any(|c| c == "intact"),
                    "the untouched log verifies: #verify-status class=\"{class}\""
                );
            }
            _ => {}
        }
        if b.size() == Size::Phone {
            // Not part of the contract: noted for the person reading the run.
            let wide = b
                .js(
                    "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
                    vec![],
                )
                .await;
            if wide == json!(true) {
                eprintln!("note: {path} is wider than the phone (scrolls sideways)");
            }
        }
        b.screenshot(&format!("web-{size}-{name}")).await;
    }
}

/// This week in the station's zone.
struct Week {
    monday: chrono::NaiveDate,
    sunday: chrono::NaiveDate,
    /// Today to Sunday, both counted.
    days_left: usize,
}

impl Week {
    fn now_in(tz: chrono_tz::Tz) -> Week {
        let today = SystemClock.now().with_timezone(&tz).date_naive();
        let monday = today - chrono::Duration::days(today.weekday().num_days_from_monday().into());
        let sunday = monday + chrono::Duration::days(6);
        Week {
            monday,
            sunday,
            days_left: (sunday - today).num_days() as usize + 1,
        }
    }
}

/// Steps 2 to 5: what the officer does on the page at `base`, the station
/// being in `root`.
async fn the_officers_visit(base: &str, root: &Path, week: &Week) {
    let mut desktop = Browser::desktop().await;
    desktop.goto(base).await;
    let vi_nav = nav_text(&desktop).await;
    assert!(
        has_vietnamese_letters(&vi_nav),
        "the page speaks Vietnamese by default; its navigation says: {vi_nav}"
    );
    // No `ban-tin-*` clip yet: its quota falls short, and the home page says so.
    desktop.wait_for(".shortfall").await;
    desktop.screenshot("web-desktop-home-before-upload").await;

    upload_two_files(&desktop, base, root).await;
    calendar_shows_the_new_clip(&desktop, base, week.days_left).await;
    reports_download(
        &mut desktop,
        base,
        &week.monday.format("%Y-%m-%d").to_string(),
        &week.sunday.format("%Y-%m-%d").to_string(),
    )
    .await;
    emergency(&desktop, base).await;
    every_page(&desktop, base).await;

    // English on request, kept by a cookie on the next page.
    desktop.goto(&format!("{base}?lang=en")).await;
    let en_nav = nav_text(&desktop).await;
    desktop.screenshot("web-desktop-home-en").await;
    assert!(
        en_nav != vi_nav && !has_vietnamese_letters(&en_nav),
        "?lang=en gives English; the navigation says: {en_nav}"
    );
    desktop.goto(&format!("{base}log")).await;
    assert_eq!(nav_text(&desktop).await, en_nav, "English stays on the next page");
    desktop.quit().await;

    let phone = Browser::phone().await;
    every_page(&phone, base).await;
    phone.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_uploads_clips_sees_the_calendar_and_downloads_reports() {
    let started = Instant::now();
    browser::require_chromium();
    let (dir, zone) = station();
    let root = dir.path();
    let week = Week::now_in(zone.parse().unwrap());

    let mut daemon = Daemon::start(root);
    let base = daemon.wait_for_page();
    the_officers_visit(&base, root, &week).await;

    let status = daemon.stop();
    assert!(status.success(), "SIGTERM is a clean stop: {status}");
    let log = std::fs::read_to_string(root.join("run.log")).unwrap_or_default();
    assert!(!log.contains("panicked"), "the daemon's stderr:\n{log}");
    eprintln!(
        "web scenario took {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        browser::screenshot_dir().display()
    );
}
