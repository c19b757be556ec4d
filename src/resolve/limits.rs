//! Load-time checks for values that a rendered Oracle artifact cannot represent.
//!
//! Names are already restricted by the `Name` pattern; these checks cover the values the
//! targets write in units coarser than the model's milliseconds (`RETRY_DELAY`, srvctl
//! and DGMGRL seconds, `mod_wl_ohs` `*Secs`) and free-text fields that are written into
//! artifacts. They run in the resolver, so `maa check` reports them with their span
//! before anything is rendered (the renderers in `crate::render::oracle` rely on them).

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::model::{ConnectOptions, Duration, FastStartFailover, ProtectionMode, Sp, Topology};

fn whole_seconds(
    d: &Sp<Duration>,
    what: &str,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    if !d.value.as_millis().is_multiple_of(1000) {
        errors.push(
            Diagnostic::error(
                Code::LoadInvalidValue,
                file,
                d.span,
                format!(
                    "{what} is written in whole seconds, but `{}` is not",
                    d.value
                ),
            )
            .with_label("not a whole number of seconds")
            .with_help(format!(
                "round it to whole seconds, e.g. `{}s`",
                d.value.as_secs_ceil()
            )),
        );
    }
}

fn opt_whole_seconds(
    d: &Option<Sp<Duration>>,
    what: &str,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(d) = d {
        whole_seconds(d, what, file, errors);
    }
}

fn connect(o: &ConnectOptions, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    whole_seconds(
        &o.retry_delay,
        "`retry_delay` (tnsnames.ora RETRY_DELAY)",
        file,
        errors,
    );
}

/// Free text written into WLST strings must be printable: a JNDI name, URL or directory
/// with a line break or control character is a mistake, even though it could be escaped.
fn printable(
    s: &Option<Sp<String>>,
    what: &str,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(s) = s
        && (s.value.chars().any(char::is_control) || s.value.trim().is_empty())
    {
        errors.push(
            Diagnostic::error(
                Code::LoadInvalidValue,
                file,
                s.span,
                format!("{what} must be one line of printable text"),
            )
            .with_label("empty, or contains a line break or control character")
            .with_help("remove the line breaks and control characters"),
        );
    }
}

/// Reports every value the Oracle render targets cannot represent.
pub fn check(t: &Topology, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    for db in &t.databases {
        for s in &db.services {
            opt_whole_seconds(
                &s.drain_timeout,
                "`drain_timeout` (srvctl -drain_timeout)",
                file,
                errors,
            );
            opt_whole_seconds(
                &s.replay_init_time,
                "`replay_init_time` (srvctl -replay_init_time)",
                file,
                errors,
            );
            opt_whole_seconds(
                &s.failover_delay,
                "`failover_delay` (srvctl -failoverdelay)",
                file,
                errors,
            );
            opt_whole_seconds(
                &s.retention,
                "`retention` (srvctl -retention)",
                file,
                errors,
            );
            if let Some(c) = &s.connect {
                connect(c, file, errors);
            }
        }
    }
    for c in &t.clients {
        connect(&c.connect, file, errors);
        if let Some(taf) = &c.taf {
            whole_seconds(
                &taf.delay,
                "TAF `delay` (FAILOVER_MODE DELAY)",
                file,
                errors,
            );
        }
    }
    for g in &t.data_guard {
        if let Some(f) = &g.fast_start_failover {
            whole_seconds(
                &f.threshold,
                "`threshold` (FastStartFailoverThreshold)",
                file,
                errors,
            );
            whole_seconds(
                &f.lag_limit,
                "`lag_limit` (FastStartFailoverLagLimit)",
                file,
                errors,
            );
            fsfo_limits(f, g.protection_mode.value, file, errors);
        }
    }
    ports(t, file, errors);
    for o in &t.ohs {
        for r in &o.routes {
            opt_whole_seconds(
                &r.io_timeout,
                "`io_timeout` (WLIOTimeoutSecs)",
                file,
                errors,
            );
            opt_whole_seconds(
                &r.connect_timeout,
                "`connect_timeout` (ConnectTimeoutSecs)",
                file,
                errors,
            );
            opt_whole_seconds(
                &r.connect_retry,
                "`connect_retry` (ConnectRetrySecs)",
                file,
                errors,
            );
        }
    }
    for d in &t.domains {
        for ds in &d.data_sources {
            printable(&ds.jndi_name, "a data source's `jndi_name`", file, errors);
            printable(&ds.url, "a data source's `url`", file, errors);
        }
        for s in &d.stores {
            printable(&s.directory, "a store's `directory`", file, errors);
        }
    }
}

