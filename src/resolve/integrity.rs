//! Structural integrity: what must hold of a topology before any rule can believe it.
//!
//! Every list whose members are referenced or rendered names each member once (both places
//! are shown); no relation refers to itself or goes round in a cycle (replicas, Data Guard
//! membership, far-sync alternates, federation, storage replication); every group that
//! needs a member has one; a service name offered by several databases is offered only by
//! databases a declared replication relation joins (a shared name is not redundancy); two
//! LUNs are not mounted on one path. A topology that broke one of these used to load and
//! silence rules (a standby listed twice counted as two standbys), then fail in `render`.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use miette::SourceSpan;

use super::Index;
use super::index::Defs;
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::model::{
    ArtifactLayout, Artifacts, Aws, ClusterType, Clusterware, DataGuard, Database, DatabaseType,
    Domain, DomainRole, Gds, Name, ProtectionMode, Sp, Topology, Transport,
};

struct Checker<'a> {
    file: &'a Arc<SourceFile>,
    ix: &'a Index,
    errors: &'a mut Vec<Diagnostic>,
}

/// Checks the structural integrity of a resolved topology (in this order).
pub(super) fn check(
    t: &Topology,
    ix: &Index,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut c = Checker { file, ix, errors };
    c.placement(t);
    c.front_end(t);
    for d in &t.domains {
        c.domain(d, t);
    }
    c.coherence(t);
    c.databases(t);
    let mut dg_of: HashMap<&str, (&Name, &Name)> = HashMap::new();
    for g in &t.data_guard {
        c.data_guard(g, &mut dg_of);
    }
    c.goldengate(t);
    if let Some(gds) = &t.gds {
        c.gds(gds);
    }
    for cm in &t.cman {
        let ctx = format!("CMAN `{}`", cm.name);
        c.members("host", &ctx, &cm.hosts);
        c.members("service", &ctx, &cm.services);
        c.needs(
            cm.hosts.is_empty(),
            &cm.name,
            &format!("{ctx} has no hosts"),
            "list the hosts that run its instances in `hosts`",
        );
    }
    for cl in &t.clients {
        c.members("host", &format!("client `{}`", cl.name), &cl.hosts);
    }
    if let Some(aws) = &t.aws {
        c.aws(aws, t);
    }
    c.shared_services(t);
    c.aliases(t);
}

/// Reporting.
impl Checker<'_> {
    /// References in one list: each listed once.
    fn members<'n>(&mut self, what: &str, owner: &str, refs: impl IntoIterator<Item = &'n Name>) {
        self.distinct(
            refs.into_iter().map(|n| (n.as_str(), n.span)),
            |key| format!("{what} `{key}` is listed twice in {owner}"),
            &format!("list each {what} once"),
        );
    }

    /// Declared names of one list: each declared once.
    fn names<'n>(&mut self, kind: &'static str, names: impl IntoIterator<Item = &'n Name>) {
        let mut defs = Defs::new(kind);
        for n in names {
            defs.define(n, self.file, self.errors);
        }
    }

    /// Keys that must differ: the second of two equal keys is reported with both spans.
    fn distinct<'k>(
        &mut self,
        items: impl IntoIterator<Item = (&'k str, SourceSpan)>,
        message: impl Fn(&str) -> String,
        help: &str,
    ) {
        let labels = ("listed again here", "first listed here");
        self.repeated(Code::LoadDuplicateMember, items, message, labels, help);
    }

    /// Declared names that are not [`Name`]s (SSM parameter paths): each declared once.
    fn declared<'k>(&mut self, items: impl IntoIterator<Item = (&'k str, SourceSpan)>, kind: &str) {
        let labels = ("declared again here", "first declared here");
        let message = |key: &str| format!("{kind} `{key}` is declared twice");
        let help = format!("give each {kind} a unique name");
        self.repeated(Code::LoadDuplicateName, items, message, labels, &help);
    }

    fn repeated<'k>(
        &mut self,
        code: Code,
        items: impl IntoIterator<Item = (&'k str, SourceSpan)>,
        message: impl Fn(&str) -> String,
        (again, first_label): (&str, &str),
        help: &str,
    ) {
        let mut seen: HashMap<&str, SourceSpan> = HashMap::new();
        for (key, span) in items {
            if let Some(first) = seen.get(key) {
                self.errors.push(
                    Diagnostic::error(code, self.file, span, message(key))
                        .with_label(again)
                        .with_extra(*first, first_label)
                        .with_help(help),
                );
            } else {
                seen.insert(key, span);
            }
        }
    }

    /// Reports `message` at `at` when a required membership is `empty`.
    fn needs(&mut self, empty: bool, at: &Name, message: &str, help: &str) {
        if empty {
            self.errors.push(
                Diagnostic::error(Code::LoadEmptyMembership, self.file, at.span, message)
                    .with_label("needs at least one member")
                    .with_help(help),
            );
        }
    }

    /// Reports a relation that refers to itself or goes round.
    fn cycle(
        &mut self,
        at: SourceSpan,
        message: String,
        extra: Option<(SourceSpan, &str)>,
        help: &str,
    ) {
        let mut d =
            Diagnostic::error(Code::LoadReferenceCycle, self.file, at, message).with_help(help);
        if let Some((span, label)) = extra {
            d = d.with_extra(span, label);
        }
        self.errors.push(d);
    }
}

