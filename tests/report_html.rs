//! `maa report`: the HTML page in a real browser (headless Chromium's `--dump-dom`: the
//! diagram's SPOF elements are the objects `maa check` reports as SPOF001, one table row
//! per `maa simulate --all` scenario, the page's script ran to the end), escaping of
//! untrusted text, determinism, the comparison with a previous run, and the outputs it
//! refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{maa, root, topologies};

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = maa().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// The objects `maa check` reports as single points of failure (SPOF001).
fn spof001(topology: &str) -> BTreeSet<String> {
    let v = json_of(&["check", "--format", "json", "--fail-on", "never", topology]);
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SPOF001")
        .map(|d| d["object"].as_str().unwrap().to_string())
        .collect()
}

/// What fails in each scenario of `maa simulate --all`, in order.
fn scenarios(topology: &str) -> Vec<String> {
    let v = json_of(&["simulate", "--all", "--format", "json", topology]);
    v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let f: Vec<&str> = s["failed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            f.join(", ")
        })
        .collect()
}

fn report(topology: &Path, dir: &Path, extra: &[&str]) -> PathBuf {
    let html = dir.join("report.html");
    let mut args = vec![
        "report".to_string(),
        topology.to_string_lossy().into_owned(),
        "--html".into(),
        html.to_string_lossy().into_owned(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_string()));
    maa().args(&args).assert().code(0);
    html
}

