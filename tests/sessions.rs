//! Sessions against fresh builds, edit by edit: the cases a review of the incremental
//! rebuild found (comment-only edits above the first claim, claims without an id moving,
//! article front matter growing, symlinked folders), a tour of structural edits, and a
//! seeded random run of edits of every kind. After each edit, the session's site (or its
//! errors, positions included) must be exactly what the forced full path gives: a session
//! kept across the same edits with `full_rebuilds(true)` (what `DOSSIER_FULL_REBUILD=1`
//! does), itself compared with a fresh session's first run in the random run.

mod common;
use common::copy_dir;

use dossier::build::{Failure, Options, Session};
use std::path::Path;

type R = Result<Vec<(String, Vec<u8>)>, Vec<String>>;
/// A session that takes the full path on every run.
fn full_path(root: &Path) -> Session {
    let mut s = Session::new(Options {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
    });
    s.full_rebuilds(true);
    s
}
fn fresh(root: &Path) -> R {
    incremental(&mut Session::new(Options {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
    }))
}
fn incremental(s: &mut Session) -> R {
    match s.rebuild() {
        Ok(r) => {
            let mut v: Vec<(String, Vec<u8>)> = s
                .files()
                .expect("files")
                .iter()
                .map(|(k, v)| (k.clone(), v.to_vec()))
                .collect();
            for w in &r.warnings {
                v.push((format!("WARNING {w}"), vec![]));
            }
            Ok(v)
        }
        Err(Failure::Content { diagnostics, .. }) => {
            Err(diagnostics.iter().map(|d| d.to_string()).collect())
        }
        Err(Failure::Usage(u)) => Err(vec![u]),
    }
}
fn same(got: R, want: R, what: &str) -> bool {
    match (&got, &want) {
        (Ok(g), Ok(w)) => {
            let gp: Vec<&String> = g.iter().map(|f| &f.0).collect();
            let wp: Vec<&String> = w.iter().map(|f| &f.0).collect();
            if gp != wp {
                eprintln!("{what}: file lists differ:\n got {gp:?}\n want {wp:?}");
                return false;
            }
            let differ: Vec<&String> = g
                .iter()
                .zip(w)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, _)| &a.0)
                .collect();
            if !differ.is_empty() {
                eprintln!("{what}: pages differ: {differ:?}");
                return false;
            }
            true
        }
        (Err(g), Err(w)) => {
            if g != w {
                eprintln!("{what}: errors differ:\n got {g:#?}\n want {w:#?}");
                return false;
            }
            true
        }
        _ => {
            eprintln!(
                "{what}: one failed: {:?} vs {:?}",
                got.as_ref().err(),
                want.as_ref().err()
            );
            false
        }
    }
}
fn setup() -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().to_path_buf();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &root.join("content"),
    );
    let s = Session::new(Options {
        root: root.clone(),
        output: None,
        base_url: None,
    });
    (tmp, s)
}
fn claims(root: &Path) -> std::path::PathBuf {
    root.join("content/claims.yaml")
}
fn rd(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}
fn wr(p: &Path, s: &str) {
    std::fs::write(p, s).unwrap()
}

/// Runs a sequence of edits of claims.yaml text, comparing after each.
fn run_seq(name: &str, edits: &[&dyn Fn(String) -> String]) -> bool {
    let (tmp, mut s) = setup();
    let root = tmp.path();
    let mut full = full_path(root);
    let mut ok = same(
        incremental(&mut s),
        incremental(&mut full),
        &format!("{name}: first"),
    );
    for (i, e) in edits.iter().enumerate() {
        let t = e(rd(&claims(root)));
        wr(&claims(root), &t);
        ok &= same(
            incremental(&mut s),
            incremental(&mut full),
            &format!("{name}: step {i}"),
        );
    }
    ok
}

#[test]
fn header_comment_edit() {
    // A quote that is not found, so errors carry claim positions.
    let ok = run_seq(
        "header",
        &[
            &|t| {
                t.replacen(
                    "text: \"Ukraine has alleged",
                    "text: \"Ukraine has claimed",
                    1,
                )
            },
            &|t| t.replacen("# Curated claims", "# curated claims", 1),
        ],
    );
    assert!(ok);
}

#[test]
fn idless_claim_moves() {
    let ok = run_seq(
        "idless",
        &[
            &|t| t.replacen("- id: capture-date\n", "- claim2: x\n", 1),
            &|t| t.replacen("  topic: capture\n", "  topic: capture\n  note: \"a\"\n", 1),
        ],
    );
    assert!(ok);
}

