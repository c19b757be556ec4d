//! The text after each subcommand's options in `--help`: examples and exit status.
//! `maa man` turns the same paragraphs into the EXAMPLES and EXIT STATUS sections of the
//! pages ([`super::man`]), so the two cannot drift; a test runs every example on the
//! shipped topologies. `maa simulate` keeps its own text next to its arguments.

pub(super) const TOP: &str = "\
Examples:
  maa init topology.yaml
  maa check topologies/
  maa simulate topologies/active-passive-rac.yaml --all
  maa render topologies/active-passive-rac.yaml -t all --out maa-out
  maa explain WLS002

Exit status:
  0  success: nothing at or above the threshold
  1  findings at or above --fail-on (check), an objective breached (simulate), drift (render --check)
  2  usage error, a topology or configuration that does not load, or an output that cannot be written";

pub(super) const CHECK: &str = "\
Examples:
  maa check topologies/starter.yaml
  maa check --format concise --statistics topologies/
  maa check --format sarif -o maa.sarif --fail-on never topologies/
  maa check --select WLS,DB --fail-on warning topologies/active-passive-rac.yaml
  maa check --write-baseline maa-baseline.json topologies/starter.yaml
  maa check --baseline maa-baseline.json topologies/starter.yaml
  maa init - | maa check -

Exit status:
  0  no finding at or above --fail-on (default: error)
  1  a finding at or above --fail-on
  2  usage error, a topology or configuration that does not load, or the report cannot be written";

pub(super) const SCHEMA: &str = "\
Examples:
  maa schema > topology.schema.json
  maa schema --config > maa-config.schema.json

Exit status:
  0  the schema was printed
  2  usage error, or standard output cannot be written";

pub(super) const INIT: &str = "\
Examples:
  maa init topology.yaml
  maa init - | maa check -

Exit status:
  0  the starter topology was written
  2  usage error, the file exists (use --force), or it cannot be written";

pub(super) const RULES: &str = "\
Examples:
  maa rules
  maa rules --format json
  maa rules --format markdown --out rule-pages

Exit status:
  0  the rules were listed
  2  usage error, or the output cannot be written";

pub(super) const EXPLAIN: &str = "\
Examples:
  maa explain WLS002
  maa explain cluster-single-host

Exit status:
  0  the rule was explained
  2  no rule has that code or name (the message suggests the closest)";

pub(super) const GRAPH: &str = "\
Examples:
  maa graph topologies/active-passive-rac.yaml -o topology.dot
  maa graph --format mermaid topologies/starter.yaml
  maa graph --format json topologies/stretch-cluster.yaml

Exit status:
  0  the graph was written
  2  usage error, a topology that does not load, or the output cannot be written";

pub(super) const REPORT: &str = "\
Examples:
  maa report topologies/starter.yaml --html starter.html
  maa report topologies/active-passive-rac.yaml --html before.html --json before.json
  maa report topologies/active-passive-rac.yaml --html after.html --compare before.json

The page is self-contained (no network, fonts or external scripts): the topology diagram
with its single points of failure, the findings by area and severity, every single failure
scenario (as maa simulate --all) with its recovery timeline, and with --compare the new and
fixed findings and the changed RTO/RPO since the previous run. See docs/report.md.

Exit status:
  0  the report was written (whatever it found)
  2  usage error, a topology, configuration or --compare file that does not load, or an
     output that cannot be written";

pub(super) const RENDER: &str = "\
Examples:
  maa render --list
  maa render topologies/active-passive-rac.yaml -t all --out maa-out
  maa render topologies/active-passive-rac.yaml -t all --out maa-out --check
  maa render topologies/aws-fsxn-asg.yaml -t cloudformation -t user-data --out maa-out

Exit status:
  0  the artifacts were written (with --check: the files match)
  1  with --check: drift (a file missing, changed, stale or unexpected)
  2  usage error, a topology that does not load, or a file that cannot be written or read";

pub(super) const COMPLETIONS: &str = "\
Examples:
  maa completions bash > maa.bash
  maa completions zsh > _maa

Exit status:
  0  the completions were printed
  2  usage error, or standard output cannot be written";

pub(super) const MAN: &str = "\
Examples:
  maa man
  maa man check
  maa man --out man1

Exit status:
  0  the pages were written
  2  usage error, an unknown subcommand, or a page that cannot be written";
