//! `maa render` Oracle targets: snapshots for every reference topology, real validators
//! (python-oracledb for tnsnames.ora, Jython 2.7 for WLST), grammar checks for DGMGRL and
//! srvctl, `--check` drift, and hostile values.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use maa::model::{ConnectOptions, Database, Topology};
use maa::render::Artifact;
use maa::resolve::Model;

/// The Oracle targets, in render order.
const ORACLE: &[&str] = &["tnsnames", "wlst", "ohs", "dgmgrl", "srvctl"];

fn load(path: &Path) -> Model {
    let display = common::rel(path);
    maa::resolve::load_model(path, &display)
        .unwrap_or_else(|d| panic!("{display} does not load: {d:?}"))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The render fixture: every Oracle render path, with `@NAME@` slots for hostile values.
const FIXTURE: &str = include_str!("fixtures/render/oracle-full.yaml");

/// Placeholder slots of the fixture and their default values.
const SLOTS: &[(&str, &str)] = &[
    ("@DESC@", "Shop; fixture"),
    ("@VERSION@", "19c"),
    ("@CLUSTER@", "shop_cluster"),
    ("@SERVICE@", "shop_rw"),
    ("@JNDI@", "jdbc/shop"),
    (
        "@URL@",
        "jdbc:oracle:thin:@//shop-scan.north.example.com:1522/shop_rw",
    ),
    ("@DIR@", "/u01/stores/paths"),
];

/// The fixture with `slot` set to `value` (as a YAML double-quoted string) and every other
/// slot at its default.
fn fixture_with(slot: &str, value: &str) -> String {
    let mut text = FIXTURE.to_owned();
    for (name, default) in SLOTS {
        let v = if *name == slot { value } else { default };
        let quoted = serde_json::to_string(v).expect("json string");
        text = text.replace(&format!("\"{name}\""), &quoted);
    }
    text
}

fn load_text(text: String) -> Result<Model, Vec<maa::diagnostic::Diagnostic>> {
    maa::resolve::resolve(maa::load::load_str("fixture.yaml", text)?)
}

/// Every reference topology and the render fixture, with their rendered Oracle artifacts.
fn rendered() -> Vec<(String, Model, Vec<Artifact>)> {
    let topologies = common::topologies();
    assert!(
        topologies.len() >= 2,
        "no reference topologies found in topologies/"
    );
    let mut out: Vec<(String, Model, Vec<Artifact>)> = topologies
        .iter()
        .map(|p| {
            let model = load(p);
            let artifacts = maa::render::render(&model, ORACLE)
                .unwrap_or_else(|e| panic!("{}: cannot render: {e}", common::rel(p)));
            (stem(p), model, artifacts)
        })
        .collect();
    let model =
        load_text(fixture_with("", "")).unwrap_or_else(|d| panic!("fixture does not load: {d:?}"));
    let artifacts = maa::render::render(&model, ORACLE)
        .unwrap_or_else(|e| panic!("fixture: cannot render: {e}"));
    out.push(("fixture-oracle-full".to_owned(), model, artifacts));
    out
}

fn write_all(dir: &Path, artifacts: &[Artifact]) {
    maa::render::write(dir, ORACLE, artifacts)
        .unwrap_or_else(|e| panic!("cannot write artifacts to {}: {e}", dir.display()));
}

#[test]
fn every_topology_renders_every_oracle_target_and_matches_its_snapshots() {
    for (stem, model, artifacts) in rendered() {
        for target in ORACLE {
            assert!(
                maa::render::target(target).is_some(),
                "target {target} is not registered"
            );
        }
        // A cache-only topology (no database, domain or OHS) has no Oracle artifact.
        let t = &model.topo;
        let oracle_parts = !(t.databases.is_empty() && t.domains.is_empty() && t.ohs.is_empty());
        assert_eq!(
            !artifacts.is_empty(),
            oracle_parts,
            "{stem}: rendered {} artifact(s)",
            artifacts.len()
        );
        for a in &artifacts {
            let name = format!("{stem}__{}", a.path.replace('/', "__"));
            insta::with_settings!({ snapshot_path => "snapshots/render", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, a.content);
            });
        }
    }
}

