//! Front end: global load balancer, local load balancers, Oracle HTTP Server (OHS) and its routes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::placement::yes;
use super::{Duration, Hostname, Name, Sp};

/// Kind of global (site-selecting) load balancer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum GlobalLbKind {
    F5Gtm,
    CiscoGss,
    /// Plain DNS with a manual or scripted switchover procedure.
    Dns,
    Route53,
    OciTrafficManagement,
    Other,
}

/// How the global load balancer moves users between sites.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Switchover {
    /// Health checks switch DNS automatically.
    Automatic,
    /// An operator changes the mapping (costs the declared human response time).
    Manual,
}

/// A health check of a load balancer on its targets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Time between probes.
    pub interval: Sp<Duration>,
    /// Consecutive failed probes before the target is marked down.
    #[serde(default = "three")]
    pub failures: Sp<u32>,
    /// URL path probed (HTTP checks).
    pub path: Option<Sp<String>>,
}

fn three() -> Sp<u32> {
    Sp::synthetic(3)
}

impl HealthCheck {
    /// Time from failure to being marked down.
    pub fn detection_time(&self) -> Duration {
        Duration(
            self.interval
                .value
                .0
                .saturating_mul(u64::from(self.failures.value)),
        )
    }
}

/// The global load balancer (GSLB) that fronts the sites' local load balancers.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlobalLoadBalancer {
    pub name: Name,
    pub kind: Sp<GlobalLbKind>,
    /// The appliances or DNS servers that implement it (on hosts in different sites for redundancy).
    #[serde(default)]
    pub hosts: Vec<Name>,
    /// A managed service with its own redundancy (Route 53, OCI Traffic Management): no hosts.
    #[serde(default)]
    pub managed: Sp<bool>,
    /// The DNS name users connect to.
    pub fqdn: Option<Sp<Hostname>>,
    pub health_check: Option<HealthCheck>,
    /// TTL of the DNS records it serves; clients keep the old site this long after a switch.
    #[serde(default = "dns_ttl")]
    pub dns_ttl: Sp<Duration>,
    #[serde(default = "automatic")]
    pub switchover: Sp<Switchover>,
    /// Keeps a user on the site that served their first request (cookie or source-address
    /// persistence). Active-active topologies need it so that a conversation never reads
    /// data another site has not received yet ([WLS-MAA], section "Database"; see docs/sources.md).
    #[serde(default)]
    pub site_affinity: Sp<bool>,
}

fn dns_ttl() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(60))
}
fn automatic() -> Sp<Switchover> {
    Sp::synthetic(Switchover::Automatic)
}

/// A listener of a load balancer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LbListener {
    pub port: Sp<u16>,
    #[serde(default = "https")]
    pub protocol: Sp<Protocol>,
}

/// Network protocol of a listener.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    Http,
    Https,
    Tcp,
}

fn https() -> Sp<Protocol> {
    Sp::synthetic(Protocol::Https)
}

/// A site's local load balancer (F5 LTM, BIG-IP, ELB, OCI LB) in front of OHS or WebLogic.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    pub name: Name,
    pub site: Name,
    /// The appliances implementing it; two or more for redundancy.
    #[serde(default)]
    pub hosts: Vec<Name>,
    /// A managed cloud load balancer, redundant across the zones listed.
    #[serde(default)]
    pub managed: Sp<bool>,
    /// Zones a managed load balancer spans.
    #[serde(default)]
    pub zones: Vec<Name>,
    /// Virtual host name users (or the global LB) reach it at.
    pub virtual_host: Option<Sp<Hostname>>,
    #[serde(default)]
    pub listeners: Vec<LbListener>,
    pub health_check: Option<HealthCheck>,
    /// OHS instances or WebLogic clusters it sends traffic to; by default every OHS of its site.
    #[serde(default)]
    pub targets: Vec<Name>,
}

/// Oracle HTTP Server instance (web tier).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ohs {
    pub name: Name,
    pub host: Name,
    #[serde(default = "ohs_port")]
    pub port: Sp<u16>,
    /// Whether Node Manager restarts the OHS process when it dies.
    #[serde(default = "yes")]
    pub node_manager: Sp<bool>,
    /// `mod_wl_ohs` routes to WebLogic clusters.
    #[serde(default)]
    pub routes: Vec<OhsRoute>,
}

fn ohs_port() -> Sp<u16> {
    Sp::synthetic(7777)
}

/// One `<Location>` of `mod_wl_ohs`: a URL path proxied to a WebLogic cluster.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OhsRoute {
    /// URL path prefix, e.g. `/shop`.
    #[schemars(regex(pattern = r"^/[A-Za-z0-9_./~-]*$"))]
    pub path: Sp<String>,
    /// The WebLogic cluster that serves it.
    pub cluster: Name,
    /// `DynamicServerList ON`: learn the cluster membership at run time.
    #[serde(default = "yes")]
    pub dynamic_list: Sp<bool>,
    /// Servers listed in `WebLogicCluster`; by default every server of the cluster.
    #[serde(default)]
    pub servers: Vec<Name>,
    /// `WLIOTimeoutSecs`: how long OHS waits for a response.
    pub io_timeout: Option<Sp<Duration>>,
    /// `ConnectTimeoutSecs`: total time to try to connect to a server.
    pub connect_timeout: Option<Sp<Duration>>,
    /// `ConnectRetrySecs`: pause between connect attempts.
    pub connect_retry: Option<Sp<Duration>>,
}
