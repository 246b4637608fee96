//! A real Chromium, driven through chromedriver (WebDriver), for the
//! end-to-end tests of the officer's web page.
//!
//! Each [`Browser`] starts its own chromedriver on a free port and one
//! headless Chromium session, in desktop (1280×900) or phone size (390×844
//! through Chromium's mobile emulation, so the page sees a phone's viewport,
//! pixel ratio, touch and user agent). Downloads go to a temporary folder
//! without asking. Every wait is bounded and panics naming what it waited
//! for, the page it was on and what that page said, so a test that fails
//! says why instead of hanging. Dropping the browser, also while a test
//! panics, ends the session and stops chromedriver.
//!
//! Screenshots land in `<target dir>/screenshots/<name>.png` (or in the
//! folder named by `LOA_SCREENSHOTS`), for a person to look at.

#![allow(dead_code)] // each test binary uses part of it

use std::collections::HashSet;
use std::future::Future;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::prelude::*;
use serde_json::{json, Value};
use thirtyfour::prelude::*;

/// Where Debian's `chromium` and `chromium-driver` put them; `LOA_CHROMIUM`
/// and `LOA_CHROMEDRIVER` name others.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn chromium() -> PathBuf {
    std::env::var_os("LOA_CHROMIUM").map_or_else(|| CHROMIUM.into(), PathBuf::from)
}

fn chromedriver() -> PathBuf {
    std::env::var_os("LOA_CHROMEDRIVER").map_or_else(|| CHROMEDRIVER.into(), PathBuf::from)
}

/// How long any wait for the page lasts before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// The phone's device pixel ratio (a 390×844 phone has 3).
pub const PHONE_PIXEL_RATIO: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// 1280×900, an office PC.
    Desktop,
    /// 390×844 CSS pixels at ratio 3, the officer's phone.
    Phone,
}

impl Size {
    pub fn name(self) -> &'static str {
        match self {
            Size::Desktop => "desktop",
            Size::Phone => "phone",
        }
    }

    /// The viewport in CSS pixels.
    pub fn viewport(self) -> (u32, u32) {
        match self {
            Size::Desktop => (1280, 900),
            Size::Phone => (390, 844),
        }
    }

    /// Device pixels per CSS pixel, as a screenshot shows them.
    pub fn pixel_ratio(self) -> u32 {
        match self {
            Size::Desktop => 1,
            Size::Phone => PHONE_PIXEL_RATIO,
        }
    }
}

/// The folder screenshots are written to: `LOA_SCREENSHOTS`, else
/// `screenshots/` in cargo's target directory (`target/screenshots`).
pub fn screenshot_dir() -> PathBuf {
    match std::env::var_os("LOA_SCREENSHOTS") {
        Some(dir) => PathBuf::from(dir),
        // CARGO_TARGET_TMPDIR is `<target dir>/tmp`, so this follows
        // CARGO_TARGET_DIR as well.
        None => Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("the target tmp dir has a parent")
            .join("screenshots"),
    }
}

/// Panics, with what to do, when Chromium or its driver is not installed.
/// Not a skip: CI installs both (`.ci/run`), and a test that silently
/// passes without a browser would prove nothing.
pub fn require_chromium() {
    let missing: Vec<String> = [chromium(), chromedriver()]
        .into_iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "the browser tests need Chromium and chromedriver, and {} is missing: \
         install them with `sudo apt-get install chromium chromium-driver` (.ci/run does this)",
        missing.join(" and ")
    );
}

