//! Benchmark of `maa check` (rules + SPOF + double faults + objective simulation), of a
//! check of one rule that needs no analysis (`--select WLS001`) and of `maa simulate --all`
//! on synthetic topologies of about 1k, 10k and 100k components.
//!
//! `cargo bench --bench resilience` prints the timings (best of a few runs, in process);
//! `cargo bench --bench resilience -- --write DIR` writes `synthetic-<n>.yaml` for measuring
//! the release binary with `/usr/bin/time -v` (see docs/performance.md).

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use rayon::prelude::*;

// The allocator of the `maa` binary, so that the figures are those of the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Components per unit: 6 hosts + 2 OHS + 2 managed servers + 2 RAC instances.
const PER_UNIT: usize = 12;

/// A single-site topology over three zones: `units` copies of OHS pair → two-server cluster
/// (JMS singleton, JDBC store, database leasing) → two-instance RAC database, behind one
/// local load balancer pair, with host and zone objectives.
pub fn synthetic(components: usize) -> String {
    let units = components.div_ceil(PER_UNIT).max(1);
    let mut y = String::with_capacity(units * 1400);
    y.push_str("version: 1\nname: synthetic\narchitecture: single-site\n");
    y.push_str("objectives:\n  host: {rto: 5m, rpo: 0s}\n  zone: {rto: 10m, rpo: 0s}\n");
    y.push_str("sites:\n  - name: dc1\n    role: primary\n    zones:\n");
    for z in 0..3 {
        y.push_str(&format!("      - name: z{z}\n        hosts:\n"));
        if z < 2 {
            y.push_str(&format!("          - {{name: lb{z}}}\n"));
        }
        for u in 0..units {
            for (role, slot) in [("w", 0), ("w", 1), ("a", 0), ("a", 1), ("d", 0), ("d", 1)] {
                // Spread each pair over two different zones (rotating with the unit).
                if (u + slot + if role == "a" { 1 } else { 0 }) % 3 == z {
                    y.push_str(&format!("          - {{name: {role}{u}x{slot}}}\n"));
                }
            }
        }
    }
    y.push_str("load_balancers:\n  - {name: lb, site: dc1, hosts: [lb0, lb1], health_check: {interval: 5s}}\n");
    y.push_str("ohs:\n");
    for u in 0..units {
        for s in 0..2 {
            y.push_str(&format!("  - {{name: o{u}x{s}, host: w{u}x{s}, routes: [{{path: /app{u}, cluster: c{u}}}]}}\n"));
        }
    }
    y.push_str("domains:\n");
    for u in 0..units {
        y.push_str(&format!(
            "  - name: d{u}\n    admin_server: {{host: a{u}x0}}\n    clusters:\n      - name: c{u}\n        servers:\n          - {{name: s{u}x0, host: a{u}x0}}\n          - {{name: s{u}x1, host: a{u}x1}}\n        migration: {{data_source: ds{u}}}\n        transaction_log: {{type: jdbc, data_source: ds{u}, migration: failure-recovery}}\n    stores:\n      - {{name: st{u}, type: jdbc, cluster: c{u}, data_source: ds{u}}}\n    singletons:\n      - {{name: jms{u}, kind: jms-server, cluster: c{u}, store: st{u}, migration: exactly-once}}\n    data_sources:\n      - {{name: ds{u}, service: svc{u}, targets: [c{u}]}}\n"
        ));
    }
    y.push_str("databases:\n");
    for u in 0..units {
        y.push_str(&format!(
            "  - name: db{u}\n    type: rac\n    instances: [{{name: i0, host: d{u}x0}}, {{name: i1, host: d{u}x1}}]\n    services: [{{name: svc{u}}}]\n"
        ));
    }
    y
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    match last {
        Some(v) => (best, v),
        None => (best, f()),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = args
            .get(i + 1)
            .map_or("target/bench-topologies", String::as_str);
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("cannot create {dir}: {e}");
            std::process::exit(2);
        }
        for n in [1_000, 10_000, 100_000] {
            let path = format!("{dir}/synthetic-{n}.yaml");
            if let Err(e) = std::fs::write(&path, synthetic(n)) {
                eprintln!("cannot write {path}: {e}");
                std::process::exit(2);
            }
            println!("wrote {path}");
        }
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it,
    // and then a single small smoke run (debug build) is enough to prove the bench works.
    let full = args.iter().any(|a| a == "--bench");
    let sizes: &[usize] = if full {
        &[1_000, 10_000, 100_000]
    } else {
        &[1_000]
    };
    println!(
        "| components | graph nodes | events | load+resolve | check (all rules) | check --select WLS001 | simulate --all |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let text = synthetic(n);
        let runs = match (full, n >= 100_000) {
            (false, _) => 1,
            (true, true) => 3,
            (true, false) => 5,
        };
        let load = || {
            let loaded = maa::load::load_str("synthetic.yaml", text.clone())
                .unwrap_or_else(|e| panic!("{:?}", e.first().map(|d| &d.message)));
            maa::resolve::resolve(loaded)
                .unwrap_or_else(|e| panic!("{:?}", e.first().map(|d| &d.message)))
        };
        // Each run holds one model (and one analysis) at a time, as the CLI does: at 100k,
        // extra live copies cost cache and skew the figures.
        let (mut t_load, mut check_time, mut select_time) =
            (Duration::MAX, Duration::MAX, Duration::MAX);
        for _ in 0..runs {
            let t = Instant::now();
            let m = load();
            t_load = t_load.min(t.elapsed());
            let t = Instant::now();
            let _ = maa::rules::check(&m);
            check_time = check_time.min(t.elapsed());
            let t = Instant::now();
            let _ = maa::rules::check_selected(&m, |r| r.code == "WLS001");
            select_time = select_time.min(t.elapsed());
        }
        let model = load();
        let a = maa::analysis::Analysis::new(&model);
        let (t_sim, scen) = best(runs, || {
            let sim = maa::analysis::Simulator::new(&model, &a.graph);
            // In parallel, as `maa simulate --all` does.
            a.graph
                .events
                .par_iter()
                .map(|e| sim.run(&[*e], true).apps.len())
                .sum::<usize>()
        });
        let _ = scen;
        println!(
            "| {n} | {} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
            a.graph.g.node_count(),
            a.graph.events.len(),
            t_load.as_secs_f64() * 1e3,
            check_time.as_secs_f64() * 1e3,
            select_time.as_secs_f64() * 1e3,
            t_sim.as_secs_f64() * 1e3
        );
    }
}
