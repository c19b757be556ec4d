//! WLS016: a generic (or multi) data source to a RAC database.

use crate::model::{DataSourceType, DatabaseType};
use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS016.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        for ds in d
            .data_sources
            .iter()
            .filter(|ds| ds.r#type.value != DataSourceType::Agl)
        {
            let Some(rac) = util::service_databases(m, ds.service.as_str())
                .into_iter()
                .find(|db| db.r#type.value == DatabaseType::Rac)
            else {
                continue;
            };
            let kind = if ds.r#type.value == DataSourceType::Multi {
                "multi"
            } else {
                "generic"
            };
            let span = if ds.r#type.is_written() {
                ds.r#type.span
            } else {
                ds.name.span
            };
            let f = cx.finding(
                span,
                path::data_source(&d.name, &ds.name),
                format!("data source `{}` is a {kind} data source to RAC database `{}`: Active GridLink adds FCF, runtime load balancing, affinity and draining", ds.name, rac.name),
            );
            cx.push(f.with_label(format!("type: {kind}")));
        }
    }
}