#[test]
fn rendering_is_byte_identical_across_runs() {
    for p in common::topologies() {
        let a = maa::render::render(&load(&p), ORACLE).expect("renders");
        let b = maa::render::render(&load(&p), ORACLE).expect("renders");
        assert_eq!(a, b, "{}: two renders differ", common::rel(&p));
    }
}

// ---------------------------------------------------------------------------------------
// tnsnames.ora: python-oracledb thin mode

/// Parsed values of one alias, as printed by tests/validators/validate_tnsnames.py.
#[derive(Debug, serde::Deserialize)]
struct ParsedAlias {
    file: String,
    alias: String,
    hosts: Vec<String>,
    ports: Vec<u16>,
    protocols: Vec<String>,
    service: String,
    retry_count: u32,
    retry_delay: u64,
    tcp_connect_timeout: f64,
    connect_string: String,
}

/// Runs the oracledb validator once over many files; panics on any structural problem.
fn oracledb_parse(files: &[PathBuf]) -> Option<Vec<ParsedAlias>> {
    let python = common::venv_python()?;
    let script = common::root().join("tests/validators/validate_tnsnames.py");
    let out = Command::new(python)
        .arg(script)
        .args(files)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python-oracledb rejected generated tnsnames.ora:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("bad validator line {l}: {e}"))
            })
            .collect(),
    )
}

