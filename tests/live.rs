//! `dossier watch` and `dossier serve` on real files in a temporary folder: after each kind of
//! edit an editor or a curator makes, the output is what a fresh `build` gives, and a broken
//! save keeps the last good site.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

/// A small dossier with two articles and two claims.
fn make_dossier(dir: &Path) {
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("content/site.yaml", "title: \"Live test\"\n");
    write(
        "content/articles/alpha.md",
        "---\ntitle: \"Alpha\"\noutlet: \"Alpha Times\"\n---\nThe bridge reopened on Monday after eight months of repairs.\n\nAbout 12,000 vehicles cross it every day.\n",
    );
    write(
        "content/articles/beta.md",
        "---\ntitle: \"Beta\"\noutlet: \"Beta Post\"\n---\nAfter nine months of work the bridge reopened on Monday.\n",
    );
    write("content/claims.yaml", CLAIMS);
}

const CLAIMS: &str = "- id: reopened\n  claim: \"The bridge reopened on Monday.\"\n  topic: bridge\n  quotes:\n    - source: alpha\n      text: \"The bridge reopened on Monday\"\n    - source: beta\n      text: \"the bridge reopened on Monday\"\n- id: traffic\n  claim: \"About 12,000 vehicles cross the bridge daily.\"\n  quotes:\n    - source: alpha\n      text: \"About 12,000 vehicles cross it every day\"\n";

/// Every file under `dir`, with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// What a fresh `dossier build` of `root` gives (None when it fails).
fn fresh_build(root: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    let out = tempfile::tempdir().expect("tmp");
    let dest = out.path().join("site");
    let st = Command::new(BIN)
        .args(["build", "-q", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&dest)
        .stderr(Stdio::null())
        .status()
        .expect("run build");
    st.success().then(|| snapshot(&dest))
}

struct Watcher {
    child: Child,
    lines: Receiver<String>,
    errors: Receiver<String>,
}

impl Watcher {
    fn start(root: &Path, extra: &[&str]) -> Watcher {
        let mut child = Command::new(BIN)
            .args(extra)
            .arg("--root")
            .arg(root)
            .args(["--debounce", "50"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn dossier");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        thread::spawn(move || {
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let (etx, errors) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        thread::spawn(move || {
            for l in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = etx.send(l);
            }
        });
        let w = Watcher {
            child,
            lines,
            errors,
        };
        w.wait_line("watching", Duration::from_secs(20));
        w
    }

    fn wait_line(&self, needle: &str, timeout: Duration) -> String {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if let Ok(l) = self.lines.recv_timeout(Duration::from_millis(100))
                && l.contains(needle)
            {
                return l;
            }
        }
        panic!("no line containing {needle:?} within {timeout:?}");
    }

    fn wait_error(&self, needle: &str) -> String {
        let end = Instant::now() + Duration::from_secs(20);
        let mut seen = String::new();
        while Instant::now() < end {
            if let Ok(l) = self.errors.recv_timeout(Duration::from_millis(100)) {
                seen.push_str(&l);
                seen.push('\n');
                if l.contains(needle) {
                    return seen;
                }
            }
        }
        panic!("no error line containing {needle:?}; stderr so far:\n{seen}");
    }

    /// Stops with SIGINT (Ctrl-C) and checks it exits cleanly.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let st = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill");
        assert!(st.success());
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(
                    status.success(),
                    "dossier exited with {status} after Ctrl-C"
                );
                break;
            }
            assert!(Instant::now() < end, "dossier did not stop after Ctrl-C");
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Waits until the output equals a fresh build of the dossier.
/// Whether `output/.dossier-manifest` lists exactly `files`, each with its BLAKE3 hash.
fn manifest_lists(output: &Path, files: &[(String, Vec<u8>)]) -> bool {
    let Ok(text) = std::fs::read_to_string(output.join(".dossier-manifest")) else {
        return false;
    };
    let listed: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split_once("  "))
        .map(|(h, p)| (p.to_string(), h.to_string()))
        .collect();
    let mut want: Vec<(String, String)> = files
        .iter()
        .map(|(p, b)| (p.clone(), blake3::hash(b).to_hex().to_string()))
        .collect();
    want.sort();
    let mut listed = listed;
    listed.sort();
    listed == want
}

