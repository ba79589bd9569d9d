//! What clients can make the preview server hold, measured as this process's resident memory
//! (VmRSS) and thread count before and after. A binary of its own, its tests one at a time,
//! so nothing else runs in the process while it measures. (The client sockets are kernel
//! buffers, not this process's memory.)

mod server_common;

use std::io::{BufReader, Read, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dossier::serve::Limits;
use server_common::*;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// 2,000 pages waiting for a rebuild hold no thread each and add under 50 MB; the rebuild
/// answers them all. (The old server held two threads per wait: 2,000 waits made ~3,960
/// threads and took ~1 GB.)
#[test]
fn two_thousand_pending_reload_waits_are_cheap() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let p = server(Limits::default());
    let addr = p.local_addr();
    // Warm up: the runtime's workers and the allocator's first arenas.
    for _ in 0..20 {
        assert_eq!(get(addr, "/claims/a/").status, 200);
    }
    let g = p.generation();
    let poll = get_bytes(&format!("/__dossier/poll?since={g}"));
    let (rss0, threads0) = (rss(), threads());
    let mut waiting = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let mut s = connect(addr);
        s.write_all(&poll).expect("poll");
        waiting.push(s);
    }
    // Every wait is parked: none is answered yet.
    std::thread::sleep(Duration::from_millis(500));
    let mut unanswered = 0;
    for s in &waiting {
        s.set_nonblocking(true).expect("nonblocking");
        let mut b = [0u8; 1];
        if matches!(s.peek(&mut b), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock) {
            unanswered += 1;
        }
        s.set_nonblocking(false).expect("blocking");
    }
    assert_eq!(unanswered, 2000, "every wait is pending");
    let (rss1, threads1) = (rss(), threads());
    let added = rss1.saturating_sub(rss0);
    eprintln!(
        "2,000 pending waits: +{:.1} MB resident ({} -> {} MB), threads {threads0} -> {threads1}",
        added as f64 / 1e6,
        rss0 / 1_000_000,
        rss1 / 1_000_000
    );
    assert!(added < 50_000_000, "2,000 waits added {added} bytes");
    assert!(
        threads1 <= threads0 + 2,
        "threads {threads0} -> {threads1}: no thread per wait"
    );

    let started = Instant::now();
    p.update_ok(site(), "/");
    for s in waiting {
        let a = read_answer(&mut BufReader::new(s)).expect("the rebuild answers every wait");
        assert_eq!(a.status, 200);
        assert!(
            String::from_utf8_lossy(&a.body).contains(&format!("\"generation\":{}", g + 1)),
            "answered with the new generation"
        );
    }
    eprintln!("all 2,000 answered in {:?}", started.elapsed());
}

/// Requests with a 1 MB header, 40 of them, 8 at a time, are refused (431) with memory as
/// it was: the server reads at most 64 KiB of a head. (The old server accepted a 20 MB
/// header, +120 MB.)
#[test]
fn a_one_megabyte_header_is_refused_without_growing_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let p = server(Limits::default());
    let addr = p.local_addr();
    let mut raw = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    raw.extend(std::iter::repeat_n(b'b', 1 << 20));
    raw.extend_from_slice(b"\r\n\r\n");
    let raw = std::sync::Arc::new(raw);
    let round = || {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let raw = raw.clone();
                std::thread::spawn(move || {
                    let mut s = connect(addr);
                    let mut w = s.try_clone().expect("clone");
                    let sender = std::thread::spawn(move || {
                        let _ = w.write_all(&raw);
                    });
                    let mut buf = Vec::new();
                    let _ = s.read_to_end(&mut buf);
                    let _ = sender.join();
                    String::from_utf8_lossy(&buf)
                        .split_whitespace()
                        .nth(1)
                        .and_then(|c| c.parse::<u16>().ok())
                        .unwrap_or(0)
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().expect("client"), 431);
        }
    };
    round();
    let rss0 = rss();
    for _ in 0..5 {
        round();
    }
    let added = rss().saturating_sub(rss0);
    eprintln!(
        "40 requests with a 1 MB header: +{:.1} MB",
        added as f64 / 1e6
    );
    assert!(
        added < 8_000_000,
        "refusing 1 MB headers added {added} bytes"
    );
    assert_eq!(get(addr, "/").status, 200);
}
