//! WLS022: application artifacts on storage some node of the domain cannot reach.

use crate::model::{ArtifactLayout, Domain, Storage, StorageKind};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS022.yaml"), check);

/// The hosts that run the domain's servers (Admin Server and managed servers), in order.
fn domain_hosts<'m>(cx: &Ctx<'m>, d: &'m Domain) -> Vec<&'m str> {
    let m = cx.model();
    let mut hosts = vec![d.admin_server.host.as_str()];
    for c in &d.clusters {
        for s in m.index.servers_of(c.name.as_str()) {
            hosts.push(s.host.as_str());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    hosts.retain(|h| seen.insert(*h));
    hosts
}

/// Why `host` cannot mount `st`, if it cannot.
fn unreachable(cx: &Ctx<'_>, st: &Storage, host: &str) -> Option<String> {
    let local = st.kind.value == StorageKind::Local || !st.shared.value;
    if local {
        let owner = st.host.as_ref().map(|h| h.as_str());
        return (owner != Some(host)).then(|| match owner {
            Some(o) => format!("it is local to host `{o}`"),
            None => "it is not shared".to_owned(),
        });
    }
    let site = cx.model().index.site_of(host)?;
    (site != st.site.as_str()).then(|| format!("it is in site `{}` and the host in site `{site}`", st.site))
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        // A replica made from `replicas:` reads its artifacts from the standby site's own
        // copy (replicated storage), which the host mapping does not name: not judged here.
        if d.replica_site.is_some() {
            continue;
        }
        let Some(a) = d.artifacts.as_ref() else { continue };
        if a.layout.value != ArtifactLayout::Shared {
            continue;
        }
        let Some(name) = &a.storage else { continue };
        let Some(st) = m.topo.storage.iter().find(|s| s.name.as_str() == name.as_str()) else {
            continue;
        };
        let out: Vec<(&str, String)> = domain_hosts(cx, d)
            .into_iter()
            .filter_map(|h| unreachable(cx, st, h).map(|why| (h, why)))
            .collect();
        let Some((_, why)) = out.first() else { continue };
        let hosts: Vec<String> = out.iter().map(|(h, _)| format!("`{h}`")).collect();
        let f = cx.finding(
            name.span,
            path::domain(&d.name),
            format!("the application artifacts of domain `{}` are on storage `{name}`, which host{} {} cannot mount ({why}): a server there cannot deploy or restart its applications", d.name, if hosts.len() == 1 { "" } else { "s" }, hosts.join(", ")),
        );
        cx.push(f.with_label("not reachable from every node"));
    }
}
