//! The new-rule workflow: `scripts/new-rule` creates a rule's files and edits exactly one line
//! of its area's `mod.rs` (plus the fixture line of gen.py for the areas gen.py generates), and
//! the committed rule fixtures are what `tests/fixtures/rules/_gen/gen.py` writes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A Python 3 that runs `probe` (the test venv's, else `python3` on PATH). When there is none:
/// fails under `MAA_REQUIRE_VALIDATORS=1`, otherwise says why the test is skipped.
fn python_that_runs(probe: &str, what: &str) -> Option<PathBuf> {
    let candidates = [
        common::root().join(".venv/bin/python"),
        PathBuf::from("python3"),
    ];
    let found = candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", probe])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            !common::validators_required(),
            "{what} is not installed (MAA_REQUIRE_VALIDATORS=1 is set)"
        );
        eprintln!("SKIPPED: {what} is not installed; run scripts/test.sh to install it");
    }
    found
}

/// A Python 3 with PyYAML, for gen.py.
fn python_with_yaml() -> Option<PathBuf> {
    python_that_runs("import yaml", "python3 with PyYAML")
}

/// A Python 3 for the scaffold, which needs only the standard library.
fn python() -> Option<PathBuf> {
    python_that_runs("import sys; assert sys.version_info >= (3, 8)", "python3")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for e in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let e = e.unwrap_or_else(|e| panic!("{e}"));
        let ty = e.file_type().unwrap_or_else(|e| panic!("{e}"));
        if ty.is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else if ty.is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap_or_else(|e| panic!("copy: {e}"));
        }
    }
}

/// The parts of the repository the scaffold reads and writes, in a temporary directory.
fn repo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = common::root();
    for sub in ["scripts", "rules", "src/rules", "tests/fixtures/rules/_gen"] {
        copy_dir(&root.join(sub), &dir.path().join(sub));
    }
    dir
}