/// A chromedriver process; stopped when dropped.
struct Chromedriver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Chromedriver {
    fn start(log_dir: &Path) -> Chromedriver {
        // The port is free when asked for, but another process could take it
        // before chromedriver binds it: then chromedriver exits, try another.
        let mut last_log = String::new();
        for attempt in 0..3 {
            let port = free_port();
            let log = log_dir.join(format!("chromedriver-{attempt}.log"));
            let out = std::fs::File::create(&log).expect("create the chromedriver log");
            let child = Command::new(chromedriver())
                .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
                .stdin(Stdio::null())
                .stdout(Stdio::from(out.try_clone().expect("clone the log file")))
                .stderr(Stdio::from(out))
                .spawn()
                .unwrap_or_else(|e| panic!("could not start {}: {e}", chromedriver().display()));
            let mut driver = Chromedriver { child, port, log };
            if driver.wait_ready() {
                return driver;
            }
            last_log = std::fs::read_to_string(&driver.log).unwrap_or_default();
        }
        panic!("chromedriver did not become ready in 3 attempts; its last log:\n{last_log}");
    }

    /// Waits (10 s at most) until `/status` says ready; false if the
    /// process exited or never answered.
    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Some(reply) = http_get(addr, "/status") {
                if reply.contains("\"ready\":true") || reply.contains("\"ready\": true") {
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // SIGTERM first: chromedriver then closes the Chromium it started
        // (when the session was not ended already); SIGKILL if it lingers.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a free port")
        .port()
}

/// A bare HTTP GET, for asking chromedriver whether it is up before any
/// WebDriver session exists. The reply (status line, headers, body), or
/// None when nothing answered within 2 s. Reads up to the end of the body
/// that `Content-Length` announces: chromedriver keeps the connection open.
pub fn http_get(addr: SocketAddr, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reply = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).ok()?;
        reply.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&reply);
        let complete = text.split_once("\r\n\r\n").is_some_and(|(head, body)| {
            head.lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .is_some_and(|len| body.len() >= len)
        });
        if n == 0 || complete {
            return Some(text.into_owned());
        }
    }
}

/// One headless Chromium session of a given [`Size`].
pub struct Browser {
    // Field order is drop order: the session ends (Chromium closes) before
    // chromedriver is stopped and the folders are removed.
    driver: Option<WebDriver>,
    chromedriver: Chromedriver,
    size: Size,
    downloads: PathBuf,
    /// Downloads already handed out by [`Browser::wait_for_download`].
    seen_downloads: HashSet<PathBuf>,
    /// Downloads and chromedriver's log.
    work: tempfile::TempDir,
}

impl Browser {
    pub async fn desktop() -> Browser {
        Browser::start(Size::Desktop).await
    }

    pub async fn phone() -> Browser {
        Browser::start(Size::Phone).await
    }

