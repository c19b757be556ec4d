//! Database clients: drivers, pools, FAN/FCF/TAF/AC, connect-string parameters.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Duration, Name, Sp};

/// Client driver.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Driver {
    Oci,
    Occi,
    JdbcThin,
    JdbcOci,
    /// Universal Connection Pool over JDBC thin.
    Ucp,
    OdpNetManaged,
    OdpNetUnmanaged,
    /// WebLogic Server data sources.
    Weblogic,
    Tuxedo,
    /// python-oracledb thin mode.
    PythonThin,
    /// python-oracledb thick mode (OCI).
    PythonThick,
}

impl Driver {
    /// Whether the driver is built on OCI and therefore supports TAF (`FAILOVER_MODE`).
    pub fn supports_taf(self) -> bool {
        matches!(
            self,
            Driver::Oci
                | Driver::Occi
                | Driver::JdbcOci
                | Driver::OdpNetUnmanaged
                | Driver::Tuxedo
                | Driver::PythonThick
        )
    }
}

/// Connection pool the client uses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Pool {
    None,
    Ucp,
    Weblogic,
    OciSessionPool,
    OdpNet,
    Drcp,
}

/// Client continuity mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Continuity {
    None,
    /// Application Continuity (replay driver, service `failover_type: transaction`).
    Ac,
    /// Transparent Application Continuity (service `failover_type: auto`).
    Tac,
}

/// TAF type in `FAILOVER_MODE`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TafType {
    Session,
    Select,
    None,
}

/// TAF method in `FAILOVER_MODE`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TafMethod {
    Basic,
    Preconnect,
}

/// Client-side TAF (`FAILOVER_MODE` in the connect descriptor).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Taf {
    pub r#type: Sp<TafType>,
    #[serde(default = "basic")]
    pub method: Sp<TafMethod>,
    #[serde(default = "taf_retries")]
    pub retries: Sp<u32>,
    #[serde(default = "taf_delay")]
    pub delay: Sp<Duration>,
}

fn basic() -> Sp<TafMethod> {
    Sp::synthetic(TafMethod::Basic)
}
fn taf_retries() -> Sp<u32> {
    Sp::synthetic(20)
}
fn taf_delay() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(3))
}

/// Connect descriptor parameters (MAA defaults: CONNECT_TIMEOUT=90, RETRY_COUNT=100,
/// RETRY_DELAY=3, TRANSPORT_CONNECT_TIMEOUT=1 s).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectOptions {
    #[serde(default = "connect_timeout")]
    pub connect_timeout: Sp<Duration>,
    #[serde(default = "retry_count")]
    pub retry_count: Sp<u32>,
    #[serde(default = "retry_delay")]
    pub retry_delay: Sp<Duration>,
    #[serde(default = "transport_connect_timeout")]
    pub transport_connect_timeout: Sp<Duration>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            connect_timeout: connect_timeout(),
            retry_count: retry_count(),
            retry_delay: retry_delay(),
            transport_connect_timeout: transport_connect_timeout(),
        }
    }
}

fn connect_timeout() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(90))
}
fn retry_count() -> Sp<u32> {
    Sp::synthetic(100)
}
fn retry_delay() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(3))
}
fn transport_connect_timeout() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(1))
}

/// An application that connects to a database service.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub name: Name,
    pub driver: Sp<Driver>,
    /// Driver version, e.g. `19.21`.
    pub version: Option<Sp<String>>,
    #[serde(default = "no_pool")]
    pub pool: Sp<Pool>,
    /// The database (or global) service it connects to.
    pub service: Name,
    /// A CMAN it connects through.
    pub via: Option<Name>,
    /// Hosts the client runs on (when part of the topology).
    #[serde(default)]
    pub hosts: Vec<Name>,
    /// Subscribes to FAN events (ONS / `EVENTS=TRUE`).
    #[serde(default)]
    pub fan: Sp<bool>,
    /// Fast Connection Failover enabled on the pool.
    #[serde(default)]
    pub fcf: Sp<bool>,
    pub taf: Option<Taf>,
    #[serde(default = "no_continuity")]
    pub continuity: Sp<Continuity>,
    #[serde(default)]
    pub connect: ConnectOptions,
}

/// The first ODP.NET managed driver (and ODP.NET Core) release with TAF: 23.3.3 (release
/// notes of the Oracle Data Provider for .NET managed driver, April 2024).
pub const ODP_NET_MANAGED_TAF: [u32; 3] = [23, 3, 3];

impl Client {
    /// Whether the client honours TAF (`FAILOVER_MODE`): an OCI-based driver, or ODP.NET
    /// managed from [`ODP_NET_MANAGED_TAF`] (an unknown version counts as older).
    pub fn supports_taf(&self) -> bool {
        self.driver.value.supports_taf()
            || (self.driver.value == Driver::OdpNetManaged
                && self
                    .version
                    .as_ref()
                    .is_some_and(|v| version_at_least(&v.value, &ODP_NET_MANAGED_TAF)))
    }
}

/// Whether a dotted version (`23.4.0`, `23.3.3-dev`) is at least `min`, component by
/// component; a version with fewer numeric components than needed to decide is not.
pub fn version_at_least(version: &str, min: &[u32]) -> bool {
    let parts: Vec<u32> = version
        .split('.')
        .map(|p| {
            p.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .take_while(|d| !d.is_empty())
        .map_while(|d| d.parse().ok())
        .collect();
    for (i, want) in min.iter().enumerate() {
        match parts.get(i) {
            None => return false,
            Some(have) if have > want => return true,
            Some(have) if have < want => return false,
            Some(_) => {}
        }
    }
    true
}

fn no_pool() -> Sp<Pool> {
    Sp::synthetic(Pool::None)
}
fn no_continuity() -> Sp<Continuity> {
    Sp::synthetic(Continuity::None)
}