#[test]
fn article_front_matter_line_added() {
    let (tmp, mut s) = setup();
    let root = tmp.path();
    let c = claims(root);
    wr(
        &c,
        &rd(&c).replacen(
            "text: \"Ukraine has alleged",
            "text: \"Ukraine has claimed",
            1,
        ),
    );
    let mut full = full_path(root);
    let mut ok = same(incremental(&mut s), incremental(&mut full), "broken quote");
    let a = root.join("content/articles/newsweek.md");
    wr(
        &a,
        &rd(&a).replacen(
            "outlet: \"Newsweek\"\n",
            "outlet: \"Newsweek\"\nauthor: \"X\"\n",
            1,
        ),
    );
    ok &= same(
        incremental(&mut s),
        incremental(&mut full),
        "front matter line added",
    );
    assert!(ok);
}

#[test]
fn scenarios() {
    let (tmp, mut s) = setup();
    let root = tmp.path().to_path_buf();
    let c = claims(&root);
    let art = |n: &str| root.join(format!("content/articles/{n}.md"));
    let mut full = full_path(&root);
    let mut ok = same(incremental(&mut s), incremental(&mut full), "first");
    let orig = rd(&c);
    let mut step = |what: &str, f: &dyn Fn()| {
        f();
        ok &= same(incremental(&mut s), incremental(&mut full), what);
    };
    step("topic disappears", &|| {
        wr(&c, &rd(&c).replace("topic: id-card", "topic: custody"))
    });
    step("topic comes back", &|| {
        wr(&c, &rd(&c).replacen("topic: custody", "topic: id-card", 1))
    });
    step("undeclared topic", &|| {
        wr(
            &c,
            &rd(&c).replacen("topic: capture", "topic: \"Brand New\"", 1),
        )
    });
    step("undeclared topic 2", &|| {
        wr(
            &c,
            &rd(&c).replacen("topic: capture", "topic: \"brand-new\"", 1),
        )
    });
    step("undeclared topic gone", &|| {
        wr(
            &c,
            &rd(&c).replace("topic: \"Brand New\"", "topic: capture"),
        )
    });
    step("undeclared topic gone 2", &|| {
        wr(
            &c,
            &rd(&c).replace("topic: \"brand-new\"", "topic: capture"),
        )
    });
    step("claim removed", &|| {
        let t = rd(&c);
        let a = t.find("- id: capture-date").unwrap();
        let b = t.find("- id: capture-announced").unwrap();
        wr(&c, &format!("{}{}", &t[..a], &t[b..]));
    });
    step("claim id renamed", &|| {
        wr(
            &c,
            &rd(&c).replacen("- id: jaw-injury", "- id: jaw-wound", 1),
        )
    });
    step("topic removed from claim", &|| {
        wr(&c, &rd(&c).replacen("  topic: prisoners\n", "", 1))
    });
    step("revision_of changed", &|| {
        wr(
            &art("bbc-report-update"),
            &rd(&art("bbc-report-update")).replacen(
                "revision_of: bbc-report",
                "revision_of: newsweek",
                1,
            ),
        )
    });
    step("revision_of removed", &|| {
        wr(
            &art("bbc-report-update"),
            &rd(&art("bbc-report-update")).replacen("revision_of: newsweek\n", "", 1),
        )
    });
    step("revision root title", &|| {
        wr(
            &art("bbc-report"),
            &rd(&art("bbc-report")).replacen("title: \"", "title: \"X ", 1),
        )
    });
    step("outlet change", &|| {
        wr(
            &art("newsweek"),
            &rd(&art("newsweek")).replacen("outlet: \"Newsweek\"", "outlet: \"BBC News\"", 1),
        )
    });
    step("outlet back", &|| {
        wr(
            &art("newsweek"),
            &rd(&art("newsweek")).replacen("outlet: \"BBC News\"", "outlet: \"Newsweek\"", 1),
        )
    });
    step("theme override added", &|| {
        std::fs::create_dir_all(root.join("themes/default/templates")).unwrap();
        wr(
            &root.join("themes/default/templates/claim_item.html"),
            "<li>{{ c.id }} {{ c.text }}</li>\n",
        );
    });
    step("theme override edited", &|| {
        wr(
            &root.join("themes/default/templates/claim_item.html"),
            "<li>{{ c.id }}!</li>\n",
        )
    });
    step("theme override removed", &|| {
        std::fs::remove_file(root.join("themes/default/templates/claim_item.html")).unwrap()
    });
    step("duplicate id", &|| {
        wr(
            &c,
            &rd(&c).replacen("- id: languages", "- id: medical-care", 1),
        )
    });
    step("duplicate id fixed", &|| {
        wr(
            &c,
            &rd(&c).replacen("- id: medical-care", "- id: languages", 1),
        )
    });
    step("claims deleted", &|| std::fs::remove_file(&c).unwrap());
    step("claims recreated", &|| wr(&c, &orig));
    step("article renamed", &|| {
        std::fs::rename(art("newsweek"), art("newsweek-x")).unwrap()
    });
    step("article renamed back", &|| {
        std::fs::rename(art("newsweek-x"), art("newsweek")).unwrap()
    });
    step("claims recreated changed", &|| {
        wr(&c, &orig.replacen("topic: capture", "topic: custody", 3))
    });
    step("body edit", &|| {
        wr(
            &art("bbc-report"),
            &rd(&art("bbc-report")).replacen("the", "teh", 1),
        )
    });
    step("body edit back", &|| {
        wr(
            &art("bbc-report"),
            &rd(&art("bbc-report")).replacen("teh", "the", 1),
        )
    });
    step("revision_of restored", &|| {
        wr(
            &art("bbc-report-update"),
            &rd(&art("bbc-report-update")).replacen(
                "attribution: inferred\n",
                "attribution: inferred\nrevision_of: bbc-report\n",
                1,
            ),
        )
    });
    // A note that shows another claim's text and an article's title (empty link texts):
    // editing those must rebuild the note's pages.
    step("note links by empty text", &|| {
        wr(
            &c,
            &rd(&c).replacen(
                "  note: |\n",
                "  note: |\n    See [](claim:capture-announced) and [](source:newsweek).\n",
                1,
            ),
        )
    });
    step("linked claim's text edited", &|| {
        wr(
            &c,
            &rd(&c).replacen(
                "claim: \"Zelensky announced the capture",
                "claim: \"Edited: Zelensky announced the capture",
                1,
            ),
        )
    });
    step("linked article's title edited", &|| {
        wr(
            &art("newsweek"),
            &rd(&art("newsweek")).replacen("title: \"", "title: \"Edited ", 1),
        )
    });
    step("article note links a claim", &|| {
        wr(
            &art("newsweek"),
            &rd(&art("newsweek")).replacen("note: \"", "note: \"See [](claim:troop-numbers). ", 1),
        )
    });
    step("claim linked from an article note edited", &|| {
        wr(
            &c,
            &rd(&c).replacen(
                "claim: \"North Korea has sent",
                "claim: \"Edited: North Korea has sent",
                1,
            ),
        )
    });
    // A claim's own value decides the stances of quotes that do not write one.
    step("stated value changed", &|| {
        wr(
            &c,
            &rd(&c).replacen("stated: \"10000-12000\"", "stated: \"~12000\"", 1),
        )
    });
    step("stated value removed", &|| {
        wr(&c, &rd(&c).replacen("    stated: \"~12000\"\n", "", 1))
    });
    step("written stance removed", &|| {
        wr(&c, &rd(&c).replacen("      stance: contradicts\n", "", 1))
    });
    // The update's page shows what it changed from the first version: editing only the first
    // version changes it, on the incremental path exactly as on the full one.
    let update_page = |r: &R| -> String {
        let files = r.as_ref().expect("builds");
        let (_, b) = files
            .iter()
            .find(|(k, _)| k == "sources/bbc-report-update/index.html")
            .expect("the update's page");
        String::from_utf8(b.clone()).expect("text")
    };
    let before = incremental(&mut s);
    assert!(update_page(&before).contains("id=\"changes\""));
    wr(
        &art("bbc-report"),
        &rd(&art("bbc-report")).replacen("without identifying markings", "without any markings", 1),
    );
    let after = incremental(&mut s);
    let want = incremental(&mut full);
    ok &= same(after.clone(), want, "first version of a revision edited");
    assert_ne!(update_page(&before), update_page(&after));
    assert!(update_page(&after).contains("without any markings"));
    assert!(ok);
}