/// What the model says a service's connect data must be, computed directly from the
/// topology: the endpoints of the databases offering it, primary first.
fn expected_endpoints(t: &Topology, service: &str) -> Vec<(String, u16)> {
    let address = |host: &str| -> String {
        t.sites
            .iter()
            .flat_map(|s| {
                s.zones
                    .iter()
                    .flat_map(|z| z.hosts.iter())
                    .chain(s.hosts.iter())
            })
            .find(|h| h.name.as_str() == host)
            .map(|h| {
                h.address
                    .as_ref()
                    .map_or(h.name.to_string(), |a| a.value.to_string())
            })
            .unwrap_or_else(|| host.to_owned())
    };
    let is_standby = |db: &Database| {
        t.data_guard.iter().any(|g| {
            g.standbys
                .iter()
                .any(|s| s.database.as_str() == db.name.as_str())
        })
    };
    let mut dbs: Vec<&Database> = t
        .databases
        .iter()
        .filter(|d| d.services.iter().any(|s| s.name.as_str() == service))
        .collect();
    let primary_first = dbs
        .first()
        .and_then(|d| d.services.iter().find(|s| s.name.as_str() == service))
        .is_none_or(|s| {
            s.roles
                .iter()
                .any(|r| r.value == maa::model::ServiceRole::Primary)
        });
    dbs.sort_by_key(|d| {
        if primary_first {
            is_standby(d)
        } else {
            !is_standby(d)
        }
    });
    let mut out: Vec<(String, u16)> = Vec::new();
    for db in dbs {
        let eps: Vec<(String, u16)> = match &db.scan {
            Some(s) => vec![(s.name.value.to_string(), s.port.value)],
            None => db
                .instances
                .iter()
                .map(|i| (address(i.host.as_str()), db.port.value))
                .collect(),
        };
        for e in eps {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

fn service_connect(t: &Topology, service: &str) -> ConnectOptions {
    t.databases
        .iter()
        .flat_map(|d| d.services.iter())
        .filter(|s| s.name.as_str() == service)
        .find_map(|s| s.connect.clone())
        .unwrap_or_default()
}

fn assert_options(p: &ParsedAlias, o: &ConnectOptions) {
    assert_eq!(
        p.retry_count, o.retry_count.value,
        "{}: RETRY_COUNT",
        p.alias
    );
    assert_eq!(
        p.retry_delay * 1000,
        o.retry_delay.value.as_millis(),
        "{}: RETRY_DELAY",
        p.alias
    );
    #[expect(
        clippy::cast_sign_loss,
        reason = "a timeout python-oracledb parsed: small and non-negative"
    )]
    let tct_ms = (p.tcp_connect_timeout * 1000.0).round() as u64;
    assert_eq!(
        tct_ms,
        o.transport_connect_timeout.value.as_millis(),
        "{}: TRANSPORT_CONNECT_TIMEOUT",
        p.alias
    );
    let ct = o.connect_timeout.value.as_millis();
    let want = if ct.is_multiple_of(1000) {
        format!("(CONNECT_TIMEOUT={})", ct / 1000)
    } else {
        format!("(CONNECT_TIMEOUT={ct}ms)")
    };
    assert!(
        p.connect_string
            .to_uppercase()
            .contains(&want.to_uppercase()),
        "{}: {want} missing in {}",
        p.alias,
        p.connect_string
    );
}

#[test]
fn every_tnsnames_alias_parses_with_python_oracledb_and_matches_the_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    let mut models = BTreeMap::new();
    for (stem, model, artifacts) in rendered() {
        let Some(a) = artifacts.iter().find(|a| a.path == "tnsnames/tnsnames.ora") else {
            continue;
        };
        let sub = dir.path().join(&stem);
        write_all(&sub, std::slice::from_ref(a));
        let file = sub.join(&a.path);
        models.insert(file.to_string_lossy().into_owned(), model);
        files.push(file);
    }
    assert!(!files.is_empty(), "no topology produced a tnsnames.ora");
    let Some(parsed) = oracledb_parse(&files) else {
        return;
    };
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in &parsed {
        let model = &models[&p.file];
        let t = &model.topo;
        seen.entry(p.file.clone())
            .or_default()
            .push(p.alias.clone());
        let client = t
            .clients
            .iter()
            .find(|c| format!("{}_{}", c.service, c.name).eq_ignore_ascii_case(&p.alias));
        let service = client.map_or_else(
            || {
                t.databases
                    .iter()
                    .flat_map(|d| d.services.iter().map(|s| s.name.to_string()))
                    .chain(
                        t.gds
                            .iter()
                            .flat_map(|g| g.global_services.iter().map(|s| s.name.to_string())),
                    )
                    .find(|s| s.eq_ignore_ascii_case(&p.alias))
                    .unwrap_or_else(|| {
                        panic!(
                            "{}: alias {} is neither a service nor a client alias",
                            p.file, p.alias
                        )
                    })
            },
            |c| c.service.to_string(),
        );
        assert_eq!(p.service, service, "{}: SERVICE_NAME", p.alias);
        let taf = client.is_some_and(|c| c.taf.is_some() && c.driver.value.supports_taf());
        assert_eq!(
            p.connect_string.contains("FAILOVER_MODE"),
            taf,
            "{}: FAILOVER_MODE only for TAF-capable drivers",
            p.alias
        );
        match client {
            Some(c)
                if c.connect.retry_count.is_written() || c.connect.connect_timeout.is_written() =>
            {
                assert_options(p, &c.connect)
            }
            _ => assert_options(p, &service_connect(t, &service)),
        }
        if client.is_none_or(|c| c.via.is_none()) && model.index.services.contains_key(&service) {
            let want = expected_endpoints(t, &service);
            let got: Vec<(String, u16)> = p
                .hosts
                .iter()
                .cloned()
                .zip(p.ports.iter().copied())
                .collect();
            assert_eq!(
                got, want,
                "{}: {} hosts/ports (primary first)",
                p.file, p.alias
            );
            assert!(
                p.protocols.iter().all(|x| x == "tcp"),
                "{}: protocols {:?}",
                p.alias,
                p.protocols
            );
            // One ADDRESS_LIST per site, each load balanced.
            let sites: std::collections::BTreeSet<String> = t
                .databases
                .iter()
                .filter(|d| d.services.iter().any(|s| s.name.as_str() == service))
                .filter_map(|d| {
                    d.instances
                        .first()
                        .and_then(|i| model.index.site_of(i.host.as_str()))
                        .map(str::to_owned)
                })
                .collect();
            assert_eq!(
                p.connect_string
                    .matches("(ADDRESS_LIST=(LOAD_BALANCE=ON)")
                    .count(),
                sites.len(),
                "{}: address lists",
                p.alias
            );
        }
    }
    for (file, model) in &models {
        let mut want: Vec<String> = model
            .index
            .services
            .keys()
            .map(|s| s.to_uppercase())
            .collect();
        want.extend(
            model
                .index
                .global_services
                .keys()
                .filter(|s| !model.index.services.contains_key(*s))
                .map(|s| s.to_uppercase()),
        );
        for c in &model.topo.clients {
            let needs = (c.taf.is_some() && c.driver.value.supports_taf()) || c.via.is_some();
            if needs {
                want.push(format!("{}_{}", c.service, c.name).to_uppercase());
            }
        }
        let got = seen.get(file).cloned().unwrap_or_default();
        for w in &want {
            assert!(got.contains(w), "{file}: alias {w} missing (got {got:?})");
        }
    }
}