fn settles(root: &Path, output: &Path) {
    let want = fresh_build(root).expect("the dossier builds");
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let got = snapshot(output);
        let got: Vec<_> = got
            .into_iter()
            .filter(|(p, _)| p != ".dossier-manifest")
            .collect();
        let want: Vec<_> = want
            .iter()
            .filter(|(p, _)| p != ".dossier-manifest")
            .cloned()
            .collect();
        // The manifest is written last: the run is over only when it lists every file with
        // its current hash (otherwise a later snapshot could catch it being written).
        if got == want && manifest_lists(output, &got) {
            return;
        }
        if Instant::now() > end {
            let gp: Vec<&String> = got.iter().map(|f| &f.0).collect();
            let wp: Vec<&String> = want.iter().map(|f| &f.0).collect();
            let differ: Vec<&String> = got
                .iter()
                .filter(|(p, b)| want.iter().any(|(q, c)| q == p && c != b))
                .map(|f| &f.0)
                .collect();
            panic!(
                "the output never matched a fresh build.\nfiles: {gp:?}\nwanted: {wp:?}\ndiffering: {differ:?}"
            );
        }
        thread::sleep(Duration::from_millis(100));
    }
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(p).expect("read")
}

#[test]
fn watch_follows_every_kind_of_edit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    make_dossier(root);
    let out = root.join("public");
    let w = Watcher::start(root, &["watch"]);
    settles(root, &out);

    // Edit a quote (and the claim text).
    let claims = root.join("content/claims.yaml");
    std::fs::write(
        &claims,
        read(claims.clone()).replace(
            "The bridge reopened on Monday.\"",
            "The bridge reopened on a Monday.\"",
        ),
    )
    .expect("edit");
    settles(root, &out);
    assert!(
        read(out.join("claims/reopened/index.html")).contains("The bridge reopened on a Monday.")
    );

    // Add an article, then quote it.
    std::fs::write(
        root.join("content/articles/gamma.md"),
        "---\ntitle: \"Gamma\"\noutlet: \"Gamma Daily\"\n---\nCity officials said the bridge reopened on Monday.\n",
    )
    .expect("add");
    settles(root, &out);
    assert!(out.join("sources/gamma/index.html").exists());

    // Rename an article no claim quotes.
    std::fs::rename(
        root.join("content/articles/gamma.md"),
        root.join("content/articles/delta.md"),
    )
    .expect("rename");
    settles(root, &out);
    assert!(!out.join("sources/gamma").exists());
    assert!(out.join("sources/delta/index.html").exists());

    // Delete it.
    std::fs::remove_file(root.join("content/articles/delta.md")).expect("delete");
    settles(root, &out);
    assert!(!out.join("sources/delta").exists());

    // Replace claims.yaml the way editors save: write a temporary file, rename it over.
    let tmp_file = root.join("content/.claims.yaml.swp");
    std::fs::write(
        &tmp_file,
        CLAIMS.replace(
            "About 12,000 vehicles cross the bridge daily.",
            "Some 12,000 vehicles use the bridge daily.",
        ),
    )
    .expect("write tmp");
    std::fs::rename(&tmp_file, &claims).expect("rename over");
    settles(root, &out);
    assert!(
        read(out.join("claims/traffic/index.html"))
            .contains("Some 12,000 vehicles use the bridge daily.")
    );

    // A YAML error keeps the last good site and reports the line; the fix rebuilds.
    let before = snapshot(&out);
    std::fs::write(
        &claims,
        format!("{CLAIMS}- id: broken\n  claim: [unclosed\n"),
    )
    .expect("break");
    let err = w.wait_error("error");
    let err = err + &w.wait_error("keeping the last good site");
    assert!(err.contains("content/claims.yaml:"), "{err}");
    assert_eq!(snapshot(&out), before, "a failed build changed the output");
    std::fs::write(&claims, CLAIMS).expect("fix");
    settles(root, &out);

    // A burst of saves ends in the state of the last one.
    for i in 0..5 {
        std::fs::write(
            &claims,
            CLAIMS.replace(
                "The bridge reopened on Monday.\"",
                &format!("The bridge reopened on Monday ({i}).\""),
            ),
        )
        .expect("burst");
    }
    settles(root, &out);
    assert!(read(out.join("claims/reopened/index.html")).contains("(4)"));

    let before = snapshot(&out);
    w.stop();
    assert_eq!(snapshot(&out), before, "stopping changed the output");
}

#[test]
fn poll_mode_rebuilds_too() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    make_dossier(root);
    let out = root.join("public");
    let w = Watcher::start(root, &["watch", "--poll"]);
    let claims = root.join("content/claims.yaml");
    std::fs::write(
        &claims,
        CLAIMS.replace(
            "About 12,000 vehicles cross the bridge daily.",
            "Roughly 12,000 vehicles cross the bridge daily.",
        ),
    )
    .expect("edit");
    settles(root, &out);
    assert!(read(out.join("claims/traffic/index.html")).contains("Roughly 12,000"));
    w.stop();
}

