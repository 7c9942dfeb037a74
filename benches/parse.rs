//! Parse throughput over a mix of realistic Dockerfiles (`benches/data/`), reported in bytes/s.

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

fn bench_parse(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("realistic-mix", |b| {
        b.iter(|| {
            for f in &files {
                black_box(whittle::syntax::parse(black_box(f)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
