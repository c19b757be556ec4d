//! The first hour of a new user (issue 20, item 5): what they try first and what confused
//! them, each checked end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `maa init -` writes the starter to stdout; `maa check -` reads it from stdin and
/// reports exactly what checking the file reports, under the name `-`.
#[test]
fn check_reads_standard_input_like_init_writes_it() {
    let starter = std::fs::read_to_string(common::root().join("topologies/starter.yaml")).unwrap();
    let piped = common::maa()
        .args(["check", "--format", "concise", "-"])
        .write_stdin(starter)
        .output()
        .unwrap();
    let file = common::maa()
        .args(["check", "--format", "concise", "topologies/starter.yaml"])
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(1));
    assert!(!stdout(&file).is_empty());
    assert_eq!(
        stdout(&piped),
        stdout(&file).replace("topologies/starter.yaml:", "-:")
    );
    // What `init -` writes checks as well (its schema modeline aside, it is the starter).
    let init = common::maa().args(["init", "-"]).output().unwrap();
    let piped = common::maa()
        .args(["check", "--format", "concise", "-"])
        .write_stdin(init.stdout)
        .output()
        .unwrap();
    assert_eq!(
        stdout(&piped),
        stdout(&file).replace("topologies/starter.yaml:", "-:")
    );
}

/// A document that is not a mapping names "the document", not an empty path.
#[test]
fn a_document_of_the_wrong_type_is_named() {
    let out = common::maa()
        .args(["check", "--format", "concise", "-"])
        .write_stdin("[]\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout(&out),
        "-:1:1: load/wrong-type [error] the document should be a mapping, found a list\n"
    );
}

/// A file that cannot be read was not checked, and the summary says so.
#[test]
fn the_summary_counts_files_that_did_not_load() {
    let out = common::maa()
        .args(["check", "--color", "never", "no-such-file.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout(&out).lines().last(),
        Some("0 of 1 file checked (1 did not load): 1 error, 0 warnings, 0 info")
    );
    let out = common::maa()
        .args([
            "check",
            "--color",
            "never",
            "no-such-file.yaml",
            "topologies/starter.yaml",
        ])
        .output()
        .unwrap();
    let last = stdout(&out).lines().last().unwrap().to_owned();
    assert!(
        last.starts_with("1 of 2 files checked (1 did not load): "),
        "{last}"
    );
}

/// `Cargo.toml` declares the repository, and every rule's link is a page of it that exists.
#[test]
fn rule_links_resolve_within_the_declared_repository() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert!(repository.starts_with("https://"), "{repository:?}");
    let prefix = format!("{repository}/blob/main/");
    let mut n = 0;
    for rule in maa::rules::catalogue() {
        let url = rule.doc().url();
        let path = url
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{url} is not under {prefix}"));
        assert!(common::root().join(path).is_file(), "{url}: no {path}");
        n += 1;
    }
    assert!(n > 50);
}

/// A render that writes nothing says so, naming the target; a topology with error findings
/// renders with a warning.
#[test]
fn renders_are_never_silent() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::maa()
        .args(["render", "-t", "dgmgrl", "--out"])
        .arg(dir.path().join("out"))
        .arg("topologies/starter.yaml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("note: target `dgmgrl` has nothing to render in this topology"),
        "{err}"
    );
    assert!(err.contains("note: nothing rendered"), "{err}");
    assert!(
        err.contains("warning: the topology has 9 error finding(s)"),
        "{err}"
    );
    let out = common::maa()
        .args(["render", "-t", "all", "--out"])
        .arg(dir.path().join("all"))
        .arg("topologies/starter.yaml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let note = err
        .lines()
        .find(|l| l.starts_with("note: targets "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(note.contains("`dgmgrl`, `cloudformation`"), "{note}");
    assert!(!note.contains("`tnsnames`"), "{note}");
    assert!(err.contains("wrote "), "{err}");
    // A topology without error findings renders without the warning.
    let out = common::maa()
        .args(["render", "-t", "tnsnames", "--out"])
        .arg(dir.path().join("clean"))
        .arg("topologies/active-passive-rac.yaml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let errors = common::maa()
        .args([
            "check",
            "--format",
            "concise",
            "topologies/active-passive-rac.yaml",
        ])
        .output()
        .unwrap();
    let has_errors = String::from_utf8_lossy(&errors.stdout).contains("[error]");
    assert_eq!(
        err.contains("warning: the topology has"),
        has_errors,
        "{err}"
    );
}

/// Top-level `x-` keys (Compose's extension fields) hold anchors and notes; the check is
/// the same as without them, the published schema accepts them (editors), and an `x-` key
/// anywhere else is still an unknown key.
#[test]
fn extension_keys_hold_anchors_and_change_nothing() {
    let starter = std::fs::read_to_string(common::root().join("topologies/starter.yaml")).unwrap();
    assert!(starter.contains("  site: {rto: 4h, rpo: 1h}\n"));
    let extended = starter
        .replace(
            "architecture: single-site\n",
            "architecture: single-site\nx-owner: {team: middleware, ticket: MAA-1}\nx-site-objective: &site {rto: 4h, rpo: 1h}\n",
        )
        .replace("  site: {rto: 4h, rpo: 1h}\n", "  site: *site\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("extended.yaml");
    std::fs::write(&path, &extended).unwrap();
    let findings = |out: std::process::Output| -> Vec<String> {
        stdout(&out)
            .lines()
            // `path:line:col: CODE [severity] message`: lines move, findings do not.
            .map(|l| l.splitn(4, ':').nth(3).unwrap_or(l).to_owned())
            .collect()
    };
    let plain = common::maa()
        .args(["check", "--format", "concise", "topologies/starter.yaml"])
        .output()
        .unwrap();
    let with_x = common::maa()
        .args(["check", "--format", "concise"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(with_x.status.code(), Some(1), "{}", stdout(&with_x));
    assert_eq!(findings(with_x), findings(plain));

    if let Some(cjs) = common::validator("check-jsonschema") {
        let out = std::process::Command::new(cjs)
            .arg("--schemafile")
            .arg(common::root().join("schemas/topology.schema.json"))
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stdout(&out));
    }

    let nested = starter.replace(
        "    role: primary\n",
        "    role: primary\n    x-note: nested\n",
    );
    std::fs::write(&path, nested).unwrap();
    let out = common::maa()
        .args(["check", "--format", "concise"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("unknown key `x-note`"),
        "{}",
        stdout(&out)
    );
}