// ---------------------------------------------------------------------------------------
// CLI: --out, --check

/// Scripts are written `rwxr-xr-x`, other artifacts `rw-r--r--`, even over a file that had
/// other permissions (the mode is set before the atomic rename).
#[cfg(unix)]
#[test]
fn rendered_files_have_their_modes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let render = || {
        common::maa()
            .args(["render", "topologies/active-passive-rac.yaml", "--out"])
            .arg(dir.path())
            .args(["--target", "all"])
            .assert()
            .code(0);
    };
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    render();
    let tns = dir.path().join("tnsnames/tnsnames.ora");
    let scripts: Vec<_> = std::fs::read_dir(dir.path().join("srvctl"))
        .expect("srvctl/ written")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    assert!(!scripts.is_empty(), "no srvctl scripts rendered");
    assert_eq!(mode(&tns), 0o644);
    for s in &scripts {
        assert_eq!(mode(s), 0o755, "{}", s.display());
    }
    std::fs::set_permissions(&tns, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::set_permissions(&scripts[0], std::fs::Permissions::from_mode(0o600)).expect("chmod");
    render();
    assert_eq!(mode(&tns), 0o644);
    assert_eq!(mode(&scripts[0]), 0o755);
}

#[test]
fn render_check_is_clean_after_render_and_reports_drift_with_a_diff() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let topo = "topologies/active-passive-rac.yaml";
    common::maa()
        .args(["render", topo, "--out"])
        .arg(&out)
        .args(["--target", "all"])
        .assert()
        .code(0);
    let first = std::fs::read(out.join("tnsnames/tnsnames.ora")).expect("tnsnames.ora written");
    // Re-rendering is byte-identical.
    common::maa()
        .args(["render", topo, "--out"])
        .arg(&out)
        .args(["--target", "all"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read(out.join("tnsnames/tnsnames.ora")).expect("read"),
        first
    );
    // In sync: exit 0.
    common::maa()
        .args(["render", topo, "--check", "--out"])
        .arg(&out)
        .args(["--target", "all"])
        .assert()
        .code(0);
    // Drift: exit 1 with a diff on stdout naming the file and the changed line.
    let path = out.join("tnsnames/tnsnames.ora");
    let edited = String::from_utf8_lossy(&first).replace("RETRY_COUNT=100", "RETRY_COUNT=5");
    std::fs::write(&path, edited).expect("edit");
    let assert = common::maa()
        .args(["render", topo, "--check", "--out"])
        .arg(&out)
        .args(["--target", "tnsnames"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("--- tnsnames/tnsnames.ora (on disk)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-    (CONNECT_TIMEOUT=90)(RETRY_COUNT=5)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+    (CONNECT_TIMEOUT=90)(RETRY_COUNT=100)"),
        "{stdout}"
    );
    // A standard unified diff: `@@ -a,b +c,d @@` hunks with context, which the real
    // `patch` applies to the file on disk to give the rendered file back.
    let hunks: Vec<&str> = stdout.lines().filter(|l| l.starts_with("@@ ")).collect();
    assert!(!hunks.is_empty(), "{stdout}");
    for h in &hunks {
        let spec = h.strip_prefix("@@ -").and_then(|r| r.strip_suffix(" @@"));
        let ok = spec.and_then(|r| r.split_once(" +")).is_some_and(|(a, b)| {
            [a, b].iter().all(|x| {
                x.split(',')
                    .all(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
            })
        });
        assert!(ok, "not a unified-diff hunk header: {h}");
    }
    assert!(
        stdout.lines().any(|l| l.starts_with(' ')),
        "context lines: {stdout}"
    );
    if let Some(patch) = common::validator("patch") {
        let diff_file = dir.path().join("drift.diff");
        std::fs::write(&diff_file, &stdout).expect("write diff");
        let patched = dir.path().join("patched.ora");
        let status = std::process::Command::new(patch)
            .arg("--quiet")
            .arg("-o")
            .arg(&patched)
            .arg(&path)
            .arg(&diff_file)
            .status()
            .expect("run patch");
        assert!(status.success(), "patch rejected the diff:\n{stdout}");
        assert_eq!(std::fs::read(&patched).expect("patched"), first);
    }
    // --check never writes.
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("RETRY_COUNT=5")
    );
    // A missing file is drift too.
    std::fs::remove_file(&path).expect("rm");
    let assert = common::maa()
        .args(["render", topo, "--check", "--out"])
        .arg(&out)
        .args(["--target", "tnsnames"])
        .assert()
        .code(1);
    assert!(
        String::from_utf8_lossy(&assert.get_output().stdout)
            .contains("missing: tnsnames/tnsnames.ora")
    );
}

#[test]
fn an_unknown_target_is_a_usage_error() {
    let assert = common::maa()
        .args(["render", "topologies/starter.yaml", "--target", "tnsname"])
        .assert()
        .code(2);
    assert!(
        String::from_utf8_lossy(&assert.get_output().stderr).contains("did you mean `tnsnames`?")
    );
}

#[test]
fn sub_second_retry_delay_is_rejected_at_load_time_with_its_span() {
    let text = std::fs::read_to_string(common::root().join("topologies/starter.yaml"))
        .expect("starter")
        .replace(
            "    driver: jdbc-thin\n",
            "    driver: jdbc-thin\n    connect: {retry_delay: 1500ms}\n",
        );
    let diags = load_text(text)
        .map(|_| ())
        .expect_err("1500ms RETRY_DELAY must be refused");
    let d = diags
        .iter()
        .find(|d| d.message.contains("retry_delay"))
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(d.code, "load/invalid-value");
    assert_eq!(
        d.line_col().0,
        d.file
            .text
            .lines()
            .position(|l| l.contains("1500ms"))
            .map_or(0, |i| i + 1)
    );
}

// ---------------------------------------------------------------------------------------
// WLST: Jython 2.7

/// Compiles WLST scripts under Jython 2.7 in one JVM; `marker` may then only appear
/// inside string literals.
fn jython_check(files: &[PathBuf], marker: Option<&str>) {
    let Some(jython) = common::validator("jython") else {
        return;
    };
    let script = common::root().join("tests/validators/wlst_syntax_check.py");
    let mut cmd = Command::new(jython);
    cmd.arg(script);
    if let Some(m) = marker {
        cmd.args(["--marker", m]);
    }
    let out = cmd.args(files).output().expect("jython runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Jython 2.7 rejected generated WLST:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{stdout}"
    );
}

#[test]
fn every_wlst_script_compiles_under_jython_2_7() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (stem, _, artifacts) in rendered() {
        let wlst: Vec<Artifact> = artifacts
            .into_iter()
            .filter(|a| a.path.starts_with("wlst/"))
            .collect();
        write_all(&dir.path().join(&stem), &wlst);
        files.extend(wlst.iter().map(|a| dir.path().join(&stem).join(&a.path)));
    }
    assert!(files.len() >= 2, "too few WLST scripts rendered: {files:?}");
    jython_check(&files, None);
}