/// Sites, storage and the front end.
impl Checker<'_> {
    fn placement(&mut self, t: &Topology) {
        // One link per pair of sites: a second entry would read as a second, independent
        // network (redundancy is `redundant: true` on the one link).
        let pairs: Vec<(String, SourceSpan)> = t
            .links
            .iter()
            .map(|l| {
                let mut pair: Vec<&str> = l.between.iter().map(|n| n.as_str()).collect();
                pair.sort_unstable();
                (pair.join(" and "), l.between.span)
            })
            .collect();
        self.distinct(
            pairs.iter().map(|(k, s)| (k.as_str(), *s)),
            |p| format!("two links join {p}"),
            "declare one link per pair of sites; set `redundant: true` when it has independent paths",
        );
        for s in &t.storage {
            let ctx = format!("storage `{}`", s.name);
            self.members("zone", &ctx, &s.zones);
            if let Some(r) = &s.replication
                && r.to.as_str() == s.name.as_str()
            {
                self.cycle(
                    r.to.span,
                    format!("{ctx} replicates to itself"),
                    None,
                    "name the peer storage system in the other site",
                );
            }
        }
    }

    fn front_end(&mut self, t: &Topology) {
        if let Some(g) = &t.global_load_balancer {
            let ctx = format!("global load balancer `{}`", g.name);
            self.members("host", &ctx, &g.hosts);
            self.needs(
                g.hosts.is_empty() && !g.managed.value,
                &g.name,
                &format!("{ctx} has no hosts and is not a managed service"),
                "list the appliances or DNS servers that implement it in `hosts`, or set `managed: true` for a managed service (Route 53, OCI Traffic Management)",
            );
        }
        self.names("load balancer", t.load_balancers.iter().map(|l| &l.name));
        for lb in &t.load_balancers {
            let ctx = format!("load balancer `{}`", lb.name);
            self.members("host", &ctx, &lb.hosts);
            self.members("zone", &ctx, &lb.zones);
            self.members("target", &ctx, &lb.targets);
            let ports: Vec<(String, SourceSpan)> = lb
                .listeners
                .iter()
                .map(|l| (l.port.value.to_string(), l.port.span))
                .collect();
            self.distinct(
                ports.iter().map(|(p, s)| (p.as_str(), *s)),
                |p| format!("{ctx} has two listeners on port {p}"),
                "give each listener its own port",
            );
            self.needs(
                lb.hosts.is_empty() && !lb.managed.value,
                &lb.name,
                &format!("{ctx} has no hosts and is not managed"),
                "list the appliances that implement it in `hosts`, or set `managed: true` (with its `zones`) for a cloud load balancer",
            );
        }
        for o in &t.ohs {
            let ctx = format!("OHS `{}`", o.name);
            self.distinct(
                o.routes.iter().map(|r| (r.path.as_str(), r.path.span)),
                |p| format!("{ctx} routes path `{p}` twice (two `<Location {p}>` blocks)"),
                "route each path once",
            );
            for r in &o.routes {
                self.members("server", &format!("{ctx} route `{}`", r.path), &r.servers);
            }
        }
    }
}

