//! `user-data`: the bootstrap script of the Oracle instance ([AWS-FSXN], Step 5).
//!
//! iSCSI initiator with a stable IQN (the iGroup maps it, so every replacement instance is
//! allowed in), discovery of the iSCSI endpoints of both FSx for ONTAP file servers,
//! dm-multipath, mounting the LUNs by file-system label, and Oracle started through a
//! systemd unit that also runs at every reboot. Idempotent; `set -euo pipefail`; every
//! failure stops the script with a message.

use std::fmt::Write as _;

use super::{DIR, Instance, aws_of, err, generated_by, instances, sh_quote};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

/// Where the CloudFormation template splices in the SVM ID (`Fn::GetAtt`).
pub(crate) const SVM_MARKER: &str = "@@MAA_SVM_ID@@";

use crate::resolve::aws_limits::XFS_LABEL_MAX;

/// The script for one instance. With `svm_marker`, the `SVM_ID` value is [`SVM_MARKER`]
/// (the template replaces it); without, it is empty and the script finds the SVM by name.
pub(crate) fn script(
    m: &Model,
    inst: &Instance<'_>,
    svm_marker: bool,
) -> Result<String, RenderError> {
    let aws = aws_of(m).ok_or_else(|| err("user-data", "the topology has no `aws` section"))?;
    let fsxn = inst.fsxn.ok_or_else(|| {
        err(
            "user-data",
            format!(
                "Auto Scaling group `{}`: no FSx for ONTAP file system to mount",
                inst.asg.name
            ),
        )
    })?;
    let sid = inst.oracle_sid().ok_or_else(|| {
        err(
            "user-data",
            format!(
                "Auto Scaling group `{}`: no database runs on host `{}`; set `database:`",
                inst.asg.name, inst.asg.host
            ),
        )
    })?;
    for l in &fsxn.luns {
        if l.name.as_str().len() > XFS_LABEL_MAX {
            return Err(err(
                "user-data",
                format!(
                    "LUN `{}`: the bootstrap mounts LUNs by XFS label, which is at most {XFS_LABEL_MAX} characters; shorten the name",
                    l.name
                ),
            ));
        }
    }
    let luns: Vec<String> = fsxn
        .luns
        .iter()
        .map(|l| sh_quote(&format!("{}:{}", l.name.as_str(), l.mount.as_str())))
        .collect();
    let svm_id = if svm_marker { SVM_MARKER } else { "" };
    let svm_query = format!(
        "StorageVirtualMachines[?Name=='{}' && Lifecycle=='CREATED'].StorageVirtualMachineId | [0]",
        fsxn.svm.as_str()
    );
    let min_endpoints = if fsxn.multipath.value { 2 } else { 1 };

    let mut s = String::new();
    let w = &mut s;
    // Writing to a String cannot fail.
    let _ = writeln!(w, "#!/bin/bash");
    let _ = writeln!(w, "# {}", generated_by(m));
    let _ = writeln!(w, "#");
    let _ = writeln!(
        w,
        "# Bootstrap of the Oracle instance of Auto Scaling group `{}` (launch template `{}`):",
        inst.asg.name, inst.lt.name
    );
    let _ = writeln!(
        w,
        "# iSCSI initiator -> both FSx for ONTAP iSCSI endpoints -> dm-multipath -> mount the LUNs"
    );
    let _ = writeln!(
        w,
        "# -> Oracle through systemd. Runs as EC2 user data at first boot and, installed as"
    );
    let _ = writeln!(
        w,
        "# /usr/local/sbin/maa-oracle-storage, at every boot. Safe to re-run; any failure stops it."
    );
    let _ = writeln!(w, "set -Eeuo pipefail");
    let _ = writeln!(w);
    let _ = writeln!(w, "REGION={}", sh_quote(aws.region.as_str()));
    let _ = writeln!(w, "SVM_ID={}", sh_quote(svm_id));
    let _ = writeln!(w, "SVM_QUERY={}", sh_quote(&svm_query));
    let _ = writeln!(
        w,
        "INITIATOR={}",
        sh_quote(&inst.initiator(m.topo.name.as_str()))
    );
    let _ = writeln!(
        w,
        "MULTIPATH={}",
        sh_quote(if fsxn.multipath.value { "yes" } else { "no" })
    );
    let _ = writeln!(w, "MIN_ENDPOINTS={min_endpoints}");
    let _ = writeln!(w, "ORACLE_HOME={}", sh_quote(inst.oracle_home()));
    let _ = writeln!(w, "ORACLE_SID={}", sh_quote(&sid));
    let _ = writeln!(w, "ORACLE_USER='oracle'");
    let _ = writeln!(w, "# LUNs as <XFS label>:<mount point>.");
    let _ = writeln!(w, "LUNS=({})", luns.join(" "));
    s.push_str(BODY);
    Ok(s)
}