fn new_rule(py: &Path, root: &Path, args: &[&str]) -> Output {
    Command::new(py)
        .arg(root.join("scripts/new-rule"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("scripts/new-rule: {e}"))
}

/// The lines of `after` that are not in `before`, assuming `after` only inserts lines.
fn inserted(before: &str, after: &str) -> Vec<(usize, String)> {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    let mut out = Vec::new();
    let mut j = 0;
    for (i, line) in a.iter().enumerate() {
        if b.get(j) == Some(line) {
            j += 1;
        } else {
            out.push((i + 1, (*line).to_owned()));
        }
    }
    assert_eq!(
        j,
        b.len(),
        "lines were changed or removed, not only inserted"
    );
    out
}

#[test]
fn committed_fixtures_are_what_gen_py_writes() {
    let Some(py) = python_with_yaml() else { return };
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let dir = common::root().join("tests/fixtures/rules");
    let run = Command::new(&py)
        .arg(dir.join("_gen/gen.py"))
        .arg(out.path())
        .output()
        .unwrap_or_else(|e| panic!("gen.py: {e}"));
    assert!(
        run.status.success(),
        "gen.py failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut generated = 0;
    let mut drift = Vec::new();
    for code in std::fs::read_dir(out.path()).unwrap_or_else(|e| panic!("{e}")) {
        let code = code.unwrap_or_else(|e| panic!("{e}")).file_name();
        for kind in ["trigger.yaml", "clean.yaml"] {
            let want = read(&out.path().join(&code).join(kind));
            let have = std::fs::read_to_string(dir.join(&code).join(kind)).unwrap_or_default();
            generated += 1;
            if want != have {
                drift.push(format!("{}/{kind}", code.to_string_lossy()));
            }
        }
    }
    assert!(generated > 100, "gen.py wrote only {generated} fixtures");
    assert!(
        drift.is_empty(),
        "committed fixtures differ from what gen.py writes: {drift:?}; edit gen.py and run \
         `python3 tests/fixtures/rules/_gen/gen.py`, never the generated files"
    );
    // A fixture that says it is generated but that gen.py no longer writes is stale.
    for code in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let code = code.unwrap_or_else(|e| panic!("{e}")).file_name();
        let trigger = dir.join(&code).join("trigger.yaml");
        if trigger.is_file() && read(&trigger).contains("Generated by tests/fixtures/rules/_gen") {
            assert!(
                out.path().join(&code).is_dir(),
                "{} says it is generated, but gen.py does not write it",
                code.to_string_lossy()
            );
        }
    }
}

#[test]
fn new_rule_creates_its_files_and_inserts_one_line_in_code_order() {
    let Some(py) = python() else { return };
    let tmp = repo_copy();
    let root = tmp.path();
    let mod_rs = root.join("src/rules/weblogic/mod.rs");
    let gen_py = root.join("tests/fixtures/rules/_gen/gen.py");
    let (mod_before, gen_before) = (read(&mod_rs), read(&gen_py));
    let out = new_rule(&py, root, &["WLS099", "cluster-demo-check", "weblogic"]);
    assert!(
        out.status.success(),
        "new-rule failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rs = root.join("src/rules/weblogic/wls099_cluster_demo_check.rs");
    let rs_text = read(&rs);
    assert!(rs_text.contains("include_str!(\"../../../rules/WLS099.yaml\"), check)"));
    assert!(rs_text.contains("fn check(_cx: &mut Ctx<'_>) {}"));
    assert!(!rs_text.contains("TODO"));
    let doc = read(&root.join("rules/WLS099.yaml"));
    assert!(doc.starts_with("code: WLS099\nname: cluster-demo-check\n"));
    assert!(doc.contains("area: weblogic\n") && doc.contains("FILL IN"));
    // The placeholder documentation parses, so the rule compiles and the doc tests name what
    // is left to fill in rather than failing to load it.
    let parsed = maa::rules::RuleDoc::parse(&doc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.code, "WLS099");

    let mod_lines = inserted(&mod_before, &read(&mod_rs));
    let last = mod_before
        .lines()
        .position(|l| l.trim() == "wls022_artifacts_unreachable,")
        .map(|i| i + 2);
    assert_eq!(
        mod_lines,
        vec![(
            last.unwrap_or(0),
            "    wls099_cluster_demo_check,".to_owned()
        )]
    );
    let gen_lines = inserted(&gen_before, &read(&gen_py));
    assert_eq!(gen_lines.len(), 1, "{gen_lines:?}");
    assert!(
        gen_lines[0]
            .1
            .starts_with("rule(\"WLS099\", nothing, nothing)")
    );
    // Nothing else under src/ or rules/ changed: the rule is wired by the one mod.rs line.
    let reg = "src/rules/registry.rs";
    assert_eq!(read(&root.join(reg)), read(&common::root().join(reg)));

    // The same code again is refused, and nothing is written.
    let again = new_rule(&py, root, &["WLS099", "other-name", "weblogic"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}

#[test]
fn new_rule_inserts_in_code_order_inside_the_list() {
    let Some(py) = python() else { return };
    let tmp = repo_copy();
    let root = tmp.path();
    // Free DB005 in the copy, then scaffold it: it must land between DB004 and DB006.
    std::fs::remove_file(root.join("rules/DB005.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let mod_rs = root.join("src/rules/database/mod.rs");
    let without: String = read(&mod_rs)
        .lines()
        .filter(|l| !l.contains("db005_"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&mod_rs, &without).unwrap_or_else(|e| panic!("{e}"));
    let out = new_rule(&py, root, &["--dry-run", "DB005", "demo-check", "database"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(read(&mod_rs), without, "--dry-run changed mod.rs");
    let plan = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        plan.contains("create src/rules/database/db005_demo_check.rs"),
        "{plan}"
    );
    let out = new_rule(&py, root, &["DB005", "demo-check", "database"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = read(&mod_rs);
    let list: Vec<&str> = after
        .lines()
        .filter(|l| l.trim_start().starts_with("db0"))
        .collect();
    let at = list.iter().position(|l| l.contains("db005_demo_check"));
    assert!(
        at.is_some_and(|i| list[i - 1].contains("db004_") && list[i + 1].contains("db006_")),
        "{list:?}"
    );
}

#[test]
fn new_rule_refuses_bad_input_with_a_reason() {
    let Some(py) = python() else { return };
    let tmp = repo_copy();
    let root = tmp.path();
    for (args, says) in [
        (["WLS001", "some-name", "weblogic"], "exists already"),
        (["WLS21", "some-name", "weblogic"], "bad code"),
        (["wls099", "some-name", "weblogic"], "bad code"),
        (
            ["FE008", "some-name", "weblogic"],
            "does not belong to area",
        ),
        (["WLS099", "Some_Name", "weblogic"], "bad name"),
        (
            ["WLS099", "cluster-too-few-servers", "weblogic"],
            "is used already",
        ),
        (["WLS099", "some-name", "webtier"], "unknown area"),
    ] {
        let out = new_rule(&py, root, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(!root.join("rules/WLS099.yaml").exists());
    assert!(!root.join("src/rules/weblogic/wls099_some_name.rs").exists());
}

#[test]
fn new_rule_writes_fixtures_itself_where_gen_py_does_not() {
    let Some(py) = python() else { return };
    let tmp = repo_copy();
    let root = tmp.path();
    let gen_before = read(&root.join("tests/fixtures/rules/_gen/gen.py"));
    let out = new_rule(&py, root, &["AWS014", "demo-check", "aws"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trigger = read(&root.join("tests/fixtures/rules/AWS014/trigger.yaml"));
    assert!(trigger.starts_with("# AWS014 trigger: reports AWS014."));
    assert!(
        root.join("tests/fixtures/rules/AWS014/clean.yaml")
            .is_file()
    );
    assert_eq!(
        read(&root.join("tests/fixtures/rules/_gen/gen.py")),
        gen_before
    );
}