fn http(port: u16, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("read");
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    (status, head, buf[split + 4..].to_vec())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// The body of a served HTML page without the live-reload script (which only the server adds).
fn without_live_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body).to_string();
    match (
        text.find("<script id=\"dossier-live\">"),
        text.rfind("</script>\n"),
    ) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{}", &text[..a], &text[b + "</script>\n".len()..]).into_bytes()
        }
        _ => body.to_vec(),
    }
}

/// The generation the server reports now.
fn generation(port: u16, base: &str) -> u64 {
    let (_, _, body) = http(port, "GET", &format!("{base}__dossier/poll?since=999999"));
    String::from_utf8_lossy(&body)
        .split("\"generation\":")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|g| g.parse().ok())
        .expect("generation")
}

/// Follows the server's live-reload polls until `done` holds (or 20 s pass): a save may be
/// seen half written, and rebuilt once more.
fn until_served(port: u16, base: &str, mut done: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(20);
    let mut g = generation(port, base);
    while !done() {
        assert!(Instant::now() < end, "the edit was never served");
        let (_, _, body) = http(port, "GET", &format!("{base}__dossier/poll?since={g}"));
        g = String::from_utf8_lossy(&body)
            .split("\"generation\":")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(g);
    }
}

#[test]
fn serve_serves_the_site_safely_under_its_base_path() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    make_dossier(root);
    // An absolute base_url: the preview keeps its path and puts its own address in place of
    // the production host, so every link stays on the preview.
    std::fs::write(
        root.join("content/site.yaml"),
        "title: \"Live test\"\nbase_url: \"https://example.org/dossier/\"\n",
    )
    .expect("site");
    // A secret next to the dossier, a stale public/ that serve must leave alone, and a
    // symlink in it pointing at the secret.
    std::fs::write(root.join("secret.txt"), "top secret").expect("secret");
    let out = root.join("public");
    std::fs::create_dir_all(&out).expect("public");
    std::fs::write(out.join("index.html"), "stale").expect("stale");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("secret.txt"), out.join("link.txt")).expect("symlink");
    let public_before = snapshot(&out);
    let port = free_port();
    let w = Watcher::start(root, &["serve", "--port", &port.to_string()]);

    // Every file of a build with the base URL on the preview is served, byte for byte (HTML
    // pages with the live-reload script added).
    let local = format!("http://127.0.0.1:{port}/dossier/");
    let want = {
        let o = tempfile::tempdir().expect("tmp");
        let dest = o.path().join("site");
        let st = Command::new(BIN)
            .args(["build", "-q", "--base-url", &local, "--root"])
            .arg(root)
            .arg("--output")
            .arg(&dest)
            .status()
            .expect("build");
        assert!(st.success());
        snapshot(&dest)
    };
    let mut pages = 0;
    for (path, bytes) in want.iter().filter(|(p, _)| p != ".dossier-manifest") {
        let (st, _, body) = http(port, "GET", &format!("/dossier/{path}"));
        assert_eq!(st, 200, "{path}");
        if path.ends_with(".html") {
            assert!(
                String::from_utf8_lossy(&body).contains("dossier-live"),
                "{path}"
            );
            assert_eq!(&without_live_script(&body), bytes, "{path}");
            pages += 1;
        } else {
            assert_eq!(&body, bytes, "{path}");
        }
    }
    assert!(pages >= 8, "{pages} pages compared");

    let (st, head, body) = http(port, "GET", "/dossier/claims/reopened/");
    assert_eq!(st, 200);
    assert!(
        head.to_lowercase().contains("content-type: text/html"),
        "{head}"
    );
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("The bridge reopened on Monday."));
    assert!(
        body.contains(&format!("href=\"{local}static/style.css\"")),
        "links point at the preview"
    );
    assert!(
        !body.contains("example.org"),
        "no link to the production host"
    );

    let (st, head, body) = http(port, "HEAD", "/dossier/static/style.css");
    assert_eq!(st, 200);
    assert!(
        head.to_lowercase().contains("content-type: text/css"),
        "{head}"
    );
    assert!(body.is_empty(), "HEAD has no body");

    let (st, head, _) = http(port, "GET", "/dossier/claims/reopened");
    assert_eq!(st, 301);
    assert!(
        head.to_lowercase()
            .contains("location: /dossier/claims/reopened/"),
        "{head}"
    );
    let (st, _, _) = http(port, "GET", "/");
    assert_eq!(st, 301, "the root redirects to the base path");

    let (st, _, body) = http(port, "GET", "/dossier/no/such/page/");
    assert_eq!(st, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("Page not found"),
        "the site's 404 page"
    );

    for bad in [
        "/dossier/../secret.txt",
        "/dossier/%2e%2e/secret.txt",
        "/dossier/%2E%2E%2Fsecret.txt",
        "/dossier/..%5csecret.txt",
        "/dossier/%c0%ae%c0%ae/secret.txt",
        "/dossier/secret.txt%00",
        "/dossier/link.txt",
        "/secret.txt",
        "/dossier/.dossier-manifest",
    ] {
        let (st, _, body) = http(port, "GET", bad);
        assert_eq!(st, 404, "{bad}");
        assert!(
            !String::from_utf8_lossy(&body).contains("top secret"),
            "{bad} leaked the secret"
        );
    }

    // An edit is served; public/ is never touched.
    let claims = root.join("content/claims.yaml");
    std::fs::write(
        &claims,
        CLAIMS.replace(
            "The bridge reopened on Monday.\"",
            "The bridge reopened on a Monday.\"",
        ),
    )
    .expect("edit");
    until_served(port, "/dossier/", || {
        let (_, _, body) = http(port, "GET", "/dossier/claims/reopened/");
        String::from_utf8_lossy(&body).contains("The bridge reopened on a Monday.")
    });
    w.stop();
    assert_eq!(snapshot(&out), public_before, "serve changed public/");
}

