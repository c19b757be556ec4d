//! WLS025: a singleton service whose persistent store is targeted to another cluster.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS025.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        for s in &d.singletons {
            let Some(store) = s
                .store
                .as_ref()
                .and_then(|n| d.stores.iter().find(|x| x.name.as_str() == n.as_str()))
            else {
                continue; // no store, or an unresolved name the resolver reports
            };
            if store.cluster.as_str() == s.cluster.as_str() {
                continue;
            }
            let f = cx.finding(
                s.store.as_ref().map_or(s.name.span, |n| n.span),
                path::singleton(&d.name, &s.name),
                format!(
                    "singleton `{}` of cluster `{}` uses store `{}`, which is targeted to cluster `{}`: the store does not migrate with the singleton, so its messages or records are not recovered when the singleton moves",
                    s.name, s.cluster, store.name, store.cluster
                ),
            );
            cx.push(
                f.with_extra(store.cluster.span, "the store's cluster")
                    .with_label("store of another cluster"),
            );
        }
    }
}