/// WebLogic domains.
impl Checker<'_> {
    /// Shared artifacts name their storage; per-node copies say how they are kept the same.
    fn artifacts(&mut self, a: &Artifacts, ctx: &str) {
        let missing = match a.layout.value {
            ArtifactLayout::Shared if a.storage.is_none() => Some((
                "storage",
                "name the storage system that holds them in `storage`",
            )),
            ArtifactLayout::PerNode if a.sync.is_none() => Some((
                "sync",
                "say how the copies are kept the same in `sync`: `admin-staging` (WebLogic stage mode) or `external` (a tool copies them to every node)",
            )),
            _ => None,
        };
        if let Some((field, help)) = missing {
            self.errors.push(
                Diagnostic::error(
                    Code::LoadMissingField,
                    self.file,
                    a.layout.span,
                    format!(
                        "the application artifacts of {ctx} are `{}` but `{field}` is missing",
                        layout_name(a.layout.value)
                    ),
                )
                .with_label(format!("needs `{field}`"))
                .with_help(help),
            );
        }
    }

    fn domain(&mut self, d: &Domain, t: &Topology) {
        let ctx = format!("domain `{}`", d.name);
        self.replica(d, t);
        if let Some(a) = &d.artifacts {
            self.artifacts(a, &ctx);
        }
        for cl in &d.clusters {
            let cctx = format!("cluster `{}`", cl.name);
            if let Some(dy) = &cl.dynamic {
                self.members("host", &format!("{cctx} dynamic servers"), &dy.hosts);
            }
            let has_servers = !self.ix.servers_of(cl.name.as_str()).is_empty();
            let help = match cl.r#type.value {
                ClusterType::Static => "declare its managed servers in `servers`",
                ClusterType::Dynamic => {
                    "declare `dynamic` with `size` and the `hosts` its servers run on"
                }
            };
            self.needs(
                !has_servers,
                &cl.name,
                &format!("{cctx} of {ctx} has no servers"),
                help,
            );
        }
        for ds in &d.data_sources {
            self.members(
                "cluster",
                &format!("data source `{}`", ds.name),
                &ds.targets,
            );
        }
    }

    /// `replica_of` names another domain, which is active; only a passive domain has one.
    fn replica(&mut self, d: &Domain, t: &Topology) {
        let Some(r) = &d.replica_of else {
            return;
        };
        if r.as_str() == d.name.as_str() {
            self.cycle(
                r.span,
                format!("domain `{}` is a replica of itself", d.name),
                None,
                "name the active domain this passive domain mirrors",
            );
            return;
        }
        let Some(target) = self
            .ix
            .domains
            .get(r.as_str())
            .and_then(|&i| t.domains.get(i))
        else {
            return;
        };
        if target.role.value != DomainRole::Active {
            self.cycle(
                r.span,
                format!(
                    "domain `{}` is a replica of `{r}`, which is itself passive{}",
                    d.name,
                    if target
                        .replica_of
                        .as_ref()
                        .is_some_and(|x| x.as_str() == d.name.as_str())
                    {
                        ", and a replica of this one: the replicas go round in a cycle"
                    } else {
                        ""
                    }
                ),
                Some((target.name.span, "a passive domain")),
                "a passive domain mirrors an active domain: name the active one",
            );
        }
        if d.role.value != DomainRole::Passive {
            self.errors.push(
                Diagnostic::error(
                    Code::LoadInvalidReference,
                    self.file,
                    r.span,
                    format!("domain `{}` is active but declares `replica_of`", d.name),
                )
                .with_help("set `role: passive` on a replica, or remove `replica_of`"),
            );
        }
    }
}