/// The start tags of an HTML text, each as (tag, attributes with their values unescaped).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let tag = regex::Regex::new(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\x22[^\x22]*\x22|'[^']*'|[^\s\x22'=<>`]+))?)*)\s*/?>").unwrap();
    let attr = regex::Regex::new(
        r#"([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#,
    )
    .unwrap();
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&")
    };
    tag.captures_iter(html)
        .map(|c| {
            let attrs = attr
                .captures_iter(&c[2])
                .map(|a| {
                    let v = a
                        .get(2)
                        .or_else(|| a.get(3))
                        .or_else(|| a.get(4))
                        .map_or("", |m| m.as_str());
                    (a[1].to_lowercase(), unescape(v))
                })
                .collect();
            (c[1].to_lowercase(), attrs)
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn has_class(attrs: &[(String, String)], class: &str) -> bool {
    attr(attrs, "class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// Headless Chromium's DOM of a page opened from a file URL, after its scripts ran.
fn dump_dom(chromium: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_shipped_topology_opens_in_chromium_with_its_spofs_and_scenarios() {
    let Some(chromium) = common::validator("chromium") else {
        return;
    };
    for t in topologies() {
        let rel = common::rel(&t);
        let dir = tempfile::tempdir().unwrap();
        let page = report(&t, dir.path(), &[]);
        let dom = dump_dom(&chromium, &page);
        let tags = tags(&dom);

        let html = tags.iter().find(|(t, _)| t == "html").unwrap();
        assert_eq!(
            attr(&html.1, "data-ready"),
            Some("1"),
            "{rel}: the page's script did not run to the end"
        );

        let drawn: BTreeSet<String> = tags
            .iter()
            .filter(|(_, a)| has_class(a, "spof"))
            .map(|(t, a)| {
                attr(a, "data-object")
                    .unwrap_or_else(|| panic!("{rel}: a <{t}> marked spof names no object"))
                    .to_string()
            })
            .collect();
        assert_eq!(drawn, spof001(&rel), "{rel}: SPOFs of the diagram");
        if rel.ends_with("starter.yaml") {
            assert!(drawn.len() >= 5, "{rel}: {drawn:?}");
        }

        let rows: Vec<String> = tags
            .iter()
            .filter(|(t, a)| t == "tr" && has_class(a, "scenario"))
            .map(|(_, a)| attr(a, "data-failed").unwrap().to_string())
            .collect();
        let want = scenarios(&rel);
        assert!(!want.is_empty(), "{rel}");
        assert_eq!(rows, want, "{rel}: scenario rows");
        assert_eq!(
            attr(&html.1, "data-scenarios"),
            Some(want.len().to_string().as_str()),
            "{rel}"
        );
        // Every scenario row links to a timeline that exists.
        let timelines = tags
            .iter()
            .filter(|(t, a)| t == "details" && has_class(a, "timeline"))
            .count();
        assert_eq!(timelines, want.len(), "{rel}");
    }
}

/// A copy of the starter whose free text (the description: names and paths have
/// patterns that refuse markup) carries markup, quotes and control characters.
fn hostile_starter(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("topologies/starter.yaml")).unwrap();
    let text = text.replacen(
        "description: One data center, one OHS, a one-server cluster, a single-instance database.",
        "description: \"<script>alert('d')</script> \\\"q\\\" 'a' &amp; \\u001b[31m \\u202e end\"",
        1,
    );
    let p = dir.join("t.yaml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn untrusted_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let t = hostile_starter(dir.path());
    // It must load, or the test proves nothing.
    let out = maa()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--fail-on", "never", "t.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"].as_str().unwrap().starts_with("load/")),
        "{v}"
    );
    // A previous run whose findings carry markup too.
    let old = dir.path().join("old.json");
    std::fs::write(
        &old,
        r#"{"diagnostics":[{"code":"X<script>1</script>","severity":"error\"><b>x1","object":"o'<i>x2","message":"m\u001b<script>alert(2)</script>"}]}"#,
    )
    .unwrap();
    let html = report(&t, dir.path(), &["--compare", old.to_str().unwrap()]);
    let page = std::fs::read_to_string(html).unwrap();
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the page's own script"
    );
    for raw in [
        "<script>alert",
        "<script>1",
        "\"><b>x1",
        "'<i>x2",
        "\u{1b}",
        "\u{202e}",
        "alert('d')",
    ] {
        assert!(!page.contains(raw), "{raw:?} reached the page unescaped");
    }
    for escaped in [
        "&lt;script&gt;alert(&#39;d&#39;)&lt;/script&gt; &quot;q&quot; &#39;a&#39; &amp;amp;",
        "\\u{1b}[31m \\u{202e} end",
        "X&lt;script&gt;1&lt;/script&gt;",
        "error&quot;&gt;&lt;b&gt;x1",
        "o&#39;&lt;i&gt;x2",
        "m\\u{1b}&lt;script&gt;alert(2)&lt;/script&gt;",
    ] {
        assert!(page.contains(escaped), "{escaped:?} missing");
    }
    // Every attribute value is quoted and free of raw quotes (each tag parses whole).
    assert!(!page.contains("=\"\"\""));
}

#[test]
fn the_page_and_its_json_are_deterministic() {
    let t = root().join("topologies/active-passive-rac.yaml");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut texts = Vec::new();
    for d in [&a, &b] {
        let json = d.path().join("r.json");
        let html = report(&t, d.path(), &["--json", json.to_str().unwrap()]);
        texts.push((std::fs::read(html).unwrap(), std::fs::read(json).unwrap()));
    }
    assert!(texts[0] == texts[1]);
}

/// Metamorphic: a previous run without one rule (switched off by a configuration) makes
/// exactly that rule's findings new; the other way round, fixed; a run compared with its
/// own JSON changes nothing.
#[test]
fn compare_shows_new_and_fixed_findings_and_changed_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(root().join("topologies/starter.yaml")).unwrap();
    let t = dir.path().join("t.yaml");
    std::fs::write(&t, &src).unwrap();
    let cfg = dir.path().join("off.yaml");
    std::fs::write(&cfg, "ignore: [WLS004]\n").unwrap();
    let (full, without) = (
        dir.path().join("full.json"),
        dir.path().join("without.json"),
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["report", t.to_str().unwrap()];
        args.extend_from_slice(extra);
        maa().args(&args).assert().code(0);
    };
    run(&["--json", full.to_str().unwrap()]);
    run(&[
        "--json",
        without.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    let wls004 = json_of(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        "topologies/starter.yaml",
    ])["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "WLS004")
        .count();
    assert!(wls004 > 0);
    let html = dir.path().join("r.html");
    let page = |old: &Path, extra: &[&str]| {
        let mut args = vec![
            "--html",
            html.to_str().unwrap(),
            "--compare",
            old.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args);
        std::fs::read_to_string(&html).unwrap()
    };
    let p = page(&without, &[]);
    assert!(
        p.contains(&format!(
            "<b class=\"new\">{wls004} new</b> and <b class=\"fixed\">0 fixed</b>"
        )),
        "{p}"
    );
    assert_eq!(
        p.matches("<tr class=\"finding-new\"><td><code>WLS004</code>")
            .count(),
        wls004
    );
    let p = page(&full, &["--config", cfg.to_str().unwrap()]);
    assert!(p.contains(&format!(
        "<b class=\"new\">0 new</b> and <b class=\"fixed\">{wls004} fixed</b>"
    )));
    let p = page(&full, &[]);
    assert!(p.contains("<b class=\"new\">0 new</b> and <b class=\"fixed\">0 fixed</b>"));
    assert!(p.contains("<b>0</b> scenario result(s) changed"));

    // A second web server: the OHS stops being a single point of failure, so the scenarios
    // that failed it (or its host) recover now; the previous simulate JSON is enough.
    let old_sim = dir.path().join("sim.json");
    let sim = maa()
        .args(["simulate", "--all", "--format", "json", t.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::write(&old_sim, sim.stdout).unwrap();
    let better = src
        .replace("      - name: web1\n", "      - name: web1\n      - name: web2\n")
        .replace(
            "  - name: ohs1\n    host: web1\n    routes:\n      - {path: /app, cluster: app_cluster}\n",
            "  - name: ohs1\n    host: web1\n    routes:\n      - {path: /app, cluster: app_cluster}\n  - name: ohs2\n    host: web2\n    routes:\n      - {path: /app, cluster: app_cluster}\n",
        );
    assert_ne!(better, src);
    std::fs::write(&t, better).unwrap();
    let p = page(&old_sim, &[]);
    assert!(p.contains("The previous file has no findings to compare."));
    let row = p
        .split("<tr class=\"scenario-changed\"><td>host:web1")
        .nth(1)
        .unwrap_or_else(|| panic!("host:web1 unchanged: {p}"));
    let row = row.split("</tr>").next().unwrap();
    assert!(row.contains("<del>down</del> → <ins>"), "{row}");
}

#[test]
fn outputs_that_would_replace_an_input_or_each_other_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml");
    std::fs::copy(root().join("topologies/starter.yaml"), &t).unwrap();
    let before = std::fs::read(&t).unwrap();
    let link = dir.path().join("out.html");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&t, &link).unwrap();
    let t_s = t.to_str().unwrap();
    maa()
        .args(["report", t_s, "--html", link.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("which the output would replace"));
    let same = dir.path().join("x");
    maa()
        .args([
            "report",
            t_s,
            "--html",
            same.to_str().unwrap(),
            "--json",
            same.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    maa().args(["report", t_s]).assert().code(2);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"neither\": 1}").unwrap();
    maa()
        .args([
            "report",
            t_s,
            "--html",
            dir.path().join("r.html").to_str().unwrap(),
            "--compare",
            bad.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no `diagnostics` or `scenarios` list",
        ));
    assert_eq!(std::fs::read(&t).unwrap(), before);
    assert!(!dir.path().join("r.html").exists());
    assert!(!same.exists());
}
