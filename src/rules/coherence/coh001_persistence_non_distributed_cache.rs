//! COH001: persistence asked of a cache that is not distributed.

use crate::model::CacheScheme;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/COH001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in m.topo.coherence.iter().filter(|c| c.persistence.is_some()) {
        for cache in c
            .caches
            .iter()
            .filter(|k| k.persistent.value && k.scheme.value != CacheScheme::Distributed)
        {
            let f = cx.finding(
                cache.scheme.span,
                path::coherence_cache(&c.name, &cache.name.value),
                format!(
                    "cache `{}` of Coherence cluster `{}` is a {} cache marked persistent: persistence is only available for distributed caches",
                    cache.name.value,
                    c.name,
                    crate::rules::util::kebab(cache.scheme.value)
                ),
            );
            cx.push(f.with_label("not a distributed cache"));
        }
    }
}
