//! Load and abuse figures for `dossier serve` (docs/notes/serve-reliability.md): a real
//! `dossier serve` process on a copy of the bundled dossier, on loopback.
//!
//! ```sh
//! cargo build --release && cargo run --release -p dossier-tools --bin serve_load -- [--clients 50] [--secs 30] [--bin target/release/dossier]
//! ```
//!
//! 1. Load: `--clients` keep-alive clients fetch the site's pages (found by following the
//!    front page's links) for `--secs` seconds while claims.yaml is rewritten every 200 ms
//!    (each save a rebuild). A failure is a refused connection, an I/O error or a status
//!    other than 200; a partial page is a body shorter than its Content-Length or not
//!    ending in `</html>`. Prints requests, failures, partial pages, p50/p99/max latency.
//! 2. Keep-alive: 2,000 requests one after another on one connection: median and p99.
//! 3. A client pipelines 100 requests for the largest page and never reads; meanwhile
//!    another client's 200 requests: median and max.
//! 4. 2,000 pending reload waits: the server process's VmRSS and threads before and after.
//! 5. Heads: a 1 MB header and a 20 MB URL (statuses, VmRSS after 100 of each), and how long
//!    a client that sends its head one byte a second is kept.
//!
//! Exits with status 1 when a goal of issue 9 is missed: any failure or partial page, a
//! keep-alive median of 2 ms or more, another client slowed past 50 ms by the pipelining
//! one, 2,000 waits adding 50 MB or more, or a head cap that does not hold.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dossier_tools::common::{arg, copy_dir};

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn status(&self, field: &str) -> usize {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status");
        s.lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("a number")
    }
    fn rss_mb(&self) -> f64 {
        self.status("VmRSS:") as f64 / 1024.0
    }
}

fn start(bin: &Path, root: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = Command::new(bin)
        .args(["serve", "--quiet", "--debounce", "20", "--port"])
        .arg(port.to_string())
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn dossier serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    for l in lines.by_ref() {
        if l.expect("line").starts_with("serving ") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
    }
}

fn connect(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    s.set_nodelay(true)?;
    Ok(s)
}

fn get_bytes(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").into_bytes()
}

/// Reads one answer: status, Content-Length, the body as read (shorter when cut).
fn read_answer(r: &mut BufReader<TcpStream>) -> std::io::Result<(u16, usize, Vec<u8>)> {
    let mut status = 0;
    let mut len = 0;
    let mut first = true;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if first {
            status = line
                .split_whitespace()
                .nth(1)
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            first = false;
        } else if line == "\r\n" {
            break;
        } else if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = Vec::with_capacity(len);
    r.by_ref().take(len as u64).read_to_end(&mut body)?;
    Ok((status, len, body))
}

fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let s = connect(addr).expect("connect");
    let mut r = BufReader::new(s);
    r.get_mut().write_all(&get_bytes(path)).expect("send");
    let (st, _, body) = read_answer(&mut r).expect("answer");
    (st, body)
}

