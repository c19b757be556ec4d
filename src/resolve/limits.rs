//! Load-time checks for values that a rendered Oracle artifact cannot represent.
//!
//! Names are already restricted by the `Name` pattern; these checks cover the values the
//! targets write in units coarser than the model's milliseconds (`RETRY_DELAY`, srvctl
//! and DGMGRL seconds, `mod_wl_ohs` `*Secs`) and free-text fields that are written into
//! artifacts. They run in the resolver, so `maa check` reports them with their span
//! before anything is rendered (the renderers in `crate::render::oracle` rely on them).

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::model::{ConnectOptions, Duration, Sp, Topology};

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
        }
    }
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
