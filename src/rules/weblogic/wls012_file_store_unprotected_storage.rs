//! WLS012: a file store on storage that is not shared, or (multi-site) not replicated.

use std::collections::BTreeMap;

use miette::SourceSpan;

use crate::model::{Name, Storage, StorageKind, StoreType};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS012.yaml"), check);

fn problem(
    storage: &BTreeMap<&str, &Storage>,
    name: Option<&Name>,
    multi: bool,
) -> Option<(Option<SourceSpan>, String)> {
    let Some(n) = name else {
        return Some((None, "names no storage system".into()));
    };
    let st = storage.get(n.as_str())?;
    if st.kind.value == StorageKind::Local || !st.shared.value {
        return Some((
            Some(n.span),
            format!(
                "is on `{}`, which is not shared: no other server can recover it",
                st.name
            ),
        ));
    }
    if multi && st.replication.is_none() {
        return Some((
            Some(n.span),
            format!(
                "is on `{}`, which is not replicated to another site: a site failure loses its messages",
                st.name
            ),
        ));
    }
    None
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let storage: BTreeMap<&str, &Storage> = m
        .topo
        .storage
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    let multi = util::multi_site(m);
    for d in &m.topo.domains {
        for s in d
            .stores
            .iter()
            .filter(|s| s.r#type.value == StoreType::File)
        {
            let Some((span, why)) = problem(&storage, s.storage.as_ref(), multi) else {
                continue;
            };
            let f = cx.finding(
                span.unwrap_or(s.name.span),
                path::store(&d.name, &s.name),
                format!("file store `{}` {why}", s.name),
            );
            cx.push(f.with_label("unprotected file store"));
        }
        for c in &d.clusters {
            let Some(t) = &c.transaction_log else {
                continue;
            };
            if t.r#type.value != StoreType::File {
                continue;
            }
            let Some((span, why)) = problem(&storage, t.storage.as_ref(), multi) else {
                continue;
            };
            let f = cx.finding(
                span.unwrap_or(t.r#type.span),
                path::transaction_log(d.name.as_str(), c.name.as_str()),
                format!(
                    "the transaction log file store of cluster `{}` {why}",
                    c.name
                ),
            );
            cx.push(f.with_label("unprotected file store"));
        }
    }
}
