//! AWS queries on a resolved model that the AWS rules and the AWS renderer share, so what
//! a rule checks and what render writes agree.

use super::Model;
use crate::model::{AutoScalingGroup, Database, DatabaseType};

impl Model {
    /// The database an Auto Scaling group keeps alive: its `database`, else the one with an
    /// instance on its host.
    pub fn asg_database(&self, asg: &AutoScalingGroup) -> Option<&Database> {
        match &asg.database {
            Some(d) => self
                .topo
                .databases
                .iter()
                .find(|db| db.name.as_str() == d.as_str()),
            None => self.topo.databases.iter().find(|db| {
                db.instances
                    .iter()
                    .any(|i| i.host.as_str() == asg.host.as_str())
            }),
        }
    }

    /// Whether a database is a single instance whose files are on FSx for ONTAP LUNs (shared
    /// storage any replacement instance opens).
    pub fn single_instance_on_shared_luns(&self, db: &Database) -> bool {
        let Some(aws) = &self.topo.aws else {
            return false;
        };
        if db.r#type.value != DatabaseType::Single {
            return false;
        }
        match &db.storage {
            Some(s) => aws.fsxn_named(s.as_str()).is_some(),
            None => !aws.fsxn.is_empty(),
        }
    }
}
