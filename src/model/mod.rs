//! The typed topology model: what a `topology.yaml` holds, with the source span of every value.
//!
//! The YAML shape is the serde shape of [`Topology`]; `schemas/topology.schema.json` is
//! generated from these types (see `maa schema`).

mod aws;
mod clients;
mod coherence;
mod database;
mod duration;
mod frontend;
mod ident;
mod list;
mod objectives;
mod placement;
pub mod sp;
mod weblogic;

pub use aws::*;
pub use clients::*;
pub use coherence::*;
pub use database::*;
pub use duration::{DURATION_PATTERN, Duration};
pub use frontend::*;
pub use ident::{HOSTNAME_PATTERN, Hostname, IDENT_PATTERN, Ident, Name, plain};
pub use objectives::*;
pub use placement::*;
pub use sp::Sp;
pub use weblogic::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Deployment style of the whole topology.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Architecture {
    /// Everything in one site (zones may still separate failure domains).
    SingleSite,
    /// One WebLogic/Coherence cluster stretched over two nearby sites (MAN).
    Stretch,
    /// A primary site serves; a standby site takes over on failover.
    ActivePassive,
    /// Several sites serve at the same time.
    ActiveActive,
}

/// Security requirements that rules check against.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// Database traffic must be encrypted in transit (TCPS).
    #[serde(default)]
    pub require_tls: Sp<bool>,
}

/// A Maximum Availability Architecture topology.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "maa topology")]
#[schemars(extend("patternProperties" = {
    "^x-": { "description": "Extension field, ignored by maa: a place for YAML anchors and notes" }
}))]
pub struct Topology {
    /// Format version of this file; always `1`.
    #[schemars(range(min = 1, max = 1))]
    pub version: Sp<u32>,
    /// Name of the system this topology describes.
    pub name: Name,
    pub description: Option<Sp<String>>,
    pub architecture: Sp<Architecture>,
    /// Recovery time and point objectives per disruption type.
    #[serde(default)]
    pub objectives: Objectives,
    /// Overrides of the recovery model's default timings.
    #[serde(default)]
    pub recovery: Recovery,
    #[serde(default)]
    pub security: Security,
    /// Data centers / regions with their zones and hosts.
    pub sites: Vec<Site>,
    /// Networks between sites.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Storage systems.
    #[serde(default)]
    pub storage: Vec<Storage>,
    pub global_load_balancer: Option<GlobalLoadBalancer>,
    #[serde(default)]
    pub load_balancers: Vec<LoadBalancer>,
    /// Oracle HTTP Server instances.
    #[serde(default, deserialize_with = "list::exact")]
    pub ohs: Vec<Ohs>,
    /// WebLogic domains.
    #[serde(default, deserialize_with = "list::exact")]
    pub domains: Vec<Domain>,
    #[serde(default)]
    pub coherence: Vec<CoherenceCluster>,
    #[serde(default, deserialize_with = "list::exact")]
    pub databases: Vec<Database>,
    /// Data Guard broker configurations.
    #[serde(default)]
    pub data_guard: Vec<DataGuard>,
    #[serde(default)]
    pub goldengate: Vec<GoldenGate>,
    /// Global Data Services.
    pub gds: Option<Gds>,
    /// Connection Manager instances.
    #[serde(default)]
    pub cman: Vec<Cman>,
    #[serde(default)]
    pub clients: Vec<Client>,
    pub aws: Option<Aws>,
}
