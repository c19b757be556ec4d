//! CLI009: a client relies on an HA feature its driver (or driver version) lacks.
//!
//! Only what Oracle documents is claimed: FAN-integrated JDBC thin from 12.2 ([DB-HA]
//! "About Fast Application Notification (FAN)"); Application Continuity for Java from 12.1
//! ([DB-HA], closing notes: "Beginning with Oracle Database 12c Release 1 (12.1) … Application
//! Continuity for Java"); python-oracledb thin mode without FAN or AC/TAC (python-oracledb
//! documentation, "Appendix A: Oracle Database Features Supported by python-oracledb").
//! A client without a `version` is not judged on versions.

use crate::model::{Client, Continuity, Driver, version_at_least};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI009.yaml"), check);

/// The features the client relies on that its driver lacks, each with the reason.
fn gaps(c: &Client) -> Vec<(&'static str, String, miette::SourceSpan)> {
    let mut out = Vec::new();
    let fan = c.fan.value || c.fcf.value;
    let fan_span = if c.fan.value { c.fan.span } else { c.fcf.span };
    let version = c.version.as_ref().map(|v| v.value.as_str());
    match c.driver.value {
        Driver::PythonThin => {
            if fan {
                out.push(("FAN", "python-oracledb thin mode does not support FAN (thick mode does)".to_owned(), fan_span));
            }
            if c.continuity.value != Continuity::None {
                out.push(("Application Continuity", "python-oracledb thin mode supports neither Application Continuity nor TAC (thick mode does)".to_owned(), c.continuity.span));
            }
        }
        Driver::JdbcThin => {
            if fan && let Some(v) = version.filter(|v| !version_at_least(v, &[12, 2])) {
                out.push(("FAN", format!("JDBC thin `{v}` is older than 12.2, the first FAN-integrated thin driver"), fan_span));
            }
        }
        _ => {}
    }
    let java = matches!(
        c.driver.value,
        Driver::JdbcThin | Driver::JdbcOci | Driver::Ucp | Driver::Weblogic
    );
    if java
        && c.continuity.value != Continuity::None
        && let Some(v) = version.filter(|v| !version_at_least(v, &[12, 1]))
    {
        out.push(("Application Continuity", format!("JDBC `{v}` is older than 12.1, the first release with Application Continuity for Java"), c.continuity.span));
    }
    out
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.clients {
        for (feature, why, span) in gaps(c) {
            let f = cx.finding(
                span,
                path::client(&c.name),
                format!("client `{}` relies on {feature}, but {why}: the feature is silently absent", c.name),
            )
            .with_extra(c.driver.span, "driver");
            cx.push(f.with_label(format!("{feature} unsupported")));
        }
    }
}
