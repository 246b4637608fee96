//! The web page's router, driven in-process: real files, the real log, a
//! manual clock; only the daemon's command channel is answered by the test.

mod support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use chrono::{NaiveDateTime, TimeZone, Utc};
use loa::clock::ManualClock;
use loa::lang::Lang;
use loa::playout::{Command, PlayLevel};
use loa::station::WebConfig;
use loa::web::{router, WebOptions, WebState};
use tower::ServiceExt;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audio");

fn vn(s: &str) -> chrono::DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// A station with a week in its log, its page, and what reached the daemon.
struct Page {
    _dir: tempfile::TempDir,
    root: PathBuf,
    app: Router,
    commands: Arc<Mutex<Vec<(String, PlayLevel)>>>,
    /// Cookies the browser holds.
    cookies: Vec<(String, String)>,
}

impl Page {
    fn new() -> Page {
        Page::with(|_| {})
    }

    fn with(adjust: impl FnOnce(&mut WebConfig)) -> Page {
        let (dir, config) = support::station();
        let root = dir.path().to_path_buf();
        let mut web = WebConfig::default();
        adjust(&mut web);
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Command>(4);
        let commands = Arc::new(Mutex::new(Vec::new()));
        let seen = commands.clone();
        tokio::spawn(async move {
            while let Some(Command::PlayNow { clip, level, reply }) = rx.recv().await {
                seen.lock().unwrap().push((clip.clone(), level));
                let _ = reply.send(Ok(format!("đang phát {clip}")));
            }
        });
        let state = WebState::new(WebOptions {
            config,
            web,
            clock: Arc::new(ManualClock::new(vn("2026-11-09 10:00"))),
            commands: Some(tx),
            status: None,
            default_lang: Lang::Vi,
        });
        let app = router(state).layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        Page {
            _dir: dir,
            root,
            app,
            commands,
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, req: Request<Body>) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
        let res: Response<Body> = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers: Vec<(String, String)> = res
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        for (k, v) in &headers {
            if k == "set-cookie" {
                let pair = v.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                self.cookies.retain(|(n, _)| n != name);
                if !v.contains("Max-Age=0") {
                    self.cookies.push((name.to_string(), value.to_string()));
                }
            }
        }
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        (status, headers, body)
    }

    async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let req = Request::get(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        let (s, _, b) = self.send(req).await;
        (s, String::from_utf8_lossy(&b).into_owned())
    }

    async fn get_bytes(&mut self, path: &str) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
        let req = Request::get(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// The CSRF token the page gave (GETs a page first if needed).
    async fn csrf(&mut self) -> String {
        let (_, html) = self.get("/clips").await;
        let at = html.find("name=\"csrf-token\" content=\"").expect("csrf meta") + 27;
        html[at..at + 64].to_string()
    }

    async fn post_form(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Vec<(String, String)>, String) {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter())
            .finish();
        let req = Request::post(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (s, h, b) = self.send(req).await;
        (s, h, String::from_utf8_lossy(&b).into_owned())
    }

    /// Uploads files as the page's script does; `token` goes in the header.
    async fn upload(
        &mut self,
        files: &[(&str, Vec<u8>)],
        token: Option<&str>,
    ) -> (StatusCode, serde_json::Value) {
        let boundary = "----loa-test-boundary";
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = Request::post("/clips/upload")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT, "application/json")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
        if let Some(t) = token {
            req = req.header("x-csrf-token", t);
        }
        let (s, _, b) = self.send(req.body(Body::from(body)).unwrap()).await;
        let json = serde_json::from_slice(&b)
            .unwrap_or_else(|_| serde_json::json!({ "raw": String::from_utf8_lossy(&b) }));
        (s, json)
    }

    fn audio_files(&self) -> Vec<String> {
        list(&self.root.join("audio"))
    }
}

fn list(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).unwrap()
}