/// Coherence clusters.
impl Checker<'_> {
    fn coherence(&mut self, t: &Topology) {
        for coh in &t.coherence {
            let ctx = format!("Coherence cluster `{}`", coh.name);
            self.needs(
                coh.members.is_empty(),
                &coh.name,
                &format!("{ctx} has no members"),
                "list its cache servers in `members`",
            );
            self.distinct(
                coh.members.iter().map(|m| (m.host.as_str(), m.host.span)),
                |h| format!("{ctx} lists host `{h}` as a member twice"),
                "list each host once and set `count` to the number of processes on it",
            );
            self.distinct(
                coh.caches.iter().map(|c| (c.name.as_str(), c.name.span)),
                |n| format!("{ctx} declares cache `{n}` twice"),
                "declare each cache once",
            );
            if let Some(f) = &coh.federation {
                self.members("participant", &format!("{ctx} federation"), &f.participants);
                for p in &f.participants {
                    if p.as_str() == coh.name.as_str() {
                        self.cycle(
                            p.span,
                            format!("{ctx} federates with itself"),
                            None,
                            "list the Coherence clusters of the other sites",
                        );
                    }
                }
            }
        }
    }
}

/// Databases, Data Guard, GoldenGate, GDS.
impl Checker<'_> {
    fn databases(&mut self, t: &Topology) {
        for db in &t.databases {
            let ctx = format!("database `{}`", db.name);
            self.needs(
                db.instances.is_empty(),
                &db.name,
                &format!("{ctx} has no instances"),
                "list the instances that open it, each with its host",
            );
            self.clusterware(db, &ctx);
            for s in &db.services {
                let sctx = format!("service `{}` of {ctx}", s.name);
                self.members("instance", &sctx, s.preferred.iter().chain(&s.available));
                self.distinct(
                    s.roles.iter().map(|r| (role_name(r), r.span)),
                    |r| format!("{sctx} lists role `{r}` twice"),
                    "list each role once",
                );
            }
        }
    }

    /// RAC and RAC One Node run only under Grid Infrastructure.
    fn clusterware(&mut self, db: &Database, ctx: &str) {
        let Some(cw) = &db.clusterware else {
            return;
        };
        if db.r#type.value.clustered() && cw.value != Clusterware::Grid {
            let kind = if db.r#type.value == DatabaseType::Rac {
                "RAC"
            } else {
                "RAC One Node"
            };
            self.errors.push(
                Diagnostic::error(
                    Code::LoadInvalidValue,
                    self.file,
                    cw.span,
                    format!("{ctx} is {kind}, which runs only under Oracle Grid Infrastructure"),
                )
                .with_label("not `grid`")
                .with_extra(db.r#type.span, kind)
                .with_help("set `clusterware: grid` (or leave it out: it is the default for RAC and RAC One Node)"),
            );
        }
    }

    /// A configuration's members are each listed once and in no other configuration; far
    /// syncs have their own names and are not their own alternates.
    fn data_guard<'t>(
        &mut self,
        g: &'t DataGuard,
        dg_of: &mut HashMap<&'t str, (&'t Name, &'t Name)>,
    ) {
        let ctx = format!("Data Guard `{}`", g.name);
        self.needs(
            g.standbys.is_empty(),
            &g.name,
            &format!("{ctx} has no standby"),
            "list its standby databases in `standbys`",
        );
        self.members("standby", &ctx, g.standbys.iter().map(|s| &s.database));
        // One broker configuration per database: a database in two is a cascade or a cycle
        // (A's standby B is the primary of a configuration whose standby is A).
        for db in std::iter::once(&g.primary).chain(g.standbys.iter().map(|s| &s.database)) {
            if let Some((other, first)) = dg_of.get(db.as_str()) {
                if other.as_str() != g.name.as_str() {
                    self.cycle(
                        db.span,
                        format!(
                            "database `{db}` is in two Data Guard configurations, `{other}` and `{}`",
                            g.name
                        ),
                        Some((first.span, "already a member here")),
                        "a database belongs to one broker configuration: list every standby of the primary (cascaded ones too) in one `data_guard` entry",
                    );
                }
            } else {
                dg_of.insert(db.as_str(), (&g.name, db));
            }
        }
        // A far sync is a member of the broker configuration: its name is not a database's.
        let mut members = Defs::new("Data Guard member");
        for db in std::iter::once(&g.primary).chain(g.standbys.iter().map(|s| &s.database)) {
            members.seen.entry(db.as_str()).or_insert(db);
        }
        for f in &g.far_syncs {
            members.define(&f.name, self.file, self.errors);
        }
        for f in &g.far_syncs {
            if let Some(a) = &f.alternate
                && a.as_str() == f.name.as_str()
            {
                self.cycle(
                    a.span,
                    format!("far sync `{}` of {ctx} is its own alternate", f.name),
                    Some((f.name.span, "this far sync")),
                    "name another far sync (near the primary) as the alternate, or remove `alternate`",
                );
            }
        }
        self.far_sync_transports(g, &ctx);
        self.names("observer", g.observers.iter().map(|o| &o.name));
        if let Some(f) = &g.fast_start_failover {
            self.members("target", &format!("{ctx} fast-start failover"), &f.targets);
        }
    }

    /// A standby's `transport` with a `far_sync` is the primary's mode to that far sync: the
    /// primary ships to one far sync in one mode, so the standbys behind it agree (the
    /// renderer would otherwise write `fs1 SYNC, fs1 ASYNC` in one RedoRoutes).
    fn far_sync_transports(&mut self, g: &DataGuard, ctx: &str) {
        let default = if g.protection_mode.value == ProtectionMode::MaxPerformance {
            Transport::Async
        } else {
            Transport::Sync
        };
        // First standby behind each far sync: (its effective transport, where it is said).
        let mut first: HashMap<&str, (&Name, Transport, SourceSpan)> = HashMap::new();
        for s in &g.standbys {
            let Some(fs) = &s.far_sync else { continue };
            let (t, span) = s
                .transport
                .as_ref()
                .map_or((default, s.database.span), |t| (t.value, t.span));
            let Some(&(other, t0, span0)) = first.get(fs.as_str()) else {
                first.insert(fs.as_str(), (&s.database, t, span));
                continue;
            };
            if t0 != t {
                self.errors.push(
                    Diagnostic::error(
                        Code::LoadInvalidValue,
                        self.file,
                        span,
                        format!(
                            "standbys `{other}` and `{}` of {ctx} both receive redo through far sync `{fs}` but with different transports ({} and {}): the primary ships redo to a far sync in one mode",
                            s.database,
                            xpt(t0),
                            xpt(t)
                        ),
                    )
                    .with_extra(span0, format!("`{other}`: {}", xpt(t0)))
                    .with_help(format!(
                        "a standby's `transport` with a `far_sync` is the primary's mode to the far sync: give every standby behind `{fs}` the same `transport`"
                    )),
                );
            }
        }
    }

    fn goldengate(&mut self, t: &Topology) {
        for g in &t.goldengate {
            let ctx = format!("GoldenGate `{}`", g.name);
            self.members("database", &ctx, &g.databases);
            self.members("host", &ctx, &g.hosts);
            self.names("GoldenGate schema", g.schemas.iter().map(|s| &s.name));
            let mut distinct: Vec<&str> = g.databases.iter().map(|d| d.as_str()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            self.needs(
                distinct.len() < 2,
                &g.name,
                &format!("{ctx} replicates between fewer than two databases"),
                "list the two (or more) databases it keeps in step in `databases`",
            );
        }
    }

    fn gds(&mut self, gds: &Gds) {
        self.names("GDS region", gds.regions.iter().map(|r| &r.name));
        self.names(
            "GSM",
            gds.regions.iter().flat_map(|r| &r.gsms).map(|g| &g.name),
        );
        self.names("GDS pool", gds.pools.iter().map(|p| &p.name));
        for r in &gds.regions {
            self.members("site", &format!("GDS region `{}`", r.name), &r.sites);
        }
        // Clients reach a global service through the global service managers.
        let gsms = gds.regions.iter().map(|r| r.gsms.len()).sum::<usize>();
        for s in &gds.global_services {
            self.needs(
                gsms == 0 && !self.ix.services.contains_key(s.name.as_str()),
                &s.name,
                &format!("global service `{}` has no global service manager to connect through: no GDS region declares a GSM", s.name),
                "declare the GSMs of each GDS region in `gsms` (two per region)",
            );
        }
        for p in &gds.pools {
            let ctx = format!("GDS pool `{}`", p.name);
            self.members("database", &ctx, &p.databases);
            self.needs(
                p.databases.is_empty(),
                &p.name,
                &format!("{ctx} has no databases"),
                "list the databases of the pool in `databases`",
            );
        }
    }
}

