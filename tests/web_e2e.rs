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

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Json, Router};
use browser::{png_size, Browser, Size};

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