fn location(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn every_page_opens_in_vietnamese_and_in_english() {
    let mut p = Page::new();
    for (path, vi) in [
        ("/", "Sắp phát"),
        ("/calendar?week=2026-11-02", "Lịch tuần 02/11/2026"),
        ("/clips", "Thư viện"),
        ("/directives", "4568/KH-BCĐ"),
        ("/reports", "report-form"),
        ("/emergency", "emergency-form"),
        ("/log", "verify-status"),
    ] {
        let (s, html) = p.get(path).await;
        assert_eq!(s, StatusCode::OK, "{path}: {html}");
        assert!(html.contains(vi), "{path} lacks {vi}: {html}");
        assert!(html.contains("lang=\"vi\""), "{path}");
    }
    let (_, html) = p.get("/?lang=en").await;
    assert!(html.contains("Next airings"), "{html}");
    // The choice sticks (cookie).
    let (_, html) = p.get("/clips").await;
    assert!(html.contains("Library"), "{html}");
    assert!(html.contains("lang=\"en\""));
}

#[tokio::test]
async fn the_calendar_shows_the_log_and_the_plan() {
    let mut p = Page::new();
    let (_, past) = p.get("/calendar?week=2026-11-04").await;
    // Wednesday 4/11 evening was missed; Friday 6/11 has a make-up.
    assert!(past.contains("airing quota missed"), "{past}");
    assert!(past.contains("airing make-up completed"), "{past}");
    // This week (9/11): planned airings of the directive, from now on.
    let (_, week) = p.get("/calendar").await;
    let planned = week.matches("data-directive=\"4568/KH-BCĐ\"").count();
    assert!(
        planned >= 10,
        "two a day for the rest of the week: {planned}\n{week}"
    );
    assert!(week.contains("class=\"airing quota planned\""), "{week}");
}

#[tokio::test]
async fn a_form_without_its_token_changes_nothing() {
    let mut p = Page::new();
    let before = std::fs::read_to_string(p.root.join("schedules/4568.toml")).unwrap();
    let _ = p.csrf().await; // the browser holds the cookie, the attacker not the token
    let (s, _, body) = p.post_form("/clips/remove", &[("clip", "antq-1")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("CSRF"), "{body}");
    let (s, _, _) = p
        .post_form("/clips/remove", &[("clip", "antq-1"), ("csrf", &"0".repeat(64))])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = p.post_form("/emergency/confirm", &[("clip", "antq-1")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = p.upload(&[("x.wav", fixture("tone.wav"))], None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(p.audio_files(), vec!["antq-1.wav", "antq-2.wav"]);
    assert!(p.commands.lock().unwrap().is_empty());
    assert_eq!(
        std::fs::read_to_string(p.root.join("schedules/4568.toml")).unwrap(),
        before
    );

    // A request from another site is refused even with a token.
    let token = p.csrf().await;
    let req = Request::post("/clips/remove")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::COOKIE, p.cookie_header())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("clip=antq-1&csrf={token}")))
        .unwrap();
    let (s, _, _) = p.send(req).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(p.audio_files(), vec!["antq-1.wav", "antq-2.wav"]);
}

#[tokio::test]
async fn another_host_name_cannot_reach_a_loopback_page() {
    // DNS rebinding: evil.example resolving to 127.0.0.1.
    let p = Page::new();
    let req = Request::get("/")
        .header(header::HOST, "evil.example:8080")
        .body(Body::empty())
        .unwrap();
    let res = p.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn uploads_are_decoded_before_they_enter_the_library() {
    let mut p = Page::new();
    let token = p.csrf().await;
    let mut corrupt = fixture("tone.mp3");
    corrupt.truncate(corrupt.len() / 3);
    let (s, json) = p
        .upload(
            &[
                ("ban-tin-moi.mp3", fixture("tone.mp3")),
                (
                    "hong.mp3",
                    b"this is not audio at all, just text pretending".repeat(50),
                ),
                ("cut.mp3", corrupt),
            ],
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{json}");
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{json}");
    assert_eq!(results[0]["ok"], true, "{json}");
    assert_eq!(results[0]["id"], "ban-tin-moi");
    for r in &results[1..] {
        assert_eq!(r["ok"], false, "{json}");
        assert!(!r["message"].as_str().unwrap().is_empty());
    }
    // Nothing of the refused files, and no temporary file, stays.
    assert_eq!(
        p.audio_files(),
        vec!["antq-1.wav", "antq-2.wav", "ban-tin-moi.mp3"]
    );
    let (_, html) = p.get("/clips").await;
    assert!(html.contains("tr data-clip=\"ban-tin-moi\""), "{html}");
}

#[tokio::test]
async fn an_upload_cannot_escape_the_audio_folder_or_replace_a_clip() {
    let mut p = Page::new();
    let token = p.csrf().await;
    let (s, json) = p
        .upload(
            &[
                ("../../config/loa.toml.flac", fixture("tone.flac")),
                // Same name as a clip, other content: kept apart.
                ("antq-1.wav", fixture("tone.mp3")),
            ],
            Some(&token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{json}");
    let config = std::fs::read_to_string(p.root.join("config/loa.toml")).unwrap();
    assert!(config.contains("[station]"), "the config was not touched");
    assert!(!p.root.join("loa.toml.flac").exists());
    assert_eq!(json["results"][0]["ok"], true, "{json}");
    let files = p.audio_files();
    assert!(files.iter().any(|f| f.starts_with("loa.toml")), "{files:?}");
    assert_eq!(
        std::fs::read(p.root.join("audio/antq-1.wav")).unwrap(),
        fixture("tone.wav")
    );
    let second = &json["results"][1];
    assert_eq!(second["ok"], true, "{json}");
    assert_ne!(second["id"], "antq-1", "{json}");
    // The same bytes under another name are the clip already there.
    let before = p.audio_files();
    let (_, json) = p.upload(&[("khac.wav", fixture("tone.wav"))], Some(&token)).await;
    assert_eq!(json["results"][0]["id"], "antq-1", "{json}");
    assert!(
        json["results"][0]["message"].as_str().unwrap().contains("đã có"),
        "{json}"
    );
    assert_eq!(p.audio_files(), before);
}

#[tokio::test]
async fn size_limits_refuse_big_files_and_big_requests() {
    let mut p = Page::with(|w| {
        w.max_file_bytes = 20_000;
        w.max_request_bytes = 200_000;
    });
    let token = p.csrf().await;
    let big = fixture("tone.wav");
    assert!(big.len() > 20_000);
    let (s, json) = p.upload(&[("big.wav", big.clone())], Some(&token)).await;
    assert_eq!(s, StatusCode::OK, "{json}");
    assert_eq!(json["results"][0]["ok"], false);
    assert!(
        json["results"][0]["message"].as_str().unwrap().contains("20 KB"),
        "{json}"
    );
    let many: Vec<(&str, Vec<u8>)> = (0..12).map(|_| ("x.wav", big.clone())).collect();
    let (s, json) = p.upload(&many, Some(&token)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{json}");
    assert_eq!(p.audio_files(), vec!["antq-1.wav", "antq-2.wav"]);
}

#[tokio::test]
async fn assigning_and_removing_a_clip_edit_the_same_files() {
    let mut p = Page::new();
    let token = p.csrf().await;
    std::fs::copy(
        Path::new(FIXTURES).join("tone.mp3"),
        p.root.join("audio/thong-bao.mp3"),
    )
    .unwrap();
    let (s, h, _) = p
        .post_form(
            "/clips/assign",
            &[
                ("clip", "thong-bao"),
                ("directive", "4568/KH-BCĐ"),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), Some("/clips"));
    let text = std::fs::read_to_string(p.root.join("schedules/4568.toml")).unwrap();
    assert!(text.contains("\"thong-bao\""), "{text}");
    let (_, html) = p.get("/clips").await;
    assert!(html.contains("đã gán"), "the message shows once: {html}");
    let (_, html) = p.get("/clips").await;
    assert!(!html.contains("đã gán"), "and only once");

    let (s, _, _) = p
        .post_form("/clips/remove", &[("clip", "thong-bao"), ("csrf", &token)])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(!p.root.join("audio/thong-bao.mp3").exists());
    let trash = list(&p.root.join("data/trash"));
    assert_eq!(trash.len(), 1, "{trash:?}");
    assert!(trash[0].ends_with("thong-bao.mp3"), "{trash:?}");
    let (_, html) = p.get("/clips").await;
    assert!(html.contains("thùng rác"), "{html}");
}

#[tokio::test]
async fn the_emergency_needs_a_confirmation_and_reaches_the_daemon() {
    let mut p = Page::new();
    let token = p.csrf().await;
    let (s, _, html) = p
        .post_form("/emergency", &[("clip", "antq-2"), ("csrf", &token)])
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("emergency-confirm"), "{html}");
    assert!(p.commands.lock().unwrap().is_empty(), "asking is not playing");
    let (s, _, html) = p
        .post_form("/emergency/confirm", &[("clip", "antq-2"), ("csrf", &token)])
        .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"result\""), "{html}");
    assert_eq!(
        p.commands.lock().unwrap().as_slice(),
        &[("antq-2".to_string(), PlayLevel::Emergency)]
    );
    let (s, _, html) = p
        .post_form("/emergency", &[("clip", "nope"), ("csrf", &token)])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{html}");

    // A manual play from the library goes to the daemon as manual.
    let (s, h, _) = p
        .post_form("/clips/play", &[("clip", "antq-1"), ("csrf", &token)])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), Some("/clips"));
    assert_eq!(
        p.commands.lock().unwrap().last(),
        Some(&("antq-1".to_string(), PlayLevel::Manual))
    );
    let (_, html) = p.get("/clips").await;
    assert!(
        html.contains("đang phát antq-1"),
        "the daemon's answer is shown: {html}"
    );
}

#[tokio::test]
async fn reports_download_in_each_format() {
    let mut p = Page::new();
    let q = "directive=4568%2FKH-BC%C4%90&from=2026-11-02&to=2026-11-08";
    let (s, h, xlsx) = p.get_bytes(&format!("/reports/download?{q}&format=xlsx")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(xlsx.starts_with(b"PK"));
    let disposition = &h.iter().find(|(k, _)| k == "content-disposition").unwrap().1;
    assert!(
        disposition.contains("bao-cao-4568-KH-BC--20261102-20261108.xlsx"),
        "{disposition}"
    );
    let (_, _, docx) = p.get_bytes(&format!("/reports/download?{q}&format=docx")).await;
    assert!(docx.starts_with(b"PK"));
    let (_, _, csv) = p.get_bytes(&format!("/reports/download?{q}&format=csv")).await;
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.matches("antq-").count(), 15, "{csv}");

    let (s, html) = p.get("/reports/download?directive=99%2FXX&format=csv").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("không có văn bản số"), "{html}");
    let (s, html) = p.get("/reports/download?from=2026-11-08&to=2026-11-01").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("trước ngày đầu"), "{html}");
}