/// A mount point as the instance sees it (`/u01/` is `/u01`).
fn mount_key(m: &Sp<String>) -> &str {
    match m.as_str().trim_end_matches('/') {
        "" => "/",
        k => k,
    }
}

fn role_name(r: &Sp<crate::model::ServiceRole>) -> &'static str {
    match r.value {
        crate::model::ServiceRole::Primary => "primary",
        crate::model::ServiceRole::PhysicalStandby => "physical-standby",
        crate::model::ServiceRole::SnapshotStandby => "snapshot-standby",
    }
}

/// The `aws` section.
impl Checker<'_> {
    fn aws(&mut self, aws: &Aws, t: &Topology) {
        self.names(
            "Auto Scaling group",
            aws.auto_scaling_groups.iter().map(|g| &g.name),
        );
        self.names(
            "launch template",
            aws.launch_templates.iter().map(|l| &l.name),
        );
        self.names("backup plan", aws.backup_plans.iter().map(|p| &p.name));
        self.names(
            "security group",
            aws.security_groups.iter().map(|s| &s.name),
        );
        self.declared(
            aws.ssm_parameters
                .iter()
                .map(|p| (p.name.as_str(), p.name.span)),
            "SSM parameter",
        );
        for f in &aws.fsxn {
            let ctx = format!("FSx for ONTAP `{}`", f.name);
            self.members("zone", &ctx, &f.zones);
            self.members("security group", &ctx, &f.security_groups);
            self.names("LUN", f.luns.iter().map(|l| &l.name));
            self.needs(
                f.zones.is_empty(),
                &f.name,
                &format!("{ctx} has no zones"),
                "list the zone of its file server (two for Multi-AZ: preferred, then standby)",
            );
        }
        // The LUNs of every file system are mounted on the database instance.
        self.distinct(
            aws.fsxn
                .iter()
                .flat_map(|f| &f.luns)
                .map(|l| (mount_key(&l.mount), l.mount.span)),
            |m| format!("two LUNs are mounted on `{m}`"),
            "mount each LUN on its own directory",
        );
        self.auto_scaling(aws, t);
        self.security_groups(aws);
    }

    /// Auto Scaling groups and the launch templates they use.
    fn auto_scaling(&mut self, aws: &Aws, t: &Topology) {
        for g in &aws.auto_scaling_groups {
            let ctx = format!("Auto Scaling group `{}`", g.name);
            self.members("zone", &ctx, &g.zones);
            self.needs(
                g.zones.is_empty(),
                &g.name,
                &format!("{ctx} has no zones"),
                "list the zones (subnets) its instance may launch in",
            );
            self.needs(
                aws.fsxn.is_empty(),
                &g.name,
                &format!("{ctx} has no FSx for ONTAP file system to mount its database from"),
                "declare the file system holding the database's LUNs in `aws.fsxn`",
            );
            let on_host = |d: &&crate::model::Database| {
                d.instances
                    .iter()
                    .any(|i| i.host.as_str() == g.host.as_str())
            };
            self.needs(
                g.database.is_none() && !t.databases.iter().any(|d| on_host(&d)),
                &g.name,
                &format!("{ctx} keeps no database alive: no `database`, and no database has an instance on host `{}`", g.host),
                "set `database:` to the database the group's instance runs",
            );
        }
        // The user data (the bootstrap) is generated per group: one launch template each.
        self.distinct(
            aws.auto_scaling_groups
                .iter()
                .map(|g| (g.launch_template.as_str(), g.launch_template.span)),
            |lt| format!("launch template `{lt}` is used by two Auto Scaling groups; its user data is generated per group"),
            "give each Auto Scaling group its own launch template",
        );
        for lt in &aws.launch_templates {
            self.members(
                "security group",
                &format!("launch template `{}`", lt.name),
                &lt.security_groups,
            );
        }
    }

    /// Security groups: ingress rules once each, sources that resolve.
    fn security_groups(&mut self, aws: &Aws) {
        for sg in &aws.security_groups {
            // AWS refuses a permission listed twice (InvalidPermission.Duplicate).
            let rules: Vec<(String, SourceSpan)> = sg
                .ingress
                .iter()
                .map(|i| {
                    let ports = i
                        .port_range()
                        .map_or_else(|| i.ports.to_string(), |(a, b)| format!("{a}-{b}"));
                    (
                        format!("{:?} {ports} from {}", i.protocol.value, i.source.as_str()),
                        i.ports.span,
                    )
                })
                .collect();
            self.distinct(
                rules.iter().map(|(k, s)| (k.as_str(), *s)),
                |_| format!("security group `{}` lists one ingress rule twice (same protocol, ports and source)", sg.name),
                "list each ingress rule once",
            );
            for i in &sg.ingress {
                if i.source_is_cidr() || aws.security_group(i.source.as_str()).is_some() {
                    continue;
                }
                let known: Vec<&str> = aws
                    .security_groups
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect();
                let help = match crate::diagnostic::suggest(i.source.as_str(), known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? A source is a security group of `aws.security_groups` or a CIDR block"),
                    None => "name a security group of `aws.security_groups`, or write a CIDR block such as `10.0.0.0/16`".to_owned(),
                };
                self.errors.push(
                    Diagnostic::error(
                        Code::LoadUnknownReference,
                        self.file,
                        i.source.span,
                        format!(
                            "security group `{}` ingress source `{}` is neither a CIDR block nor a declared security group",
                            sg.name, i.source.as_str()
                        ),
                    )
                    .with_label("no security group of this name")
                    .with_help(help),
                );
            }
        }
    }
}

