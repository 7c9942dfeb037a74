//! Parse throughput over a mix of realistic Dockerfiles (`benches/data/`), reported in bytes/s.
//!
//! Two groups: `parse` measures wall-clock time (criterion's default), `parse-cpu` measures the
//! benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), which stays meaningful on a machine
//! shared with other jobs, where wall-clock time also counts the time spent waiting for a core.

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn corpus() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("benches/data")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("utf-8 Dockerfile"))
        .collect()
}

fn parse_all(files: &[String]) {
    for f in files {
        black_box(whittle::syntax::parse(black_box(f)));
    }
}

/// Parse, then build the typed view of every instruction (views are built on first use, so
/// `parse` alone does not include them; a lint run builds most of them).
fn parse_all_with_views(files: &[String]) {
    for f in files {
        let df = whittle::syntax::parse(black_box(f));
        for inst in &df.instructions {
            black_box(inst.view());
        }
        black_box(df);
    }
}

fn bench_parse(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("realistic-mix", |b| b.iter(|| parse_all(&files)));
    group.bench_function("realistic-mix+views", |b| {
        b.iter(|| parse_all_with_views(&files))
    });
    group.finish();
}

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

/// Linux `CLOCK_THREAD_CPUTIME_ID`.
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

fn thread_cpu_nanos() -> u64 {
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Thread CPU time, in nanoseconds.
struct CpuTime;

struct NanosFormatter;

impl ValueFormatter for NanosFormatter {
    fn scale_values(&self, _typical: f64, _values: &mut [f64]) -> &'static str {
        "ns (cpu)"
    }
    fn scale_throughputs(&self, _typical: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        if let Throughput::Bytes(b) | Throughput::BytesDecimal(b) = t {
            for v in values.iter_mut() {
                // bytes per CPU-nanosecond -> MB (10^6 bytes) per CPU-second
                *v = *b as f64 * 1e3 / *v;
            }
        }
        "MB/s (cpu)"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_nanos()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_nanos().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &NanosFormatter
    }
}

fn bench_parse_cpu(c: &mut Criterion<CpuTime>) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse-cpu");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("realistic-mix", |b| b.iter(|| parse_all(&files)));
    group.bench_function("realistic-mix+views", |b| {
        b.iter(|| parse_all_with_views(&files))
    });
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(CpuTime);
    targets = bench_parse_cpu
}
criterion_main!(benches, cpu_benches);