const DOCUMENT: &str = "UBND HUYỆN TRIỆU SƠN\nSố: 77/KH-UBND\nTriệu Sơn, ngày 02 tháng 11 năm 2026\n\
KẾ HOẠCH\nTuyên truyền phòng chống bão lũ năm 2026\n\
Đài truyền thanh các xã phát trên hệ thống loa ít nhất 02 lượt/ngày từ ngày 05/11/2026 đến ngày 30/11/2026.\n";

#[tokio::test]
async fn a_directive_is_imported_reviewed_and_saved() {
    let mut p = Page::new();
    let token = p.csrf().await;
    let boundary = "----loa-doc";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"77-KH.txt\"\r\nContent-Type: text/plain\r\n\r\n{DOCUMENT}\r\n--{boundary}--\r\n"
    );
    let req = Request::post("/directives/import")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::COOKIE, p.cookie_header())
        .header("x-csrf-token", &token)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (s, _, html) = p.send(req).await;
    let html = String::from_utf8(html).unwrap();
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("77/KH-UBND"), "{html}");
    assert!(
        html.contains("<mark>ít nhất 02 lượt/ngày</mark>"),
        "the quote is shown: {html}"
    );
    // Nothing is written before the officer saves.
    assert_eq!(list(&p.root.join("schedules")), vec!["4568.toml"]);
    // The draft from the textarea.
    let at = html.find("<textarea name=\"toml\"").unwrap();
    let start = html[at..].find('>').unwrap() + at + 1;
    let end = html[start..].find("</textarea>").unwrap() + start;
    let draft = html_unescape(&html[start..end]);

    // A broken edit is refused with its line, and writes nothing.
    let broken = draft.replace("at_least = 2", "at_least = 0");
    let (s, _, page) = p
        .post_form(
            "/directives/save",
            &[
                ("csrf", &token),
                ("file", "77-KH.toml"),
                ("toml", &broken),
                ("clips", "antq-1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("77-KH.toml:"),
        "the error names file and line: {page}"
    );
    assert_eq!(list(&p.root.join("schedules")), vec!["4568.toml"]);

    let (s, h, page) = p
        .post_form(
            "/directives/save",
            &[
                ("csrf", &token),
                ("file", "../77-KH"),
                ("toml", &draft),
                ("clips", "antq-1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(location(&h), Some("/directives"));
    assert_eq!(list(&p.root.join("schedules")), vec!["4568.toml", "77-KH.toml"]);
    let saved = std::fs::read_to_string(p.root.join("schedules/77-KH.toml")).unwrap();
    assert!(saved.contains("clips = [\"antq-1\"]"), "{saved}");
    let (_, html) = p.get("/directives").await;
    assert!(html.contains("77/KH-UBND"), "{html}");

    // Saving again does not overwrite without asking.
    let (s, _, page) = p
        .post_form(
            "/directives/save",
            &[
                ("csrf", &token),
                ("file", "77-KH.toml"),
                ("toml", &draft),
                ("clips", "antq-1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Ghi đè"), "{page}");
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn the_log_page_says_the_chain_is_intact() {
    let mut p = Page::new();
    let (s, html) = p.get("/log").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"verify-status\" class=\"intact\""), "{html}");
    let (s, h, csv) = p.get_bytes("/log/export.csv").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h
        .iter()
        .any(|(k, v)| k == "content-disposition" && v.contains("nhat-ky")));
    assert!(csv.starts_with("\u{feff}".as_bytes()));
}

#[tokio::test]
async fn off_loopback_every_page_needs_a_login() {
    let mut p = Page::with(|w| w.bind = "0.0.0.0:8080".parse().unwrap());
    let mut users = loa::web::auth::Users::load(&p.root.join("data")).unwrap();
    users.set_password("canbo", "mat-khau-dai").unwrap();
    users.save(&p.root.join("data")).unwrap();

    let host = |r: axum::http::request::Builder| r.header(header::HOST, "192.168.1.20:8080");
    for path in [
        "/",
        "/clips",
        "/reports/download?format=csv",
        "/audio/antq-1",
        "/log/export.csv",
    ] {
        let req = host(Request::get(path)).body(Body::empty()).unwrap();
        let (s, h, _) = p.send(req).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{path}");
        assert!(location(&h).unwrap().starts_with("/login?next="), "{path}");
    }
    let req = host(Request::post("/clips/remove"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("clip=antq-1"))
        .unwrap();
    let (s, _, _) = p.send(req).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // The login form carries its own token.
    let req = host(Request::get("/login")).body(Body::empty()).unwrap();
    let (_, _, html) = p.send(req).await;
    let html = String::from_utf8(html).unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let token = html[at..at + 64].to_string();
    let login = |p: &Page, password: &str| {
        host(Request::post("/login"))
            .header(header::COOKIE, p.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "csrf={token}&user=canbo&password={password}&next=%2Fclips"
            )))
            .unwrap()
    };
    let (s, _, _) = p.send(login(&p, "sai-mat-khau")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, h, _) = p.send(login(&p, "mat-khau-dai")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), Some("/clips"));
    let session = h
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("loa_session="))
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    let req = host(Request::get("/clips"))
        .header(header::COOKIE, p.cookie_header())
        .body(Body::empty())
        .unwrap();
    let (s, _, html) = p.send(req).await;
    assert_eq!(s, StatusCode::OK);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("canbo"), "the user is shown: {html}");
    // The session's own token guards its forms; the old one no longer works.
    let at = html.find("name=\"csrf-token\" content=\"").unwrap() + 27;
    let session_token = html[at..at + 64].to_string();
    assert_ne!(session_token, token);
    let remove = |p: &Page, t: &str| {
        host(Request::post("/clips/remove"))
            .header(header::COOKIE, p.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("clip=antq-1&csrf={t}")))
            .unwrap()
    };
    let (s, _, _) = p.send(remove(&p, &token)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = p.send(remove(&p, &session_token)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(!p.root.join("audio/antq-1.wav").exists());
}

#[tokio::test]
async fn logins_are_rate_limited_per_address() {
    let mut p = Page::with(|w| w.bind = "0.0.0.0:8080".parse().unwrap());
    let mut users = loa::web::auth::Users::load(&p.root.join("data")).unwrap();
    users.set_password("canbo", "mat-khau-dai").unwrap();
    users.save(&p.root.join("data")).unwrap();
    let req = Request::get("/login")
        .header(header::HOST, "192.168.1.20:8080")
        .body(Body::empty())
        .unwrap();
    let (_, _, html) = p.send(req).await;
    let html = String::from_utf8(html).unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let token = html[at..at + 64].to_string();
    let mut statuses = Vec::new();
    for password in ["a1", "a2", "a3", "a4", "a5", "a6", "mat-khau-dai"] {
        let req = Request::post("/login")
            .header(header::HOST, "192.168.1.20:8080")
            .header(header::COOKIE, p.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={token}&user=canbo&password={password}")))
            .unwrap();
        statuses.push(p.send(req).await.0);
    }
    assert_eq!(&statuses[..5], &[StatusCode::UNAUTHORIZED; 5]);
    // Blocked, even with the right password.
    assert_eq!(&statuses[5..], &[StatusCode::TOO_MANY_REQUESTS; 2]);
}