    pub async fn start(size: Size) -> Browser {
        require_chromium();
        let work = tempfile::tempdir().expect("a temporary folder for the browser");
        let downloads = work.path().join("downloads");
        std::fs::create_dir_all(&downloads).expect("create the downloads folder");
        let chromedriver = Chromedriver::start(work.path());

        let (width, height) = size.viewport();
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&chromium().to_string_lossy())
            .expect("set the Chromium binary");
        for arg in [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            // Containers often have a tiny /dev/shm; Chromium then crashes.
            "--disable-dev-shm-usage",
            &format!("--window-size={width},{height}"),
        ] {
            caps.add_arg(arg).expect("add a Chromium flag");
        }
        caps.add_experimental_option(
            "prefs",
            json!({
                "download.default_directory": downloads.to_string_lossy(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
            }),
        )
        .expect("set the download preferences");
        if size == Size::Phone {
            caps.add_experimental_option(
                "mobileEmulation",
                json!({
                    "deviceMetrics": {
                        "width": width,
                        "height": height,
                        "pixelRatio": PHONE_PIXEL_RATIO,
                        "mobile": true,
                        "touch": true,
                    },
                    "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
                                  (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
                }),
            )
            .expect("set the phone emulation");
        }
        let driver = WebDriver::builder(chromedriver.url(), caps)
            .request_timeout(Duration::from_secs(60))
            .connect()
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "could not open a Chromium session ({}): {e}\nchromedriver log:\n{}",
                    size.name(),
                    std::fs::read_to_string(&chromedriver.log).unwrap_or_default()
                )
            });
        driver
            .set_page_load_timeout(WAIT)
            .await
            .expect("set the page load timeout");
        driver
            .set_script_timeout(WAIT)
            .await
            .expect("set the script timeout");
        if size == Size::Desktop {
            fit_viewport(&driver, width, height).await;
        }
        Browser {
            driver: Some(driver),
            chromedriver,
            size,
            downloads,
            seen_downloads: HashSet::new(),
            work,
        }
    }

    /// The viewport the page sees, in CSS pixels.
    pub async fn viewport(&self) -> (u32, u32) {
        let v = self
            .js("return [window.innerWidth, window.innerHeight];", vec![])
            .await;
        let px = |v: &Value| v.as_u64().expect("a size in pixels") as u32;
        (px(&v[0]), px(&v[1]))
    }

    pub fn driver(&self) -> &WebDriver {
        self.driver.as_ref().expect("the session is open")
    }

    pub fn size(&self) -> Size {
        self.size
    }

    /// Ends the session and stops chromedriver (dropping does the same,
    /// but blocks the async runtime while it does).
    pub async fn quit(mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.quit().await;
        }
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        if let Err(e) = self.driver().goto(url).await {
            panic!("could not open {url}: {e}");
        }
    }

    pub async fn reload(&self) {
        if let Err(e) = self.driver().refresh().await {
            panic!("could not reload {}: {e}", self.url().await);
        }
    }

    /// The current address, or a note when it cannot be read.
    pub async fn url(&self) -> String {
        match self.driver().current_url().await {
            Ok(u) => u.to_string(),
            Err(e) => format!("(address unknown: {e})"),
        }
    }

    /// The start of the page's visible text, for failure messages.
    pub async fn page_text(&self) -> String {
        let text = match self.driver().find(By::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => self.driver().source().await.unwrap_or_default(),
        };
        text.chars().take(1500).collect()
    }

    /// Panics with `what` was awaited, where, and what the page showed.
    pub async fn fail(&self, what: &str) -> ! {
        panic!(
            "{what}\n  page: {}\n  the page said:\n{}",
            self.url().await,
            self.page_text().await
        )
    }

    /// Polls `check` until it is true; fails after `timeout` naming `what`.
    pub async fn wait_until_within<F, Fut>(&self, what: &str, timeout: Duration, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            if check().await {
                return;
            }
            if Instant::now() >= deadline {
                self.fail(&format!("timed out after {timeout:?} waiting for {what}"))
                    .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// [`Browser::wait_until_within`] with the usual [`WAIT`].
    pub async fn wait_until<F, Fut>(&self, what: &str, check: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        self.wait_until_within(what, WAIT, check).await
    }

    /// The elements matching `css` now (possibly none).
    pub async fn find_all(&self, css: &str) -> Vec<WebElement> {
        self.driver().find_all(By::Css(css)).await.unwrap_or_default()
    }

    /// The first element matching `css` now, if any.
    pub async fn find(&self, css: &str) -> Option<WebElement> {
        self.find_all(css).await.into_iter().next()
    }

    /// Waits until an element matches `css` and returns the first.
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> WebElement {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {timeout:?} waiting for an element `{css}`"
                ))
                .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits (up to [`WAIT`]) until an element matches `css`.
    pub async fn wait_for(&self, css: &str) -> WebElement {
        self.wait_for_within(css, WAIT).await
    }

    /// Reloads the page until an element matches `css` (for what the
    /// server learns in the background, like a new clip in the calendar).
    pub async fn reload_until(&self, css: &str, timeout: Duration) -> WebElement {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "reloaded the page for {timeout:?} and no element `{css}` appeared"
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            self.reload().await;
        }
    }

    /// Runs `script` in the page (with `arguments` = `args`) and returns its
    /// result as JSON.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        match self.driver().execute(script, args).await {
            Ok(ret) => ret.json().clone(),
            Err(e) => panic!("script failed on {}: {e}\n{script}", self.url().await),
        }
    }

    /// Sets a form field's value the way a date picker does (typing into a
    /// date input depends on the browser's locale), firing the events a
    /// page listens to.
    pub async fn set_value(&self, element: &WebElement, value: &str) {
        let element = element.to_json().expect("an element reference");
        self.js(
            "arguments[0].value = arguments[1];\
             arguments[0].dispatchEvent(new Event('input', {bubbles: true}));\
             arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![element, json!(value)],
        )
        .await;
    }

    /// Chooses `files` in the file input `css`, as a person picking them in
    /// the file dialog does (several at once when the input is `multiple`).
    pub async fn choose_files(&self, css: &str, files: &[&Path]) {
        let input = self.wait_for(css).await;
        let paths: Vec<String> = files
            .iter()
            .map(|f| {
                std::fs::canonicalize(f)
                    .unwrap_or_else(|e| panic!("{} cannot be uploaded: {e}", f.display()))
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        if let Err(e) = input.send_keys(paths.join("\n")).await {
            self.fail(&format!("could not choose {paths:?} in `{css}`: {e}"))
                .await;
        }
    }

    /// Clicks the first element matching `css` (waiting for it).
    pub async fn click(&self, css: &str) {
        let element = self.wait_for(css).await;
        if let Err(e) = element.click().await {
            self.fail(&format!("could not click `{css}`: {e}")).await;
        }
    }

    /// Saves the whole page (not only what fits the window) as
    /// `<screenshot_dir>/<name>.png` and returns the path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.png"));
        // DevTools can capture beyond the viewport; a plain WebDriver
        // screenshot is the fallback.
        let full = self
            .driver()
            .cdp()
            .send_raw(
                "Page.captureScreenshot",
                json!({"format": "png", "captureBeyondViewport": true}),
            )
            .await
            .ok()
            .and_then(|v| v["data"].as_str().map(str::to_string))
            .and_then(|b64| BASE64_STANDARD.decode(b64).ok());
        let png = match full {
            Some(png) => png,
            None => self
                .driver()
                .screenshot_as_png()
                .await
                .unwrap_or_else(|e| panic!("screenshot {name} failed: {e}")),
        };
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }

    /// The folder downloads land in.
    pub fn downloads(&self) -> &Path {
        &self.downloads
    }

    /// Waits until a new download whose name ends with `suffix` is complete
    /// (no `.crdownload` left) and returns its path.
    pub async fn wait_for_download(&mut self, suffix: &str) -> PathBuf {
        let deadline = Instant::now() + WAIT;
        loop {
            let names: Vec<PathBuf> = std::fs::read_dir(&self.downloads)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            let in_progress = names
                .iter()
                .any(|p| p.extension().is_some_and(|e| e == "crdownload"));
            if !in_progress {
                let done = names.iter().find(|p| {
                    !self.seen_downloads.contains(*p)
                        && p.file_name()
                            .is_some_and(|n| n.to_string_lossy().ends_with(suffix))
                });
                if let Some(done) = done.cloned() {
                    self.seen_downloads.insert(done.clone());
                    return done;
                }
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {WAIT:?} waiting for a download ending in `{suffix}`; \
                     the downloads folder holds {names:?}"
                ))
                .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Grows the window so the page's viewport is `width`×`height`: headless
/// Chromium still takes room for a window frame out of `--window-size`.
async fn fit_viewport(driver: &WebDriver, width: u32, height: u32) {
    let sizes = driver
        .execute(
            "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];",
            vec![],
        )
        .await
        .expect("measure the window frame");
    let frame = |i: usize| sizes.json()[i].as_u64().unwrap_or(0) as u32;
    if frame(0) > 0 || frame(1) > 0 {
        driver
            .set_window_rect(0, 0, width + frame(0), height + frame(1))
            .await
            .expect("resize the window");
    }
}

/// The width and height of a PNG, from its header.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}