/// The fixed part of the script: every value it uses is set (quoted) above.
const BODY: &str = r#"
SELF=/usr/local/sbin/maa-oracle-storage

log() { printf 'maa-oracle: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'log "FAILED at line $LINENO (exit $?)"' ERR

# Writes stdin to a file only when the content differs; prints "changed" when it did.
put() {
  local target=$1 tmp
  tmp=$(mktemp)
  cat > "$tmp"
  if [ -f "$target" ] && cmp -s "$tmp" "$target"; then
    rm -f "$tmp"
  else
    install -m "${2:-0644}" "$tmp" "$target"
    rm -f "$tmp"
    echo changed
  fi
}

configure_host() {
  local pkgs=(iscsi-initiator-utils device-mapper-multipath xfsprogs)
  if ! rpm -q "${pkgs[@]}" >/dev/null 2>&1; then
    log "installing ${pkgs[*]}"
    dnf -y -q install "${pkgs[@]}" || yum -y -q install "${pkgs[@]}"
  fi
  command -v aws >/dev/null || die "the AWS CLI is required to find the FSx for ONTAP iSCSI endpoints"

  # A stable initiator name: the iGroup on the SVM maps it, so replacements get in.
  if [ "$(printf 'InitiatorName=%s\n' "$INITIATOR" | put /etc/iscsi/initiatorname.iscsi)" = changed ]; then
    systemctl restart iscsid
  fi
  systemctl enable --now iscsid

  if [ "$MULTIPATH" = yes ]; then
    # ONTAP LUNs use the built-in NETAPP device defaults; never multipath the NVMe root disk.
    put /etc/multipath.conf >/dev/null <<'CONF'
defaults {
    user_friendly_names no
    find_multipaths no
}
blacklist {
    devnode "^nvme"
}
CONF
    systemctl enable --now multipathd
    systemctl reload multipathd
  fi
}

find_svm() {
  if [ -z "$SVM_ID" ]; then
    SVM_ID=$(aws fsx describe-storage-virtual-machines --region "$REGION" --query "$SVM_QUERY" --output text)
  fi
  if [ -z "$SVM_ID" ] || [ "$SVM_ID" = None ]; then
    die "storage virtual machine not found ($SVM_QUERY)"
  fi
}

attach_luns() {
  find_svm
  local endpoints ip
  mapfile -t endpoints < <(aws fsx describe-storage-virtual-machines --region "$REGION" \
    --storage-virtual-machine-ids "$SVM_ID" \
    --query 'StorageVirtualMachines[0].Endpoints.Iscsi.IpAddresses[]' --output text | tr -s '[:space:]' '\n' | sed '/^$/d')
  [ "${#endpoints[@]}" -ge "$MIN_ENDPOINTS" ] ||
    die "SVM $SVM_ID has ${#endpoints[@]} iSCSI endpoint(s); expected $MIN_ENDPOINTS (one per file server)"
  if [ "$MULTIPATH" != yes ]; then
    endpoints=("${endpoints[0]}")
  fi
  for ip in "${endpoints[@]}"; do
    log "iSCSI discovery on $ip:3260"
    iscsiadm --mode discovery --type sendtargets --portal "$ip:3260" >/dev/null
    iscsiadm --mode node --portal "$ip:3260" --op update -n node.startup -v automatic
    iscsiadm --mode node --portal "$ip:3260" --op update -n node.session.timeo.replacement_timeout -v 5
    if ! iscsiadm --mode session 2>/dev/null | grep -qF "$ip:3260"; then
      iscsiadm --mode node --portal "$ip:3260" --login
    fi
  done
  udevadm settle
}

mount_luns() {
  local spec label mnt dev kind attempt
  kind=disk
  [ "$MULTIPATH" = yes ] && kind=mpath
  for spec in "${LUNS[@]}"; do
    label=${spec%%:*}
    mnt=${spec#*:}
    if mountpoint -q "$mnt"; then
      log "$mnt already mounted"
      continue
    fi
    dev=""
    for attempt in $(seq 1 60); do
      dev=$(lsblk -rpno NAME,LABEL,TYPE | awk -v l="$label" -v k="$kind" '$2 == l && $3 == k { print $1; exit }')
      [ -n "$dev" ] && break
      log "waiting for the $kind device labelled $label ($attempt/60)"
      sleep 2
      udevadm settle
    done
    [ -n "$dev" ] || die "no $kind device with the XFS label $label: is the LUN mapped to $INITIATOR?"
    mkdir -p "$mnt"
    mount -o noatime "$dev" "$mnt"
    log "mounted $dev on $mnt"
  done
}

install_units() {
  local changed=""
  install -m 0755 "$0" "$SELF.new"
  mv -f "$SELF.new" "$SELF"
  changed+=$(put /etc/systemd/system/oracle-storage.service <<UNIT
[Unit]
Description=FSx for ONTAP iSCSI LUNs of Oracle $ORACLE_SID (generated by maa)
Wants=network-online.target
After=network-online.target iscsid.service multipathd.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$SELF storage

[Install]
WantedBy=multi-user.target
UNIT
)
  changed+=$(put /etc/systemd/system/oracle-db.service <<UNIT
[Unit]
Description=Oracle Database $ORACLE_SID (generated by maa)
Requires=oracle-storage.service
After=oracle-storage.service network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
User=$ORACLE_USER
Environment=ORACLE_HOME=$ORACLE_HOME ORACLE_SID=$ORACLE_SID
ExecStart=$ORACLE_HOME/bin/dbstart $ORACLE_HOME
ExecStop=$ORACLE_HOME/bin/dbshut $ORACLE_HOME
TimeoutStartSec=900
TimeoutStopSec=600

[Install]
WantedBy=multi-user.target
UNIT
)
  if [ -n "$changed" ]; then
    systemctl daemon-reload
  fi
  systemctl enable oracle-storage.service oracle-db.service
}

register_oratab() {
  grep -q "^$ORACLE_SID:" /etc/oratab 2>/dev/null ||
    printf '%s:%s:Y\n' "$ORACLE_SID" "$ORACLE_HOME" >> /etc/oratab
  sed -i "s|^$ORACLE_SID:.*|$ORACLE_SID:$ORACLE_HOME:Y|" /etc/oratab
}

start_oracle() {
  [ -x "$ORACLE_HOME/bin/dbstart" ] || die "$ORACLE_HOME/bin/dbstart not found: is the Oracle home LUN mounted?"
  register_oratab
  systemctl start oracle-db.service
  local attempt
  for attempt in $(seq 1 60); do
    if pgrep -f "^ora_pmon_$ORACLE_SID\$" >/dev/null; then
      log "Oracle $ORACLE_SID is up"
      return 0
    fi
    log "waiting for Oracle $ORACLE_SID ($attempt/60)"
    sleep 5
  done
  die "Oracle $ORACLE_SID did not start; see journalctl -u oracle-db.service"
}

case "${1:-bootstrap}" in
  storage)
    attach_luns
    mount_luns
    ;;
  bootstrap)
    configure_host
    install_units
    systemctl start oracle-storage.service
    start_oracle
    ;;
  *)
    die "usage: $0 [bootstrap|storage]"
    ;;
esac
"#;

pub(super) fn render(m: &Model) -> Result<Vec<Artifact>, RenderError> {
    let Some(aws) = aws_of(m) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for inst in instances(m, aws, "user-data")? {
        let text = script(m, &inst, false)?;
        out.push(Artifact::new(format!("{DIR}/user-data/{}.sh", inst.lt.name), text).executable());
    }
    Ok(out)
}