/// Databases joined by a declared replication relation, as disjoint sets.
struct Relations {
    parent: Vec<usize>,
}

impl Relations {
    fn new(n: usize) -> Self {
        Relations {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.parent.get(i) {
            if p == i {
                break;
            }
            let grand = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = grand;
            }
            i = p;
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if let Some(slot) = self.parent.get_mut(ra) {
            *slot = rb;
        }
    }
}

/// Redundancy is never inferred from a shared name.
impl Checker<'_> {
    /// A service name offered by several databases must be offered only by databases that
    /// one Data Guard configuration or GoldenGate replication joins (directly or through
    /// each other): two unrelated databases that happen to offer `orders_rw` are two
    /// services, not one redundant service, and one alias cannot balance over both.
    fn shared_services(&mut self, t: &Topology) {
        let ix = self.ix;
        let db = |n: &Name| ix.databases.get(n.as_str()).copied();
        let mut rel = Relations::new(t.databases.len());
        for g in &t.data_guard {
            if let Some(p) = db(&g.primary) {
                for s in g.standbys.iter().filter_map(|s| db(&s.database)) {
                    rel.join(p, s);
                }
            }
        }
        for g in &t.goldengate {
            let mut dbs = g.databases.iter().filter_map(db);
            if let Some(first) = dbs.next() {
                for d in dbs {
                    rel.join(first, d);
                }
            }
        }
        // The first offer of each service name (database index, service name span).
        let mut first: HashMap<&str, (usize, SourceSpan)> = HashMap::new();
        for (i, d) in t.databases.iter().enumerate() {
            if ix.databases.get(d.name.as_str()) != Some(&i) {
                continue; // a database declared twice is reported already
            }
            for s in &d.services {
                let Some(&(j, span)) = first.get(s.name.as_str()) else {
                    first.insert(s.name.as_str(), (i, s.name.span));
                    continue;
                };
                if rel.root(i) == rel.root(j) {
                    continue;
                }
                let other = t.databases.get(j).map_or("", |x| x.name.as_str());
                self.errors.push(
                    Diagnostic::error(
                        Code::LoadUnrelatedService,
                        self.file,
                        s.name.span,
                        format!(
                            "service `{}` is offered by databases `{other}` and `{}`, which no Data Guard configuration or GoldenGate replication joins: a shared service name is not redundancy",
                            s.name, d.name
                        ),
                    )
                    .with_label(format!("offered by `{}` here", d.name))
                    .with_extra(span, format!("and by `{other}` here"))
                    .with_help(format!(
                        "give the service of one database its own name, or declare the replication between `{other}` and `{}` (`data_guard` or `goldengate`)",
                        d.name
                    )),
                );
            }
        }
    }
}

