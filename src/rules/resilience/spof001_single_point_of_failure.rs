//! SPOF001: a single failure event takes a service down.

use crate::analysis::{Analysis, Spof};
use crate::diagnostic::Severity;
use crate::graph::{EventClass, Gate, Kind};
use crate::resolve::Model;
use crate::rules::{Ctx, Rule};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/SPOF001.yaml"), check);

/// At most this many services are named in a message.
const NAMED_APPS: usize = 5;

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let a = cx.analysis();
    for s in a.spofs.iter().filter(|s| s.matters) {
        let d = finding(a, s, m, cx);
        cx.push(d);
    }
}

fn finding(a: &Analysis, s: &Spof, m: &Model, cx: &Ctx<'_>) -> crate::diagnostic::Diagnostic {
    let gr = &a.graph;
    let ev = &gr.g[s.event];
    let apps: Vec<String> = s
        .apps
        .iter()
        .map(|x| format!("`{}`", gr.g[*x].id()))
        .collect();
    let named = if apps.len() > NAMED_APPS {
        format!(
            "{} and {} more",
            apps[..NAMED_APPS].join(", "),
            apps.len() - NAMED_APPS
        )
    } else {
        apps.join(", ")
    };
    let what = match ev.event {
        Some(EventClass::Component) => format!("{} `{}`", ev.kind.as_str(), ev.name),
        Some(c) => format!("{} `{}`", c.as_str(), ev.name),
        None => format!("`{}`", ev.id()),
    };
    let folded: Vec<String> = s
        .folded
        .iter()
        .map(|f| format!("{} `{}`", gr.g[*f].kind.as_str(), gr.g[*f].name))
        .collect();
    let on_it = if folded.is_empty() {
        String::new()
    } else {
        format!(" (with {} on it)", folded.join(", "))
    };
    let message = format!(
        "{what}{on_it} is a single point of failure: losing it takes down {} service(s): {named}; chain: {}",
        s.apps.len(),
        a.chain_text(&s.chain)
    );
    // The redundancy that collapsed: the nearest group above the event in the chain.
    let group = s.chain.iter().rev().skip(1).find(|id| {
        matches!(gr.g[**id].gate, Gate::AtLeast(_)) && gr.g.neighbors(**id).count() >= 2
    });
    let help = match group {
        Some(g) => {
            // A group that stands for one node (a cluster's servers, a service's sites) is
            // named after that node.
            let gname = gr.g[*g].of.map_or(&gr.g[*g].name, |o| &gr.g[o].name);
            let domain = match ev.event {
                Some(EventClass::Component) | Some(EventClass::Host) => "host",
                Some(EventClass::Zone) => "zone",
                Some(EventClass::Site) | Some(EventClass::Link) => "site",
                Some(EventClass::Region) => "region",
                Some(EventClass::Storage) => "storage system",
                None => "failure domain",
            };
            format!(
                "every member of `{gname}` depends on {what}: place a member on a different {domain} so one loss leaves one serving"
            )
        }
        None => {
            let parent = s
                .chain
                .iter()
                .rev()
                .nth(1)
                .map(|p| gr.g[*p].id())
                .unwrap_or_default();
            match ev.event {
                Some(EventClass::Site) | Some(EventClass::Region) => format!(
                    "nothing outside {what} can take over: add a standby {} (Data Guard standby, passive or active middle tier, global load balancer)",
                    if ev.event == Some(EventClass::Site) {
                        "site"
                    } else {
                        "region"
                    }
                ),
                Some(EventClass::Link) => format!(
                    "`{parent}` reaches across {what}: declare independent network paths (`redundant: true`) or keep the dependency inside one site"
                ),
                Some(EventClass::Storage) => format!(
                    "`{parent}` has one copy on {what}: use storage spanning two zones, replication to a peer, or a Multi-AZ deployment"
                ),
                _ => format!(
                    "`{parent}` has no redundancy for {what}: add a second one on another host (and zone), or a failover mechanism"
                ),
            }
        }
    };
    let span = if !ev.span.is_empty() || ev.span.offset() > 0 {
        ev.span
    } else {
        s.chain
            .iter()
            .rev()
            .map(|c| gr.g[*c].span)
            .find(|sp| !sp.is_empty())
            .unwrap_or(m.topo.name.span)
    };
    let mut d = cx
        .finding(span, ev.object.clone(), message)
        .with_label("single point of failure")
        .with_help(help);
    if let Some(app) = s.apps.first() {
        let an = &gr.g[*app];
        if an.span != span && !an.span.is_empty() {
            d = d.with_extra(an.span, format!("service `{}` depends on it", an.id()));
        }
    }
    if ev.event == Some(EventClass::Site) && !gr.sites_matter {
        d.severity = Severity::Info;
        d.message
            .push_str(" (single-site topology without a `site` objective)");
    }
    let _ = Kind::App;
    d
}