#[test]
fn wlst_scripts_never_contain_credentials() {
    for (stem, _, artifacts) in rendered() {
        for a in artifacts.iter().filter(|a| a.path.starts_with("wlst/")) {
            assert!(
                a.content.contains("CREDENTIALS ARE NEVER WRITTEN"),
                "{stem}/{}: header",
                a.path
            );
            for line in a
                .content
                .lines()
                .filter(|l| l.contains("setPassword(") || l.trim_start().starts_with("connect("))
            {
                assert!(
                    line.contains("setting("),
                    "{stem}/{}: credential not read from the environment: {line}",
                    a.path
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// DGMGRL and srvctl: documented syntax

/// The DGMGRL statements maa writes, as full-line patterns (`Q` = a single-quoted literal).
fn dgmgrl_grammar() -> Vec<regex::Regex> {
    let q = r"'[^';\x00-\x1f]+'";
    [
        format!(r"^CREATE CONFIGURATION {q} AS PRIMARY DATABASE IS {q} CONNECT IDENTIFIER IS {q};$"),
        format!(r"^ADD (DATABASE|FAR_SYNC) {q} AS CONNECT IDENTIFIER IS {q};$"),
        format!(r"^EDIT DATABASE {q} SET PROPERTY LogXptMode='(SYNC|FASTSYNC|ASYNC)';$"),
        format!(r"^EDIT (DATABASE|FAR_SYNC) {q} SET PROPERTY RedoRoutes='\((LOCAL|[A-Za-z0-9_.-]+) : [^';]+\)';$"),
        format!(r"^EDIT DATABASE {q} SET PROPERTY FastStartFailoverTarget={q};$"),
        r"^EDIT CONFIGURATION SET PROTECTION MODE AS (MaxAvailability|MaxPerformance|MaxProtection);$".to_owned(),
        r"^EDIT CONFIGURATION SET PROPERTY FastStartFailover(Threshold|LagLimit)=[0-9]+;$".to_owned(),
        r"^EDIT CONFIGURATION SET PROPERTY FastStartFailoverAutoReinstate=(TRUE|FALSE);$".to_owned(),
        r"^(ENABLE CONFIGURATION|ENABLE FAST_START FAILOVER|SHOW CONFIGURATION VERBOSE|SHOW FAST_START FAILOVER|SHOW OBSERVERS);$".to_owned(),
        format!(r"^VALIDATE DATABASE VERBOSE {q};$"),
        format!(r"^START OBSERVER {q} IN BACKGROUND CONNECT IDENTIFIER IS {q} FILE IS {q} LOGFILE IS {q};$"),
        // Comments: `-- ` and text without `;`, ended by `;` (DGMGRL script rule).
        r"^-- [^;]*;$".to_owned(),
    ]
    .iter()
    .map(|p| regex::Regex::new(p).expect("pattern"))
    .collect()
}

fn check_dgmgrl(path: &str, text: &str) {
    let grammar = dgmgrl_grammar();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        assert!(
            grammar.iter().any(|g| g.is_match(line)),
            "{path}:{}: not a documented DGMGRL statement: {line}",
            n + 1
        );
        let outside_quotes: String = line.split('\'').step_by(2).collect();
        assert_eq!(
            line.matches('\'').count() % 2,
            0,
            "{path}:{}: unbalanced quotes",
            n + 1
        );
        assert_eq!(
            outside_quotes.matches(';').count(),
            1,
            "{path}:{}: one terminator per line",
            n + 1
        );
        assert_eq!(
            line.matches('(').count(),
            line.matches(')').count(),
            "{path}:{}: unbalanced parentheses",
            n + 1
        );
    }
}

/// srvctl options maa writes (26ai `srvctl add service` reference).
const SRVCTL_FLAGS: &[&str] = &[
    "-pdb",
    "-preferred",
    "-available",
    "-role",
    "-policy",
    "-failovertype",
    "-failover_restore",
    "-failovermethod",
    "-failoverretry",
    "-failoverdelay",
    "-commit_outcome",
    "-retention",
    "-replay_init_time",
    "-resetstate",
    "-drain_timeout",
    "-notification",
];

fn check_srvctl(path: &str, text: &str) {
    let word = r"'(?:[^']|'\\'')*'";
    let command = regex::Regex::new(&format!(
        r"^srvctl add service -db {word} -service {word}((?: -[a-z_]+ {word})+)$"
    ))
    .expect("re");
    let option = regex::Regex::new(&format!(r" (-[a-z_]+) ({word})")).expect("re");
    let joined = text.replace(" \\\n  ", " ");
    let mut commands = 0;
    for (n, line) in joined.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') || line == "set -eu" {
            continue;
        }
        let caps = command.captures(line).unwrap_or_else(|| {
            panic!("{path}:{}: not a srvctl add service command: {line}", n + 1)
        });
        commands += 1;
        for o in option.captures_iter(&caps[1]) {
            assert!(
                SRVCTL_FLAGS.contains(&&o[1]),
                "{path}: unknown option {}",
                &o[1]
            );
        }
        for flag in ["-role", "-failovertype", "-notification"] {
            assert!(
                line.contains(&format!(" {flag} '")),
                "{path}: {flag} missing in {line}"
            );
        }
    }
    assert!(commands > 0, "{path}: no command");
    assert!(text.starts_with("#!/bin/sh\n"), "{path}: shebang");
}

#[test]
fn dgmgrl_and_srvctl_outputs_follow_their_documented_syntax() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut shell_files = Vec::new();
    let mut dgmgrl = 0;
    for (stem, _, artifacts) in rendered() {
        for a in &artifacts {
            let path = format!("{stem}/{}", a.path);
            if a.path.ends_with(".dgmgrl") {
                check_dgmgrl(&path, &a.content);
                dgmgrl += 1;
            } else if a.path.starts_with("srvctl/") {
                assert!(a.executable, "{path} is executable");
                check_srvctl(&path, &a.content);
                write_all(&dir.path().join(&stem), std::slice::from_ref(a));
                shell_files.push(dir.path().join(&stem).join(&a.path));
            }
        }
    }
    assert!(
        dgmgrl >= 2 && !shell_files.is_empty(),
        "too few DGMGRL/srvctl artifacts"
    );
    for f in &shell_files {
        let out = Command::new("sh")
            .arg("-n")
            .arg(f)
            .output()
            .expect("sh runs");
        assert!(
            out.status.success(),
            "sh -n {}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if let Some(shellcheck) = common::validator("shellcheck") {
        let out = Command::new(shellcheck)
            .args(&shell_files)
            .output()
            .expect("shellcheck runs");
        assert!(
            out.status.success(),
            "shellcheck:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn ohs_locations_list_every_cluster_member() {
    for (stem, model, artifacts) in rendered() {
        for o in &model.topo.ohs {
            let a = artifacts
                .iter()
                .find(|a| a.path == format!("ohs/{}/mod_wl_ohs.conf", o.name))
                .expect("ohs file");
            assert_eq!(
                a.content.matches("<Location ").count(),
                o.routes.len(),
                "{stem}/{}",
                a.path
            );
            assert_eq!(
                a.content.matches("<Location ").count(),
                a.content.matches("</Location>").count()
            );
            for r in &o.routes {
                let servers = model.index.servers_of(r.cluster.as_str());
                for s in servers.iter().filter(|s| {
                    r.servers.is_empty() || r.servers.iter().any(|n| n.as_str() == s.name)
                }) {
                    assert!(
                        a.content.contains(&format!(":{}", s.port)),
                        "{stem}/{}: {} missing",
                        a.path,
                        s.name
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Hostile values

const MARKER: &str = "INJECTED";

/// Hostile text around the marker: quotes, parentheses, newlines, `$`, backslashes,
/// statement separators, comment starts, template syntax and non-ASCII characters.
fn hostile() -> impl proptest::strategy::Strategy<Value = String> {
    // The first part always holds at least one character a name may not contain.
    let first = r#"[')("$\\;`#=%{}\[\] é😀\n\r]{1,6}"#;
    let part = r#"[')("$\\;`#=%{}\[\] é😀\n\rab]{0,6}"#;
    (
        proptest::string::string_regex(first).expect("re"),
        proptest::string::string_regex(part).expect("re"),
    )
        .prop_map(|(a, b)| format!("{a}{MARKER}{b}"))
}

use proptest::prelude::*;

/// Slots holding names (refused at load time) and free text (escaped or refused).
const NAME_SLOTS: &[&str] = &["@CLUSTER@", "@SERVICE@"];
const TEXT_SLOTS: &[&str] = &["@DESC@", "@VERSION@", "@JNDI@", "@URL@", "@DIR@"];

/// Renders a hostile case; `None` when it was (correctly) refused at load time.
fn render_hostile(slot: &str, value: &str) -> Option<Vec<Artifact>> {
    let text = fixture_with(slot, value);
    match load_text(text.clone()) {
        Err(diags) => {
            assert!(!diags.is_empty());
            // The diagnostic points at the hostile value.
            let at = text
                .find(&serde_json::to_string(value).expect("json"))
                .expect("value in text");
            assert!(
                diags
                    .iter()
                    .any(|d| d.span.offset() >= at.saturating_sub(1) && d.span.offset() <= at + 1),
                "{slot}={value:?}: no diagnostic at the value: {diags:?}"
            );
            assert!(
                NAME_SLOTS.contains(&slot)
                    || value.chars().any(char::is_control)
                    || matches!(slot, "@VERSION@"),
                "{slot}={value:?} should have been accepted: {diags:?}"
            );
            None
        }
        Ok(model) => {
            assert!(
                TEXT_SLOTS.contains(&slot),
                "{slot}={value:?}: a hostile name was accepted"
            );
            let artifacts = maa::render::render(&model, ORACLE)
                .unwrap_or_else(|e| panic!("{slot}={value:?}: {e}"));
            for a in &artifacts {
                if a.path.starts_with("wlst/") {
                    continue;
                }
                assert!(
                    !a.content.contains(MARKER),
                    "{slot}={value:?}: {} carries the hostile value",
                    a.path
                );
                if a.path.ends_with(".dgmgrl") {
                    check_dgmgrl(&a.path, &a.content);
                }
                if a.path.starts_with("srvctl/") {
                    check_srvctl(&a.path, &a.content);
                }
            }
            Some(artifacts)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_values_are_refused_or_escaped(slot in proptest::sample::select([NAME_SLOTS, TEXT_SLOTS].concat()), value in hostile()) {
        render_hostile(slot, &value);
    }
}

#[test]
fn hostile_free_text_keeps_wlst_and_tnsnames_valid_for_the_real_parsers() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut wlst, mut tns) = (Vec::new(), Vec::new());
    for i in 0..24 {
        let slot = TEXT_SLOTS[i % TEXT_SLOTS.len()];
        let value = hostile().new_tree(&mut runner).expect("value").current();
        // Control characters are refused in JNDI names, URLs and directories; keep the
        // cases that render, with the marker in every one.
        let value = if slot == "@DESC@" || slot == "@VERSION@" {
            value
        } else {
            value.replace(['\n', '\r'], " ")
        };
        let Some(artifacts) = render_hostile(slot, &value) else {
            panic!("{slot}={value:?} refused")
        };
        let sub = dir.path().join(format!("case{i}"));
        write_all(&sub, &artifacts);
        for a in &artifacts {
            if a.path.starts_with("wlst/") {
                if matches!(slot, "@JNDI@" | "@URL@" | "@DIR@") {
                    assert!(
                        a.content.contains(MARKER),
                        "{slot}: the value is written into {}",
                        a.path
                    );
                }
                wlst.push(sub.join(&a.path));
            } else if a.path.ends_with("tnsnames.ora") {
                tns.push(sub.join(&a.path));
            }
        }
    }
    jython_check(&wlst, Some(MARKER));
    oracledb_parse(&tns);
}
