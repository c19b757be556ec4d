//! The first hour of a new user (issue 20, item 5): what they try first and what confused
//! them, each checked end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `maa check --format concise FILE`.
fn concise(path: impl AsRef<std::ffi::OsStr>) -> std::process::Output {
    common::maa()
        .args(["check", "--format", "concise"])
        .arg(path)
        .output()
        .unwrap()
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
        err.contains("warning: the topology has 10 error finding(s)"),
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
    let with_x = concise(&path);
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
    let out = concise(&path);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("unknown key `x-note`"),
        "{}",
        stdout(&out)
    );
}

/// Following WLS004's help as written (automatic migration plus the leasing it needs) clears
/// it without raising any error: the help says the whole fix (before, WLS007 appeared).
#[test]
fn following_wls004_help_raises_no_error() {
    let starter = std::fs::read_to_string(common::root().join("topologies/starter.yaml")).unwrap();
    let help = common::maa().args(["explain", "WLS004"]).output().unwrap();
    let help = stdout(&help).replace('\n', " ").replace("  ", " ");
    for says in [
        "migration: exactly-once",
        "leasing: database",
        "purpose: leasing",
    ] {
        assert!(
            help.contains(says),
            "WLS004's fix does not say `{says}`:\n{help}"
        );
    }
    let fixed = starter
        .replace(
            "store: jms_store}",
            "store: jms_store, migration: exactly-once}",
        )
        .replace(
            "        session_replication: {mode: none}\n",
            "        session_replication: {mode: none}\n        migration: {type: service, leasing: database, data_source: leasing_ds}\n",
        )
        .replace(
            "      - {name: app_ds, type: generic, service: appdb_svc, targets: [app_cluster]}\n",
            "      - {name: app_ds, type: generic, service: appdb_svc, targets: [app_cluster]}\n      - {name: leasing_ds, service: appdb_svc, purpose: leasing, targets: [app_cluster]}\n",
        );
    assert_ne!(fixed, starter);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.yaml");
    std::fs::write(&path, &fixed).unwrap();
    let codes = |p: &std::path::Path, severity: &str| -> Vec<String> {
        let out = concise(p);
        stdout(&out)
            .lines()
            .filter(|l| l.contains(&format!("[{severity}]")))
            .map(|l| l.splitn(4, ':').nth(3).unwrap_or(l).trim().to_owned())
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .collect()
    };
    let before = codes(&common::root().join("topologies/starter.yaml"), "error");
    let after = codes(&path, "error");
    assert!(after.len() <= before.len(), "{before:?} -> {after:?}");
    assert!(!after.contains(&"WLS007".to_owned()), "{after:?}");
    assert!(!codes(&path, "warning").contains(&"WLS004".to_owned()));
}

