//! Runs the generated user-data script's `storage` phase (iSCSI discovery and login to the
//! FSx for ONTAP endpoints, multipath devices, mounts) against stub commands on `PATH`, to
//! show what the issue asks of it: it logs in to both endpoints, mounts every LUN by label,
//! is idempotent (a second run changes nothing) and fails loudly.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Stub commands: they record their calls and keep iSCSI sessions and mounts as files in $STATE.
const STUBS: &[(&str, &str)] = &[
    (
        "aws",
        r#"echo "aws $*" >> "$STATE/calls"
case "$*" in
  *--storage-virtual-machine-ids*) printf '%b\n' "$ENDPOINTS" ;;
  *) echo svm-0123456789abcdef0 ;;
esac"#,
    ),
    (
        "iscsiadm",
        r#"echo "iscsiadm $*" >> "$STATE/calls"
portal=""
prev=""
for a in "$@"; do
  [ "$prev" = --portal ] && portal=$a
  prev=$a
done
case "$*" in
  *"--mode session"*) [ -s "$STATE/sessions" ] && cat "$STATE/sessions"; exit 0 ;;
  *--login*) echo "tcp: [1] $portal,1030 iqn.1992-08.com.netapp:sn.x (non-flash)" >> "$STATE/sessions" ;;
esac
exit 0"#,
    ),
    ("udevadm", "exit 0"),
    ("sleep", "exit 0"),
    ("mkdir", r#"echo "mkdir $*" >> "$STATE/calls""#),
    (
        "lsblk",
        r#"[ -s "$STATE/sessions" ] || exit 0
n=0
for l in $LABELS; do
  n=$((n + 1))
  echo "/dev/sd$n $l disk"
  echo "/dev/mapper/3600a098038303053$n $l mpath"
done"#,
    ),
    (
        "mountpoint",
        r#"[ -f "$STATE/mounts" ] && grep -qx "${*: -1}" "$STATE/mounts""#,
    ),
    (
        "mount",
        r#"echo "mount $*" >> "$STATE/calls"
echo "${*: -1}" >> "$STATE/mounts""#,
    ),
];

struct Sandbox {
    _dir: tempfile::TempDir,
    stubs: PathBuf,
    state: PathBuf,
    script: PathBuf,
}

fn sandbox() -> Sandbox {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let (stubs, state) = (dir.path().join("bin"), dir.path().join("state"));
    for d in [&stubs, &state] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
    }
    for (name, body) in STUBS {
        let p = stubs.join(name);
        std::fs::write(&p, format!("#!/bin/bash\n{body}\n")).unwrap_or_else(|e| panic!("{e}"));
        make_executable(&p);
    }
    let reference = common::root().join("topologies/aws-fsxn-asg.yaml");
    let model = maa::resolve::load_model(&reference, "aws-fsxn-asg.yaml")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let arts = maa::render::render(&model, &["user-data"]).unwrap_or_else(|e| panic!("{e}"));
    let script = dir.path().join("user-data.sh");
    let text = arts.first().map(|a| a.content.clone()).unwrap_or_default();
    std::fs::write(&script, text).unwrap_or_else(|e| panic!("{e}"));
    Sandbox {
        _dir: dir,
        stubs,
        state,
        script,
    }
}

#[cfg(unix)]
fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
}
#[cfg(not(unix))]
fn make_executable(_: &Path) {}

impl Sandbox {
    fn run(&self, endpoints: &str, labels: &str) -> Output {
        let path = format!("{}:/usr/bin:/bin", self.stubs.display());
        Command::new("bash")
            .arg(&self.script)
            .arg("storage")
            .env("PATH", path)
            .env("STATE", &self.state)
            .env("ENDPOINTS", endpoints)
            .env("LABELS", labels)
            .output()
            .unwrap_or_else(|e| panic!("bash: {e}"))
    }
    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.state.join("calls"))
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }
    fn reset_calls(&self) {
        let _ = std::fs::remove_file(self.state.join("calls"));
    }
}

const BOTH: &str = "10.0.1.10\\t10.0.2.10";
const LABELS: &str = "orahome oradata orareco";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn logs_in_to_both_endpoints_and_mounts_every_lun_on_its_multipath_device() {
    if !cfg!(unix) {
        return;
    }
    let sb = sandbox();
    let out = sb.run(BOTH, LABELS);
    assert!(
        out.status.success(),
        "storage phase failed:\n{}",
        stderr(&out)
    );
    let calls = sb.calls();
    let logins: Vec<&String> = calls.iter().filter(|c| c.contains("--login")).collect();
    assert_eq!(
        logins.len(),
        2,
        "one login per FSx for ONTAP endpoint: {calls:#?}"
    );
    assert!(
        logins.iter().any(|c| c.contains("10.0.1.10:3260"))
            && logins.iter().any(|c| c.contains("10.0.2.10:3260"))
    );
    assert!(
        calls.iter().any(
            |c| c.starts_with("aws fsx describe-storage-virtual-machines")
                && c.contains("Name=='oracle'")
        ),
        "{calls:#?}"
    );
    let mounts: Vec<&String> = calls.iter().filter(|c| c.starts_with("mount ")).collect();
    assert_eq!(
        mounts,
        [
            "mount -o noatime /dev/mapper/3600a0980383030531 /u01",
            "mount -o noatime /dev/mapper/3600a0980383030532 /u02",
            "mount -o noatime /dev/mapper/3600a0980383030533 /u03"
        ],
        "each LUN on its multipath device (never a single path /dev/sdX)"
    );
}

#[test]
fn a_second_run_changes_nothing() {
    if !cfg!(unix) {
        return;
    }
    let sb = sandbox();
    assert!(sb.run(BOTH, LABELS).status.success());
    sb.reset_calls();
    let again = sb.run(BOTH, LABELS);
    assert!(again.status.success(), "{}", stderr(&again));
    let calls = sb.calls();
    assert!(
        !calls
            .iter()
            .any(|c| c.contains("--login") || c.starts_with("mount ") || c.starts_with("mkdir ")),
        "re-run repeated work: {calls:#?}"
    );
    assert!(stderr(&again).contains("/u02 already mounted"));
}

#[test]
fn fails_loudly_with_one_endpoint_or_a_missing_lun() {
    if !cfg!(unix) {
        return;
    }
    let sb = sandbox();
    let one = sb.run("10.0.1.10", LABELS);
    assert_eq!(one.status.code(), Some(1), "{}", stderr(&one));
    assert!(
        stderr(&one).contains("has 1 iSCSI endpoint(s); expected 2"),
        "{}",
        stderr(&one)
    );
    assert!(
        !sb.calls().iter().any(|c| c.contains("--login")),
        "no login before the endpoint check"
    );

    let sb = sandbox();
    let missing = sb.run(BOTH, "orahome oradata");
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("no mpath device with the XFS label orareco"),
        "{}",
        stderr(&missing)
    );

    let sb = sandbox();
    let none = sb.run("", LABELS);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("expected 2"), "{}", stderr(&none));
}
