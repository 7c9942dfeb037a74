//! Shell parser throughput on typical RUN bodies (written for this bench), and on a real corpus
//! when `WHITTLE_SHELL_CORPUS` names a run-bodies directory (`valid.txt` + one file per body).
//!
//! `cargo bench --bench shell` — the report's "thrpt" line is in bodies per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use whittle::syntax::shell::parse;

/// Continuation-joined bodies in the shapes real Dockerfiles use.
const BODIES: &[&str] = &[
    "apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git \
     && rm -rf /var/lib/apt/lists/*",
    "set -eux; ARCH=\"$(dpkg --print-architecture)\"; case \"$ARCH\" in amd64) A=x86_64 ;; \
     arm64) A=aarch64 ;; *) echo \"unsupported $ARCH\" >&2; exit 1 ;; esac; \
     curl -fsSL \"https://example.invalid/tool-${VERSION}-${A}.tar.gz\" -o /tmp/t.tgz; \
     echo \"${SHA256}  /tmp/t.tgz\" | sha256sum -c -; tar -xzf /tmp/t.tgz -C /usr/local/bin; \
     rm /tmp/t.tgz",
    "pip install --no-cache-dir -r requirements.txt",
    "groupadd -r app && useradd -r -g app -d /home/app -s /sbin/nologin app && mkdir -p /home/app \
     && chown -R app:app /home/app",
    "if [ -n \"$PROXY\" ]; then echo \"Acquire::http::Proxy \\\"$PROXY\\\";\" > /etc/apt/apt.conf.d/01proxy; fi \
     && apk add --no-cache bash git openssh && for f in a b c; do ln -s /opt/$f /usr/bin/$f; done",
    "npm ci --omit=dev && npm cache clean --force",
    "cat <<EOF > /etc/app.conf\nlisten = 0.0.0.0:${PORT}\nworkers = 4\nEOF\nchmod 0644 /etc/app.conf",
    "[[ -f /opt/x ]] || { wget -qO- https://example.invalid/x.sh | bash -s -- --prefix=/opt; } \
     && export PATH=\"/opt/bin:$PATH\" && x --version",
];

fn bench_shell(c: &mut Criterion) {
    let mut group = c.benchmark_group("shell");
    group.throughput(Throughput::Elements(BODIES.len() as u64));
    group.bench_function("typical_bodies", |b| {
        b.iter(|| {
            for body in BODIES {
                let _ = black_box(parse(black_box(body)));
            }
        })
    });
    if let Some(corpus) = corpus() {
        group.throughput(Throughput::Elements(corpus.len() as u64));
        group.sample_size(10);
        group.bench_function("corpus", |b| {
            b.iter(|| {
                for body in &corpus {
                    let _ = black_box(parse(black_box(body)));
                }
            })
        });
    }
    group.finish();
}

fn corpus() -> Option<Vec<String>> {
    let dir = std::path::PathBuf::from(std::env::var_os("WHITTLE_SHELL_CORPUS")?);
    let list = std::fs::read_to_string(dir.join("valid.txt")).ok()?;
    let bodies: Vec<String> = list
        .lines()
        .filter_map(|n| std::fs::read_to_string(dir.join(n.trim())).ok())
        .collect();
    (!bodies.is_empty()).then_some(bodies)
}

criterion_group!(benches, bench_shell);
criterion_main!(benches);
