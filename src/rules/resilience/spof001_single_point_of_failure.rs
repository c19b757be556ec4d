//! SPOF001: a single failure event takes a service down.

use crate::analysis::{Analysis, Spof};
use crate::diagnostic::Severity;
use crate::graph::{EventClass, Gate, Kind, NodeId};
use crate::model::Architecture;
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
    let help = help(a, s, m, &what);
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
    } else if ev.event == Some(EventClass::Site)
        && m.topo.architecture.value == crate::model::Architecture::SingleSite
        && let Some(help) = d.help.as_mut()
    {
        // A single-site design may accept losing its site: then the `site` objective is
        // what makes this an error, and removing it is a legitimate fix.
        help.push_str("; or, if this single-site design accepts losing the whole site, remove the `site` objective (the finding becomes information)");
    }
    let _ = Kind::App;
    d
}

/// The help line: which object lacks redundancy against the event, and at which level.
fn help(a: &Analysis, s: &Spof, m: &Model, what: &str) -> String {
    let gr = &a.graph;
    let ev = &gr.g[s.event];
    let Some((g, collapsed)) = nearest_group(a, s) else {
        return no_redundancy(a, s, what);
    };
    if !collapsed {
        return shared_dependency(a, s, g, what);
    }
    // A group that stands for one node (a cluster's servers, a service's sites) is named
    // after that node.
    let named = gr.g[g].of.unwrap_or(g);
    let gname = &gr.g[named].name;
    let site_level = matches!(
        ev.event,
        Some(EventClass::Site | EventClass::Region | EventClass::Link)
    );
    // A group of instances stands for its database; the zones a storage system spans, for
    // that storage system.
    let kind = match gr.g[named].kind {
        Kind::Group if gr.g.neighbors(g).any(|n| gr.g[n].kind == Kind::Instance) => Kind::Database,
        Kind::Group
            if gr
                .g
                .neighbors_directed(g, petgraph::Direction::Incoming)
                .any(|n| gr.g[n].kind == Kind::Storage) =>
        {
            Kind::Storage
        }
        k => k,
    };
    if site_level && let Some((noun, elsewhere)) = site_local(kind, m) {
        return format!(
            "every member of `{gname}` depends on {what}, and {noun} serves one site: let another site take over ({elsewhere})"
        );
    }
    let domain = match ev.event {
        Some(EventClass::Component | EventClass::Host) => "host",
        Some(EventClass::Zone) => "zone",
        Some(EventClass::Site) => "site",
        Some(EventClass::Link) => {
            return format!(
                "every member of `{gname}` depends on {what}: declare independent network paths (`redundant: true`) or place a member on a different site"
            );
        }
        Some(EventClass::Region) => "region",
        Some(EventClass::Storage) => "storage system",
        None => "failure domain",
    };
    format!(
        "every member of `{gname}` depends on {what}: place a member on a different {domain} so one loss leaves one serving"
    )
}

/// The nearest redundancy group above the event, and whether it collapsed onto the failed
/// element: whether its member in the chain reaches the event through placement only
/// (host, zone, site, region). A group above a shared component (servers that all need one
/// database) did not collapse: that component lacks redundancy, not the group.
fn nearest_group(a: &Analysis, s: &Spof) -> Option<(NodeId, bool)> {
    let gr = &a.graph;
    let below_event = s.chain.len().checked_sub(1)?;
    let at = s.chain[..below_event].iter().rposition(|id| {
        matches!(gr.g[*id].gate, Gate::AtLeast(_)) && gr.g.neighbors(*id).count() >= 2
    })?;
    let placed = s.chain[at + 1..below_event]
        .iter()
        .skip(1)
        .all(|id| is_placement(gr.g[*id].kind));
    Some((s.chain[at], placed))
}

fn is_placement(kind: Kind) -> bool {
    matches!(kind, Kind::Host | Kind::Zone | Kind::Site | Kind::Region)
}

/// The help line when every member of group `g` fails with the event but not every member
/// runs there: they share a component that lacks redundancy. On a host that is the
/// component right above it in the chain; for a zone, site or region the chain may run
/// through a member that merely runs there, so the component is taken from the SPOF of a
/// host inside it, when there is one.
fn shared_dependency(a: &Analysis, s: &Spof, g: NodeId, what: &str) -> String {
    let gr = &a.graph;
    let ev = &gr.g[s.event];
    let named = gr.g[g].of.unwrap_or(g);
    let culprit = if matches!(ev.event, Some(EventClass::Host | EventClass::Component)) {
        lowest_component(a, &s.chain)
    } else {
        // Only a host SPOF whose chain leads to this group names its culprit (another host
        // SPOF in the zone may take down an observer or a GSM, not this group).
        a.spofs
            .iter()
            .filter(|o| gr.g[o.event].event == Some(EventClass::Host))
            .filter(|o| o.chain.contains(&g))
            .filter(|o| placed_within(a, o.event, s.event))
            .find_map(|o| lowest_component(a, &o.chain))
    };
    match culprit {
        Some(c) => format!(
            "`{}` has no redundancy and {what} takes it down (every member of `{}` needs it): add a second one outside {what}, or a failover mechanism",
            gr.g[c].id(),
            gr.g[named].name
        ),
        None => format!(
            "every member of `{}` fails with {what}, though not every member runs there: they share a component that does; `maa simulate --fail` on it shows which",
            gr.g[named].name
        ),
    }
}

/// The lowest element of a chain above its event that is not a failure domain.
fn lowest_component(a: &Analysis, chain: &[NodeId]) -> Option<NodeId> {
    chain
        .iter()
        .rev()
        .skip(1)
        .find(|id| !is_placement(a.graph.g[**id].kind))
        .copied()
}

/// Whether host `host` lies inside failure domain `domain` (its zone, site or region).
fn placed_within(a: &Analysis, host: NodeId, domain: NodeId) -> bool {
    let g = &a.graph.g;
    let mut level = vec![host];
    // host → zone → site → region: at most three steps up.
    for _ in 0..3 {
        level = level
            .iter()
            .flat_map(|n| g.neighbors(*n))
            .filter(|n| matches!(g[*n].kind, Kind::Zone | Kind::Site | Kind::Region))
            .collect();
        if level.contains(&domain) {
            return true;
        }
    }
    false
}

/// For a kind of group that serves one site: what it is, and what takes over from another
/// site.
fn site_local(kind: Kind, m: &Model) -> Option<(&'static str, &'static str)> {
    let stretch = m.topo.architecture.value == Architecture::Stretch;
    match kind {
        Kind::Lb => Some((
            "a local load balancer",
            "a load balancer of another site behind the global load balancer",
        )),
        Kind::Storage => Some((
            "a storage system",
            "replicate it to a peer storage system in another site (`replication`), with a domain there that opens the stores it holds",
        )),
        Kind::Fsxn | Kind::FileServer => Some((
            "an FSx for ONTAP file system",
            "a Data Guard standby in another site",
        )),
        Kind::Database => Some(("a database", "a Data Guard standby in another site")),
        Kind::Cluster if !stretch => Some((
            "a WebLogic cluster outside a stretch architecture",
            "a passive or active domain in another site behind the global load balancer",
        )),
        Kind::Coherence if !stretch => Some((
            "a Coherence cluster outside a stretch architecture",
            "a Coherence cluster in another site, with federated caching",
        )),
        _ => None,
    }
}

/// The help line when no redundancy collapsed: the element right above the event has none.
fn no_redundancy(a: &Analysis, s: &Spof, what: &str) -> String {
    let gr = &a.graph;
    let ev = &gr.g[s.event];
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