/// The site's pages: the front page and every local page it links to, and theirs, once.
fn crawl(addr: SocketAddr) -> Vec<String> {
    let origin = format!("http://{addr}");
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec!["/".to_string()];
    while let Some(p) = todo.pop() {
        if !seen.insert(p.clone()) {
            continue;
        }
        let (st, body) = get(addr, &p);
        if st != 200 {
            continue;
        }
        let body = String::from_utf8_lossy(&body);
        for part in body.split("href=\"").skip(1) {
            let link = part.split(['"', '#']).next().unwrap_or("");
            let link = link.strip_prefix(&origin).unwrap_or(link);
            if link.starts_with('/') && link.ends_with('/') && !seen.contains(link) {
                todo.push(link.to_string());
            }
        }
    }
    seen.into_iter().collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let clients: usize = arg("--clients").and_then(|v| v.parse().ok()).unwrap_or(50);
    let secs: u64 = arg("--secs").and_then(|v| v.parse().ok()).unwrap_or(30);
    let bin = PathBuf::from(arg("--bin").unwrap_or_else(|| "target/release/dossier".into()));
    assert!(
        bin.exists(),
        "{} missing: cargo build --release",
        bin.display()
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    copy_dir(Path::new("content"), &root.join("content")).expect("copy content/");
    let server = start(&bin, root);
    let addr = server.addr;
    let mut missed = Vec::new();

    // 1. Load, while claims.yaml changes every 200 ms.
    let pages = crawl(addr);
    println!(
        "## 1. {clients} clients for {secs} s, claims.yaml saved every 200 ms ({} pages)",
        pages.len()
    );
    let stop = Arc::new(AtomicBool::new(false));
    let saves = Arc::new(AtomicU64::new(0));
    let editor = {
        let stop = stop.clone();
        let saves = saves.clone();
        let claims = root.join("content/claims.yaml");
        let original = std::fs::read_to_string(&claims).expect("claims.yaml");
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let text = original.replacen(
                    "claim: \"",
                    &format!("claim: \"(save {i}) "),
                    1 + (i % 3) as usize,
                );
                std::fs::write(&claims, text).expect("save");
                saves.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(200));
            }
            std::fs::write(&claims, original).expect("restore");
        })
    };
    let pages = Arc::new(pages);
    let end = Instant::now() + Duration::from_secs(secs);
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let pages = pages.clone();
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let (mut failed, mut partial, mut edited) = (0u64, 0u64, 0u64);
                let mut conn: Option<BufReader<TcpStream>> = None;
                let mut i = c;
                while Instant::now() < end {
                    i = (i + 7) % pages.len();
                    let t = Instant::now();
                    if conn.is_none() {
                        match connect(addr) {
                            Ok(s) => conn = Some(BufReader::new(s)),
                            Err(_) => {
                                failed += 1;
                                continue;
                            }
                        }
                    }
                    let Some(r) = conn.as_mut() else { continue };
                    let res = r
                        .get_mut()
                        .write_all(&get_bytes(&pages[i]))
                        .and_then(|()| read_answer(r));
                    match res {
                        Ok((200, len, body)) => {
                            if body.len() != len || !body.ends_with(b"</html>\n") {
                                partial += 1;
                            }
                            if body.windows(6).any(|w| w == b"(save ") {
                                edited += 1;
                            }
                            lat.push(t.elapsed());
                        }
                        Ok(_) => failed += 1,
                        Err(_) => {
                            failed += 1;
                            conn = None;
                        }
                    }
                }
                (lat, failed, partial, edited)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let (mut failed, mut partial, mut edited) = (0, 0, 0);
    for w in workers {
        let (l, f, p, e) = w.join().expect("client");
        lat.extend(l);
        failed += f;
        partial += p;
        edited += e;
    }
    stop.store(true, Ordering::Relaxed);
    editor.join().expect("editor");
    lat.sort();
    println!(
        "requests {}, failed {failed}, partial pages {partial}, saves {}, pages showing a save {edited}, p50 {}, p99 {}, max {}, {:.0} requests/s",
        lat.len() as u64 + failed,
        saves.load(Ordering::Relaxed),
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default()),
        lat.len() as f64 / secs as f64
    );
    if failed > 0 || partial > 0 {
        missed.push("failed requests or partial pages under load");
    }
    if edited == 0 {
        missed.push("no page showed a save: the rebuilds were not served");
    }
    std::thread::sleep(Duration::from_millis(500));

    // 2. Keep-alive.
    let mut r = BufReader::new(connect(addr).expect("connect"));
    let mut lat = Vec::new();
    for i in 0..2000 {
        let t = Instant::now();
        r.get_mut()
            .write_all(&get_bytes(&pages[i % pages.len()]))
            .expect("send");
        let (st, _, _) = read_answer(&mut r).expect("answer");
        assert_eq!(st, 200);
        lat.push(t.elapsed());
    }
    lat.sort();
    let median = percentile(&lat, 0.5);
    println!(
        "## 2. keep-alive, 2,000 requests on one connection: median {}, p99 {}",
        ms(median),
        ms(percentile(&lat, 0.99))
    );
    if median >= Duration::from_millis(2) {
        missed.push("keep-alive median of 2 ms or more");
    }

    // 3. A pipelining client that never reads.
    let largest = pages
        .iter()
        .max_by_key(|p| get(addr, p).1.len())
        .cloned()
        .unwrap_or_else(|| "/".into());
    let mut hog = connect(addr).expect("connect");
    let burst: Vec<u8> = (0..100).flat_map(|_| get_bytes(&largest)).collect();
    hog.write_all(&burst).expect("pipeline");
    std::thread::sleep(Duration::from_millis(500));
    let mut r = BufReader::new(connect(addr).expect("connect"));
    let mut lat = Vec::new();
    for i in 0..200 {
        let t = Instant::now();
        r.get_mut()
            .write_all(&get_bytes(&pages[i % pages.len()]))
            .expect("send");
        let (st, _, _) = read_answer(&mut r).expect("answer while the hog stalls");
        assert_eq!(st, 200);
        lat.push(t.elapsed());
    }
    lat.sort();
    let max = *lat.last().unwrap_or(&Duration::ZERO);
    println!(
        "## 3. while a client pipelines 100 GETs of {largest} and never reads: another client's median {}, max {}",
        ms(percentile(&lat, 0.5)),
        ms(max)
    );
    if max >= Duration::from_millis(50) {
        missed.push("another client slowed by a pipelining one");
    }
    drop(hog);

    // 4. 2,000 pending reload waits.
    let (_, body) = get(addr, "/__dossier/poll?since=999999999");
    let generation: u64 = String::from_utf8_lossy(&body)
        .split("\"generation\":")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|g| g.parse().ok())
        .expect("generation");
    std::thread::sleep(Duration::from_millis(300));
    let (rss0, threads0) = (server.rss_mb(), server.status("Threads:"));
    let waits: Vec<TcpStream> = (0..2000)
        .map(|_| {
            let mut s = connect(addr).expect("connect");
            s.write_all(&get_bytes(&format!("/__dossier/poll?since={generation}")))
                .expect("poll");
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1000));
    let (rss1, threads1) = (server.rss_mb(), server.status("Threads:"));
    println!(
        "## 4. 2,000 pending reload waits: VmRSS {rss0:.1} -> {rss1:.1} MB (+{:.1} MB), threads {threads0} -> {threads1}",
        rss1 - rss0
    );
    if rss1 - rss0 >= 50.0 {
        missed.push("2,000 waits add 50 MB or more");
    }
    drop(waits);
    std::thread::sleep(Duration::from_millis(500));

    // 5. Heads.
    let send_big = |raw: &[u8]| -> u16 {
        let mut s = connect(addr).expect("connect");
        let mut w = s.try_clone().expect("clone");
        let raw = raw.to_vec();
        let t = std::thread::spawn(move || {
            let _ = w.write_all(&raw);
        });
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let _ = t.join();
        String::from_utf8_lossy(&buf)
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    };
    let mut header = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    header.extend(std::iter::repeat_n(b'b', 1 << 20));
    header.extend_from_slice(b"\r\n\r\n");
    let url = get_bytes(&format!("/{}", "a".repeat(20 << 20)));
    let rss0 = server.rss_mb();
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..100 {
        *statuses
            .entry(("1 MB header", send_big(&header)))
            .or_insert(0) += 1;
        *statuses.entry(("20 MB URL", send_big(&url))).or_insert(0) += 1;
    }
    let (st_414, _) = get(addr, &format!("/{}", "a".repeat(10_000)));
    let rss1 = server.rss_mb();
    println!(
        "## 5. heads: {statuses:?}; a 10,000-byte target: {st_414}; VmRSS {rss0:.1} -> {rss1:.1} MB"
    );
    if statuses.keys().any(|(_, st)| *st != 431) || st_414 != 414 || rss1 - rss0 > 10.0 {
        missed.push("a head cap did not hold");
    }
    let t = Instant::now();
    let mut slow = connect(addr).expect("connect");
    for b in b"GET / HTTP/1.1\r\nHost: x\r\n" {
        if slow.write_all(&[*b]).is_err() {
            break;
        }
        let mut probe = [0u8; 1];
        slow.set_read_timeout(Some(Duration::from_secs(1)))
            .expect("timeout");
        match slow.read(&mut probe) {
            Ok(0) => break,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            _ => break,
        }
    }
    println!(
        "   a client sending its head one byte a second was dropped after {:.1} s",
        t.elapsed().as_secs_f64()
    );

    if missed.is_empty() {
        println!("every goal met");
    } else {
        println!("missed: {missed:?}");
        std::process::exit(1);
    }
}