#[test]
fn session_fuzz() {
    let mut total_fail = 0;
    for seed0 in 0..6u64 {
        let (tmp, mut s) = setup();
        let root = tmp.path().to_path_buf();
        let c = claims(&root);
        let arts = [
            "bbc-report-update",
            "bbc-report",
            "newsweek",
            "report-questioned-in-kyiv",
            "report-storm-corps",
        ];
        let art = |n: &str| root.join(format!("content/articles/{n}.md"));
        let origs: Vec<String> = arts.iter().map(|a| rd(&art(a))).collect();
        let orig_claims = rd(&c);
        let mut seed = seed0 * 7919 + 1;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        let topics = [
            "capture",
            "prisoners",
            "id-card",
            "custody",
            "deployment",
            "casualties",
            "evidence-and-denials",
            "\"Odd Topic\"",
        ];
        let mut fails = 0;
        let mut full = full_path(&root);
        same(incremental(&mut s), fresh(&root), "first");
        for step in 0..60 {
            let kind = next(16);
            let t = rd(&c);
            let starts: Vec<usize> = t.match_indices("\n- id: ").map(|(i, _)| i + 1).collect();
            let k = next(starts.len());
            let (a, b) = (
                starts[k],
                if k + 1 < starts.len() {
                    starts[k + 1]
                } else {
                    t.len()
                },
            );
            let entry = &t[a..b];
            let new = match kind {
                0 => {
                    // topic change
                    let e = if entry.contains("  topic: ") {
                        let i = entry.find("  topic: ").unwrap();
                        let j = entry[i..].find('\n').unwrap() + i;
                        format!(
                            "{}  topic: {}{}",
                            &entry[..i],
                            topics[next(topics.len())],
                            &entry[j..]
                        )
                    } else {
                        entry
                            .replacen(
                                "\n",
                                &format!("\n  topic: {}\n", topics[next(topics.len())]),
                                1,
                            )
                            .replacen("\n\n", "\n", 1)
                    };
                    Some(format!("{}{}{}", &t[..a], e, &t[b..]))
                }
                1 => {
                    // remove topic
                    let e = match entry.find("  topic: ") {
                        Some(i) => {
                            let j = entry[i..].find('\n').unwrap() + i + 1;
                            format!("{}{}", &entry[..i], &entry[j..])
                        }
                        None => entry.to_string(),
                    };
                    Some(format!("{}{}{}", &t[..a], e, &t[b..]))
                }
                2 => {
                    // delete entry
                    if starts.len() > 3 {
                        Some(format!("{}{}", &t[..a], &t[b..]))
                    } else {
                        None
                    }
                }
                3 => {
                    // move entry elsewhere
                    let rest = format!("{}{}", &t[..a], &t[b..]);
                    let st: Vec<usize> =
                        rest.match_indices("\n- id: ").map(|(i, _)| i + 1).collect();
                    let to = st[next(st.len())];
                    let e = if entry.ends_with('\n') {
                        entry.to_string()
                    } else {
                        format!("{entry}\n")
                    };
                    Some(format!("{}{}{}", &rest[..to], e, &rest[to..]))
                }
                4 => Some(format!(
                    "{}{}{}",
                    &t[..a],
                    entry.replacen("claim: \"", "claim: \"Edited ", 1),
                    &t[b..]
                )),
                5 => Some(format!(
                    "{}{}{}",
                    &t[..a],
                    entry
                        .replacen("stance: contradicts", "stance: supports", 1)
                        .replacen("stance: mentions", "stance: contradicts", 1),
                    &t[b..]
                )),
                6 => {
                    // rename id
                    Some(format!(
                        "{}{}{}",
                        &t[..a],
                        entry.replacen("- id: ", "- id: r", 1),
                        &t[b..]
                    ))
                }
                7 => {
                    // drop a quote's value
                    Some(format!(
                        "{}{}{}",
                        &t[..a],
                        entry
                            .replacen("      value: ", "      note_x: ", 1)
                            .replacen("note_x", "via", 1),
                        &t[b..]
                    ))
                }
                8 => {
                    // remove one quote (2 lines starting with "    - source")
                    let qs: Vec<usize> = entry
                        .match_indices("    - source: ")
                        .map(|(i, _)| i)
                        .collect();
                    if qs.len() > 1 {
                        let qi = next(qs.len() - 1) + 1;
                        let qe = if qi + 1 < qs.len() {
                            qs[qi + 1]
                        } else {
                            entry.len()
                        };
                        Some(format!(
                            "{}{}{}{}",
                            &t[..a],
                            &entry[..qs[qi]],
                            &entry[qe..],
                            &t[b..]
                        ))
                    } else {
                        None
                    }
                }
                9 => Some(orig_claims.clone()),
                10 => {
                    // article title / outlet edit
                    let i = next(arts.len());
                    let at = rd(&art(arts[i]));
                    let e = if next(2) == 0 {
                        at.replacen("title: \"", "title: \"T ", 1)
                    } else if at.contains("outlet: \"BBC News\"") {
                        at.replacen("outlet: \"BBC News\"", "outlet: \"Newsweek\"", 1)
                    } else {
                        at.replacen("outlet: \"", "outlet: \"BBC News", 1)
                    };
                    wr(&art(arts[i]), &e);
                    None
                }
                11 => {
                    // revision_of edit
                    let i = next(arts.len());
                    let at = rd(&art(arts[i]));
                    let target = arts[next(arts.len())];
                    let e = match at.find("revision_of: ") {
                        Some(p) => {
                            let j = at[p..].find('\n').unwrap() + p + 1;
                            format!("{}{}", &at[..p], &at[j..])
                        }
                        None => at.replacen(
                            "attribution:",
                            &format!("revision_of: {target}\nattribution:"),
                            1,
                        ),
                    };
                    wr(&art(arts[i]), &e);
                    None
                }
                12 => {
                    let i = next(arts.len());
                    wr(&art(arts[i]), &origs[i]);
                    None
                }
                13 => {
                    // attribution change
                    let i = next(arts.len());
                    let at = rd(&art(arts[i]));
                    let e = if at.contains("attribution: unknown") {
                        at.replacen("attribution: unknown", "attribution: inferred", 1)
                    } else {
                        at.replacen("attribution: inferred", "attribution: unknown", 1)
                    };
                    wr(&art(arts[i]), &e);
                    None
                }
                14 => {
                    // body edit: a word that a quote uses
                    let i = next(arts.len());
                    let at = rd(&art(arts[i]));
                    let e = if at.contains("Inserted paragraph.\n\n") {
                        at.replacen("Inserted paragraph.\n\n", "", 1)
                    } else {
                        let p = at[4..].find("---\n").unwrap() + 8;
                        format!("{}Inserted paragraph.\n\n{}", &at[..p], &at[p..])
                    };
                    wr(&art(arts[i]), &e);
                    None
                }
                _ => {
                    // add extra article
                    let p = art("extra");
                    if p.exists() {
                        std::fs::remove_file(&p).unwrap();
                    } else {
                        wr(
                            &p,
                            "---\ntitle: \"E\"\noutlet: \"BBC News\"\nrevision_of: bbc-report\n---\nTwo soldiers were captured.\n",
                        );
                    }
                    None
                }
            };
            if let Some(n) = new {
                wr(&c, &n);
            }
            let g = incremental(&mut s);
            if g.is_ok() {
                OKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let what = format!("seed {seed0} step {step} kind {kind}");
            // The forced full path is the reference; it is itself a fresh session's equal.
            let reference = incremental(&mut full);
            // (Every tenth step: a fresh session costs as much as the full path.)
            let full_ok = step % 10 != 0
                || same(
                    reference.clone(),
                    fresh(&root),
                    &format!("{what} (full path)"),
                );
            if !full_ok || !same(g, reference, &what) {
                fails += 1;
                if fails > 2 {
                    break;
                }
            }
        }
        total_fail += fails;
    }
    eprintln!(
        "ok builds: {}",
        OKS.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert_eq!(total_fail, 0);
}
static OKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg(unix)]
#[test]
fn symlinked_articles_folder_is_followed() {
    let (tmp, mut s) = setup();
    let root = tmp.path().to_path_buf();
    let other = tempfile::tempdir().unwrap();
    std::fs::rename(root.join("content/articles"), other.path().join("articles")).unwrap();
    std::os::unix::fs::symlink(other.path().join("articles"), root.join("content/articles"))
        .unwrap();
    let check = dossier::build::run(&Options {
        root: root.clone(),
        output: None,
        base_url: None,
    })
    .expect("check finds the articles");
    assert_eq!(check.sources, 5);
    assert!(same(incremental(&mut s), fresh(&root), "session"));
    assert_eq!(
        s.files()
            .expect("built")
            .keys()
            .filter(|k| k.starts_with("sources/"))
            .count(),
        6
    );
    let out = tempfile::tempdir().unwrap();
    let build = dossier::build::run(&Options {
        root: root.clone(),
        output: Some(out.path().join("site")),
        base_url: None,
    })
    .expect("build finds the articles");
    assert_eq!(build.sources, 5);
}

#[cfg(unix)]
#[test]
fn a_link_loop_is_reported_not_followed_forever() {
    let (tmp, mut s) = setup();
    let root = tmp.path().to_path_buf();
    std::os::unix::fs::symlink(root.join("content"), root.join("content/articles/loop")).unwrap();
    match s.rebuild() {
        Err(Failure::Content { diagnostics, .. }) => {
            assert!(
                diagnostics.iter().any(|d| d.to_string().contains("loop")),
                "{:?}",
                diagnostics
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
            );
        }
        Err(Failure::Usage(u)) => assert!(u.contains("loop"), "{u}"),
        Ok(_) => panic!("a link loop in content/ builds"),
    }
}