/// The base path follows site.yaml while serving.
#[test]
fn serve_follows_a_new_base_path() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    make_dossier(root);
    let port = free_port();
    let w = Watcher::start(root, &["serve", "--port", &port.to_string()]);
    assert_eq!(http(port, "GET", "/claims/reopened/").0, 200);
    std::fs::write(
        root.join("content/site.yaml"),
        "title: \"Live test\"\nbase_url: \"https://example.org/moved/\"\n",
    )
    .expect("site");
    // (Polled under the old path, then the new: the poll is under the base path.)
    until_served(port, "/", || http(port, "GET", "/moved/").0 == 200);
    let (st, _, body) = http(port, "GET", "/moved/claims/reopened/");
    assert_eq!(st, 200);
    assert!(
        String::from_utf8_lossy(&body)
            .contains(&format!("href=\"http://127.0.0.1:{port}/moved/sources/\"")),
        "links use the new path on the preview"
    );
    assert_eq!(http(port, "GET", "/").0, 301);
    assert!(!root.join("public").exists(), "serve wrote public/");
    w.stop();
}

/// Listening on every interface warns that the preview is visible to the network; the
/// default (loopback) does not.
#[test]
fn serve_warns_when_visible_to_the_network() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    make_dossier(root);
    let port = free_port();
    let w = Watcher::start(
        root,
        &["serve", "--bind", "0.0.0.0", "--port", &port.to_string()],
    );
    let err = w.wait_error("visible to other machines on the network");
    assert!(err.contains(&format!("0.0.0.0:{port}")), "{err}");
    // Links are host-relative: the browser's host name for the machine is not known.
    let (_, _, body) = http(port, "GET", "/claims/reopened/");
    assert!(String::from_utf8_lossy(&body).contains("href=\"/static/style.css\""));
    w.stop();

    let port = free_port();
    let w = Watcher::start(root, &["serve", "--port", &port.to_string()]);
    assert_eq!(http(port, "GET", "/").0, 200);
    let mut seen = String::new();
    while let Ok(l) = w.errors.recv_timeout(Duration::from_millis(300)) {
        seen.push_str(&l);
    }
    assert!(!seen.contains("visible"), "{seen}");
    w.stop();
}

#[test]
fn serve_reports_errors_to_the_page_and_keeps_the_last_good_site() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    make_dossier(root);
    let port = free_port();
    let w = Watcher::start(root, &["serve", "--port", &port.to_string()]);
    let (_, _, body) = http(port, "GET", "/__dossier/poll?since=0");
    let body = String::from_utf8_lossy(&body).to_string();
    assert!(body.contains("\"ok\":true"), "{body}");
    let generation: u64 = body
        .split("\"generation\":")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|g| g.parse().ok())
        .expect("generation");

    let claims = root.join("content/claims.yaml");
    std::fs::write(
        &claims,
        CLAIMS.replace(
            "the bridge reopened on Monday\"",
            "the bridge reopened on Tuesday\"",
        ),
    )
    .expect("break");
    // The long poll answers when the failed build is done.
    let (_, _, body) = http(port, "GET", &format!("/__dossier/poll?since={generation}"));
    let body = String::from_utf8_lossy(&body).to_string();
    assert!(body.contains("\"ok\":false"), "{body}");
    assert!(body.contains("quote not found"), "{body}");
    assert!(body.contains("content/claims.yaml:"), "{body}");
    // The page is still served, with the errors for the overlay.
    let (st, _, page) = http(port, "GET", "/claims/reopened/");
    assert_eq!(st, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.contains("The bridge reopened on Monday."),
        "the last good page"
    );
    assert!(
        page.contains("quote not found"),
        "the errors travel with the page"
    );
    drop(w);
}