/// The starter reaches 0 errors by doing what its help texts say, one finding at a time:
/// before each edit the finding is reported with a help that names the edit; after it, that
/// finding is gone and the error count never went up.
#[test]
fn the_starter_reaches_zero_errors_by_following_its_help() {
    // (code, object, what the help says, edit: (from, to) text replacements)
    type Edit = &'static [(&'static str, &'static str)];
    let steps: &[(&str, &str, &str, Edit)] = &[
        (
            "SPOF001",
            "sites[dc1]",
            "remove the `site` objective",
            &[("  site: {rto: 4h, rpo: 1h}\n", "")],
        ),
        (
            "SPOF001",
            "hosts[lb1]",
            "add a second one on another host",
            &[
                (
                    "      - name: lb1\n",
                    "      - name: lb1\n      - name: lb2\n",
                ),
                ("hosts: [lb1]", "hosts: [lb1, lb2]"),
            ],
        ),
        (
            "SPOF001",
            "hosts[web1]",
            "add a second one on another host",
            &[
                (
                    "      - name: web1\n",
                    "      - name: web1\n      - name: web2\n",
                ),
                (
                    "      - {path: /app, cluster: app_cluster}\n",
                    "      - {path: /app, cluster: app_cluster}\n  - name: ohs2\n    host: web2\n    routes:\n      - {path: /app, cluster: app_cluster}\n",
                ),
            ],
        ),
        (
            "WLS001",
            "domains[app_domain].clusters[app_cluster]",
            "Add a second managed server on another host",
            &[
                (
                    "      - name: app1\n",
                    "      - name: app1\n      - name: app2\n",
                ),
                (
                    "          - {name: app_ms1, host: app1}\n",
                    "          - {name: app_ms1, host: app1}\n          - {name: app_ms2, host: app2}\n",
                ),
            ],
        ),
        (
            "WLS012",
            "domains[app_domain].stores[jms_store]",
            "Move the store to a JDBC store",
            &[(
                "{name: jms_store, type: file, cluster: app_cluster, storage: app1_disk}",
                "{name: jms_store, type: jdbc, cluster: app_cluster, data_source: app_ds}",
            )],
        ),
        (
            "DB001",
            "databases[appdb]",
            "Use RAC",
            &[
                (
                    "      - name: db1\n",
                    "      - name: db1\n      - name: db2\n",
                ),
                (
                    "    type: single\n    instances: [{name: appdb1, host: db1}]",
                    "    type: rac\n    instances: [{name: appdb1, host: db1}, {name: appdb2, host: db2}]",
                ),
            ],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("starter.yaml");
    let mut text = std::fs::read_to_string(common::root().join("topologies/starter.yaml")).unwrap();
    let errors = |text: &str| -> Vec<serde_json::Value> {
        std::fs::write(&path, text).unwrap();
        let out = common::maa()
            .args(["check", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(2), "{}", stdout(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .cloned()
            .collect()
    };
    let mut before = errors(&text);
    assert!(before.len() >= 6, "{before:?}");
    for (code, object, says, edit) in steps {
        let finding = before
            .iter()
            .find(|d| d["code"] == *code && d["object"] == *object)
            .unwrap_or_else(|| panic!("no {code} error on {object}: {before:#?}"));
        let help = finding["help"].as_str().unwrap_or_default();
        assert!(
            help.contains(says),
            "{code} {object}: the help `{help}` does not say `{says}`"
        );
        for (from, to) in *edit {
            assert!(text.contains(from), "{code}: `{from}` not in the starter");
            text = text.replacen(from, to, 1);
        }
        let after = errors(&text);
        assert!(
            after.len() <= before.len(),
            "following {code}'s help raised the errors from {} to {}: {after:#?}",
            before.len(),
            after.len()
        );
        assert!(
            !after
                .iter()
                .any(|d| d["code"] == *code && d["object"] == *object),
            "{code} on {object} is still an error after its fix"
        );
        before = after;
    }
    assert!(before.is_empty(), "errors left: {before:#?}");
}

/// A reference to a name of the wrong kind says what the name is; a plain typo does not.
#[test]
fn a_wrong_kind_reference_says_what_the_name_is() {
    let starter = std::fs::read_to_string(common::root().join("topologies/starter.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let check = |text: String| -> String {
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, text).unwrap();
        let out = concise(&path);
        assert_eq!(out.status.code(), Some(2));
        stdout(&out)
    };
    let wrong_kind = check(starter.replace(
        "service: appdb_svc, targets",
        "service: app_cluster, targets",
    ));
    assert!(
        wrong_kind.contains(
            "refers to unknown database service `app_cluster` (`app_cluster` is a cluster, not a database service)"
        ),
        "{wrong_kind}"
    );
    let typo = check(starter.replace("cluster: app_cluster}", "cluster: app_clustr}"));
    assert!(typo.contains("unknown cluster `app_clustr`"), "{typo}");
    assert!(!typo.contains(" is a "), "{typo}");
}

/// One spelling of the human-readable format works for every command: `check --format text`
/// and `simulate`/`rules --format human` are aliases of each command's own name.
#[test]
fn text_and_human_are_one_format_everywhere() {
    let check = |args: &[&str]| {
        let out = common::maa().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out)
    };
    let clean = "topologies/coherence-cache.yaml";
    assert_eq!(
        check(&["check", "--format", "text", clean]),
        check(&["check", "--format", "human", clean])
    );
    let sim = [
        "simulate",
        "topologies/starter.yaml",
        "--fail",
        "host:lb1",
        "--format",
    ];
    let human = common::maa().args(sim).arg("human").output().unwrap();
    let text = common::maa().args(sim).arg("text").output().unwrap();
    assert_eq!(human.status.code(), text.status.code());
    assert_eq!(stdout(&human), stdout(&text));
    assert_eq!(
        check(&["rules", "--format", "human"]),
        check(&["rules", "--format", "text"])
    );
}

/// Messages a new user met: MAA003's label is not cut inside the quoted comment, and an
/// unknown cluster of a domain reads "unknown cluster `c` of domain `d`".
#[test]
fn suppression_and_reference_messages_read_well() {
    let starter = std::fs::read_to_string(common::root().join("topologies/starter.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(
        &path,
        starter.replacen(
            "clusters:\n      - name: app_cluster",
            "clusters:\n      # maa: ignore[WLS001]\n      - name: app_cluster",
            1,
        ),
    )
    .unwrap();
    let out = common::maa().args(["check"]).arg(&path).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("no reason after the rule list"), "{text}");
    assert!(!text.contains("╰── `# maa\n"), "{text}");
    std::fs::write(
        &path,
        starter.replace("targets: [app_cluster]}", "targets: [app_clustr]}"),
    )
    .unwrap();
    let out = concise(&path);
    assert!(
        stdout(&out).contains("refers to unknown cluster `app_clustr` of domain `app_domain`"),
        "{}",
        stdout(&out)
    );
}
