//! `dossier init DIR`: a small new dossier that builds.

use std::process::ExitCode;

use super::InitArgs;

const SITE: &str = r#"title: "My dossier"
description: "What the sources say, side by side."
base_url: "/"
language: en
topics:
  - id: example
    title: "Example topic"
    description: "Claims are grouped by topic on the front page."
"#;

const ARTICLE_A: &str = r#"---
title: "The bridge reopened on Monday"
outlet: "Example Gazette"
published: 2025-03-03
---
The old bridge reopened to traffic on Monday after **eight months** of repairs, the city said.

About 12,000 vehicles are expected to cross it every day.
"#;

const ARTICLE_B: &str = r#"---
title: "Bridge back in service"
outlet: "Example Times"
published: 2025-03-04
---
After repairs that lasted nine months, the bridge reopened on Monday.

The council expects at least 10,000 vehicles a day.
"#;

const CLAIMS: &str = r#"# Each claim is backed by verbatim quotes from the articles in content/articles/.
# Run `dossier check` after every edit: it finds each quote in its source.
- id: bridge-reopened
  claim: "The bridge reopened on Monday."
  topic: example
  quotes:
    - source: example-gazette
      text: "The old bridge reopened to traffic on Monday"
    - source: example-times
      text: "the bridge reopened on Monday"

- id: repair-duration
  claim: "The repairs took eight months."
  topic: example
  note: "The two outlets give different durations."
  value:
    kind: quantity
    unit: months
    stated: "8"
  quotes:
    - source: example-gazette
      text: "after eight months of repairs"
      value: "8"
    - source: example-times
      text: "After repairs that lasted nine months"
      value: "9"
"#;

pub fn init(a: &InitArgs) -> ExitCode {
    let dir = &a.dir;
    if dir.join("content").exists() {
        eprintln!(
            "dossier: error: {} already has a content/ folder; init only creates new dossiers",
            dir.display()
        );
        return ExitCode::from(2);
    }
    let files = [
        ("content/site.yaml", SITE),
        ("content/claims.yaml", CLAIMS),
        ("content/articles/example-gazette.md", ARTICLE_A),
        ("content/articles/example-times.md", ARTICLE_B),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        let res = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = res {
            eprintln!("dossier: error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    println!(
        "created a new dossier in {d}\n  edit {d}/content/claims.yaml and {d}/content/articles/\n  then run: dossier build --root {d}",
        d = dir.display()
    );
    ExitCode::SUCCESS
}
