//! A minimal HTTP/1.1 client for the server tests: raw bytes out, parsed answers in, so the
//! tests can send what no well-behaved client would.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use dossier::output::Files;
use dossier::serve::{self, Limits, Preview};

/// A small site: HTML pages (with `</body>`), a stylesheet, a 1 MB file, a 404 page.
pub fn site() -> Arc<Files> {
    let page = |t: &str| {
        Arc::from(
            format!("<!DOCTYPE html>\n<html>\n<body>\n<h1>{t}</h1>\n</body>\n</html>\n")
                .into_bytes(),
        )
    };
    let mut f = Files::new();
    f.insert("index.html".into(), page("Home"));
    f.insert("claims/a/index.html".into(), page("Claim A"));
    f.insert("404.html".into(), page("Page not found"));
    f.insert("static/style.css".into(), Arc::from(&b"body{}\n"[..]));
    f.insert("big.bin".into(), Arc::from(vec![b'x'; 1 << 20]));
    Arc::new(f)
}

/// A server on a free loopback port, serving [`site`] under `/`.
pub fn server(limits: Limits) -> Preview {
    let p = serve::start("127.0.0.1", 0, "/", limits).expect("start the server");
    p.update_ok(site(), "/");
    p
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s.set_nodelay(true).expect("nodelay");
    s
}

pub fn get_bytes(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").into_bytes()
}

/// One answer: status, head (lower-cased), body.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

/// Reads one answer (to a request that was not HEAD) from a keep-alive connection.
pub fn read_answer(r: &mut BufReader<TcpStream>) -> std::io::Result<Answer> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("the connection closed; head so far: {head:?}"),
            ));
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok(Answer { status, head, body })
}

/// Sends `raw` on a new connection and reads one answer.
pub fn exchange(addr: SocketAddr, raw: &[u8]) -> std::io::Result<Answer> {
    let mut s = connect(addr);
    s.write_all(raw)?;
    read_answer(&mut BufReader::new(s))
}

/// GET `path` on a new connection.
pub fn get(addr: SocketAddr, path: &str) -> Answer {
    exchange(addr, &get_bytes(path)).expect("an answer")
}

/// This process's resident memory, in bytes (Linux).
pub fn rss() -> usize {
    status_field("VmRSS:") * 1024
}

/// This process's thread count (Linux).
pub fn threads() -> usize {
    status_field("Threads:")
}

fn status_field(name: &str) -> usize {
    let s = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    s.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("a number")
}