/// `tnsnames.ora` aliases.
impl Checker<'_> {
    /// One alias per service (database or global) and one per client (`<service>_<client>`);
    /// Oracle Net compares alias names without case, so no two may differ only in case.
    fn aliases(&mut self, t: &Topology) {
        let mut first: HashMap<String, (String, SourceSpan)> = HashMap::new();
        let services = t
            .databases
            .iter()
            .flat_map(|d| &d.services)
            .map(|s| (s.name.to_string(), s.name.span));
        let global = t
            .gds
            .iter()
            .flat_map(|g| &g.global_services)
            .map(|s| (s.name.to_string(), s.name.span));
        let clients = t
            .clients
            .iter()
            .map(|c| (format!("{}_{}", c.service, c.name), c.name.span));
        // A service offered by several databases (or also globally) is one alias.
        let mut service_names: HashMap<String, ()> = HashMap::new();
        let services = services
            .chain(global)
            .filter(|(n, _)| service_names.insert(n.clone(), ()).is_none());
        for (alias, span) in services.chain(clients) {
            match first.get(&alias.to_ascii_uppercase()) {
                Some((other, other_span)) => self.errors.push(
                    Diagnostic::error(
                        Code::LoadDuplicateName,
                        self.file,
                        span,
                        format!("two tnsnames.ora aliases are named `{other}` and `{alias}`, which Oracle Net does not tell apart (alias names ignore case)"),
                    )
                    .with_label("this alias")
                    .with_extra(*other_span, "the other alias")
                    .with_help("rename the service or the client (a client's alias is `<service>_<client>`)"),
                ),
                None => {
                    first.insert(alias.to_ascii_uppercase(), (alias, span));
                }
            }
        }
    }
}

/// The Data Guard spelling of a redo transport mode.
fn xpt(t: Transport) -> &'static str {
    match t {
        Transport::Sync => "SYNC",
        Transport::Fastsync => "FASTSYNC",
        Transport::Async => "ASYNC",
    }
}

fn layout_name(l: ArtifactLayout) -> &'static str {
    match l {
        ArtifactLayout::Shared => "shared",
        ArtifactLayout::PerNode => "per-node",
    }
}