/// Largest value of a broker property of datatype Integer, in seconds. Assumption: the
/// broker documentation gives the type and the lower bounds, not an upper bound; a
/// signed 32-bit integer is the bound assumed here.
const BROKER_INTEGER_MAX: u64 = 2_147_483_647;

/// Reports `d` (at `at`) with the broker's limit `limit` in the message.
fn broker_refuses(
    at: &Sp<Duration>,
    what: &str,
    limit: &str,
    help: &str,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    errors.push(
        Diagnostic::error(
            Code::LoadInvalidValue,
            file,
            at.span,
            format!(
                "{what} `{}` is refused by the Data Guard broker: {limit}",
                at.value
            ),
        )
        .with_label("outside the broker's range")
        .with_help(help.to_owned()),
    );
}

/// Fast-start failover values the Data Guard broker accepts (Oracle Data Guard Broker,
/// "FastStartFailoverThreshold": at least 6 seconds; "FastStartFailoverLagLimit": at least
/// 5 seconds, and ORA-16903: non-zero in maximum performance, zero in maximum protection,
/// where the renderer leaves it out).
fn fsfo_limits(
    f: &FastStartFailover,
    mode: ProtectionMode,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    let threshold = f.threshold.value.as_secs_ceil();
    if threshold < 6 {
        broker_refuses(
            &f.threshold,
            "`threshold` (FastStartFailoverThreshold)",
            "it must be at least 6 seconds",
            "set `threshold` to 6s or more (30s is the broker default)",
            file,
            errors,
        );
    } else if threshold > BROKER_INTEGER_MAX {
        broker_refuses(
            &f.threshold,
            "`threshold` (FastStartFailoverThreshold)",
            &format!(
                "it is an integer number of seconds, at most {BROKER_INTEGER_MAX} (assumption: a signed 32-bit integer)"
            ),
            "set a threshold of seconds to minutes",
            file,
            errors,
        );
    }
    let lag = f.lag_limit.value.as_secs_ceil();
    let what = "`lag_limit` (FastStartFailoverLagLimit)";
    match mode {
        ProtectionMode::MaxProtection => {}
        ProtectionMode::MaxPerformance if lag < 5 => broker_refuses(
            &f.lag_limit,
            what,
            "in maximum performance it must be at least 5 seconds (ORA-16903: it must be non-zero)",
            "set `lag_limit` to 5s or more (30s is the broker default in maximum performance)",
            file,
            errors,
        ),
        ProtectionMode::MaxAvailability if lag != 0 && lag < 5 => broker_refuses(
            &f.lag_limit,
            what,
            "it is 0 (zero data loss) or at least 5 seconds",
            "set `lag_limit` to 0s for zero data loss, or to 5s or more",
            file,
            errors,
        ),
        _ if lag > BROKER_INTEGER_MAX => broker_refuses(
            &f.lag_limit,
            what,
            &format!(
                "it is an integer number of seconds, at most {BROKER_INTEGER_MAX} (assumption: a signed 32-bit integer)"
            ),
            "set a lag limit of seconds to minutes",
            file,
            errors,
        ),
        _ => {}
    }
}

/// Every listen port is a TCP port, 1 to 65535: port 0 asks the system for any free port,
/// which no client or load balancer could be configured with.
fn ports(t: &Topology, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    let mut all: Vec<&Sp<u16>> = Vec::new();
    for db in &t.databases {
        all.push(&db.port);
        all.extend(db.scan.as_ref().map(|s| &s.port));
    }
    all.extend(t.cman.iter().map(|c| &c.port));
    all.extend(t.ohs.iter().map(|o| &o.port));
    all.extend(
        t.load_balancers
            .iter()
            .flat_map(|l| &l.listeners)
            .map(|l| &l.port),
    );
    for d in &t.domains {
        all.push(&d.admin_server.port);
        all.push(&d.node_manager.port);
        for c in &d.clusters {
            all.extend(c.servers.iter().map(|s| &s.port));
            all.extend(c.dynamic.as_ref().map(|dy| &dy.port));
        }
    }
    for p in all.into_iter().filter(|p| p.value == 0) {
        errors.push(
            Diagnostic::error(
                Code::LoadInvalidValue,
                file,
                p.span,
                "port 0 is not a listen port",
            )
            .with_label("TCP ports are 1 to 65535")
            .with_help("write the port the process listens on"),
        );
    }
}
