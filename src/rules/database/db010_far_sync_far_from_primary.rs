//! DB010: a far sync instance placed far from the primary, or inside the primary's failure
//! domain.
//!
//! A far sync gives zero-data-loss failover to a remote standby only if it outlives the
//! failure that takes the primary (it holds the last redo the standby has not yet received)
//! and is close enough for SYNC transport. MAA places it in a separate failure domain near
//! the primary: a zone (availability zone, data centre) of the primary's site whose failure
//! does not also stop the primary, or a nearby site joined by a MAN link.
//!
//! Only the far syncs the current primary ships to are judged: those a standby's `far_sync`
//! names and their alternates. A far sync near a standby that nothing references is there for
//! after a role reversal (the new primary ships to it), and is near the right database then.

use std::collections::BTreeSet;

use crate::model::{DataGuard, LinkKind};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB010.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        let Some(primary) = util::database(m, g.primary.as_str()) else {
            continue;
        };
        let psites = util::db_sites(m, primary);
        let Some(psite) = psites.iter().next().copied() else {
            continue;
        };
        let phosts: BTreeSet<&str> = primary.instances.iter().map(|i| i.host.as_str()).collect();
        // The zone every primary instance is in, when they share one.
        let pzones: BTreeSet<Option<&str>> = primary
            .instances
            .iter()
            .map(|i| {
                m.index
                    .placement(i.host.as_str())
                    .and_then(|p| p.zone.as_deref())
            })
            .collect();
        let pzone = match pzones.into_iter().collect::<Vec<_>>().as_slice() {
            [Some(z)] => Some(*z),
            _ => None,
        };
        let shipped_to = shipped_to(g);
        for fs in g
            .far_syncs
            .iter()
            .filter(|fs| shipped_to.contains(fs.name.as_str()))
        {
            let Some(place) = m.index.placement(fs.host.as_str()) else {
                continue;
            };
            let site = place.site.as_str();
            let (why, label) = if phosts.contains(fs.host.as_str()) {
                (
                    format!("it runs on `{}`, a host of the primary: the host failure that stops the primary takes the far sync too, with the redo the standbys have not received yet", fs.host),
                    "on the primary's host",
                )
            } else if psites.contains(site) {
                match place.zone.as_deref() {
                    Some(z) if Some(z) == pzone => (
                        format!("it is in zone `{z}`, where every instance of the primary runs: a failure of that zone stops the primary and takes the far sync too, with the redo the standbys have not received yet"),
                        "in the primary's zone",
                    ),
                    Some(_) => continue, // another zone of the primary's site: separate, near
                    None => (
                        format!("its host `{}` is in the primary's site `{site}` but in no zone: nothing but the host separates it from the primary", fs.host),
                        "no failure domain of its own",
                    ),
                }
            } else {
                match util::link_kind(m, psite, site) {
                    Some(LinkKind::Man) => continue,
                    Some(LinkKind::Wan) => (
                        format!("site `{site}` is a WAN away from the primary's site `{psite}`: SYNC redo to it slows every commit"),
                        "far from the primary",
                    ),
                    None => (
                        format!("site `{site}` has no declared MAN link to the primary's site `{psite}`: SYNC redo to it slows every commit"),
                        "far from the primary",
                    ),
                }
            };
            let f = cx.finding(
                fs.host.span,
                path::far_sync(g.name.as_str(), &fs.name),
                format!(
                    "far sync `{}` of primary `{}` is misplaced: {why}",
                    fs.name, primary.name
                ),
            );
            cx.push(f.with_label(label));
        }
    }
}

/// The far syncs the current primary ships redo to: those named by a standby's `far_sync`,
/// and (transitively) their alternates.
fn shipped_to(g: &DataGuard) -> BTreeSet<&str> {
    let mut set: BTreeSet<&str> = g
        .standbys
        .iter()
        .filter_map(|s| s.far_sync.as_ref().map(|f| f.as_str()))
        .collect();
    let mut todo: Vec<&str> = set.iter().copied().collect();
    while let Some(name) = todo.pop() {
        let alternates = g
            .far_syncs
            .iter()
            .filter(|fs| fs.name.as_str() == name)
            .filter_map(|fs| fs.alternate.as_ref().map(|a| a.as_str()));
        for a in alternates {
            if set.insert(a) {
                todo.push(a);
            }
        }
    }
    set
}
