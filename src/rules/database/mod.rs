//! Database rules: RAC, Data Guard, far sync, FSFO, GoldenGate, GDS.

pub mod db002_no_standby_in_other_site;
