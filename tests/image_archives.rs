//! `whittle image` on small hand-made archives: docker-save and OCI layouts, uncompressed,
//! gzip and zstd layers, whiteouts of files and directories, opaque directories, hard links and
//! symlinks, repeated paths. The expected dive numbers are what dive itself computes on the same
//! archives (see docs/image.md for how that was checked: set WHITTLE_WRITE_TEST_ARCHIVES=DIR to
//! get the archives as files).

use std::io::Write;
use whittle::image::tar::{kind, write};

#[derive(Clone, Copy, PartialEq)]
enum Comp {
    None,
    Gzip,
    Zstd,
}

type Entry<'a> = (&'a str, u8, Vec<u8>, &'a str);

fn file<'a>(name: &'a str, size: usize) -> Entry<'a> {
    (name, kind::REG, vec![b'x'; size], "")
}
fn dir(name: &str) -> Entry<'_> {
    (name, kind::DIR, Vec::new(), "")
}
fn marker(name: &str) -> Entry<'_> {
    (name, kind::REG, Vec::new(), "")
}

fn layer_tar(entries: &[Entry<'_>]) -> Vec<u8> {
    let refs: Vec<(&str, u8, &[u8], &str)> = entries
        .iter()
        .map(|(n, t, d, l)| (*n, *t, d.as_slice(), *l))
        .collect();
    write::archive(&refs)
}

fn compress(data: Vec<u8>, comp: Comp) -> Vec<u8> {
    match comp {
        Comp::None => data,
        Comp::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&data).unwrap();
            e.finish().unwrap()
        }
        // Two frames with a skippable frame between them, as zstd:chunked layers are written:
        // the reader must go on past the end of the first frame.
        Comp::Zstd => {
            let half = data.len() / 2;
            let mut out = zstd::stream::encode_all(&data[..half], 3).unwrap();
            out.extend_from_slice(&0x184D_2A50u32.to_le_bytes());
            out.extend_from_slice(&5u32.to_le_bytes());
            out.extend_from_slice(b"index");
            out.extend(zstd::stream::encode_all(&data[half..], 3).unwrap());
            out
        }
    }
}

fn digest(n: usize) -> String {
    format!("sha256:{n:064x}")
}

struct Built {
    /// name -> content, in archive order (blobs first, as `docker save` writes them).
    files: Vec<(String, Vec<u8>)>,
}

/// An image as `docker save` (Docker 25+) writes it: OCI blobs plus `manifest.json`, or with
/// `docker_manifest = false` a plain OCI layout (`index.json` only).
fn image(layers: &[(Vec<Entry<'_>>, Comp, &str)], docker_manifest: bool) -> Built {
    let mut files = Vec::new();
    let mut layer_descs = Vec::new();
    let mut layer_paths = Vec::new();
    let mut history = Vec::new();
    for (i, (entries, comp, created_by)) in layers.iter().enumerate() {
        let blob = compress(layer_tar(entries), *comp);
        let d = digest(i + 1);
        let media = match comp {
            Comp::None => "application/vnd.oci.image.layer.v1.tar",
            Comp::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
            Comp::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        };
        layer_descs.push(serde_json::json!({"mediaType": media, "digest": d, "size": blob.len()}));
        let path = format!("blobs/{}", d.replace(':', "/"));
        layer_paths.push(path.clone());
        files.push((path, blob));
        history.push(serde_json::json!({"created_by": created_by}));
    }
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": (1..=layers.len()).map(digest).collect::<Vec<_>>()},
        "history": history,
    });
    let config_bytes = serde_json::to_vec(&config).unwrap();
    let config_digest = digest(1000);
    let config_path = format!("blobs/{}", config_digest.replace(':', "/"));
    files.push((config_path.clone(), config_bytes.clone()));
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_bytes.len()},
        "layers": layer_descs,
    });
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap();
    let manifest_digest = digest(2000);
    files.push((
        format!("blobs/{}", manifest_digest.replace(':', "/")),
        manifest_bytes.clone(),
    ));
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest, "size": manifest_bytes.len()}],
    });
    files.push(("index.json".into(), serde_json::to_vec(&index).unwrap()));
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    ));
    if docker_manifest {
        let m = serde_json::json!([{"Config": config_path, "RepoTags": ["test:latest"], "Layers": layer_paths}]);
        files.push(("manifest.json".into(), serde_json::to_vec(&m).unwrap()));
    }
    Built { files }
}

impl Built {
    fn tar(&self) -> Vec<u8> {
        let entries: Vec<(&str, u8, &[u8], &str)> = self
            .files
            .iter()
            .map(|(n, d)| (n.as_str(), kind::REG, d.as_slice(), ""))
            .collect();
        write::archive(&entries)
    }

    fn write_dir(&self, dir: &std::path::Path) {
        for (name, data) in &self.files {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, data).unwrap();
        }
    }
}

/// The layers of the main test image: a base layer with files, a hard link and a symlink; a
/// gzip layer that removes a file and a directory, rewrites a file and repeats a path; a zstd
/// layer with an opaque directory, a rewrite of the base's largest file and a file whiteout.
fn whiteout_layers() -> Vec<(Vec<Entry<'static>>, Comp, &'static str)> {
    vec![
        (
            vec![
                dir("etc/"),
                file("etc/a", 100),
                file("etc/b", 200),
                dir("opt/"),
                dir("opt/sub/"),
                file("opt/x", 1000),
                file("opt/sub/y", 50),
                dir("usr/"),
                dir("usr/bin/"),
                file("usr/bin/tool", 300),
                ("usr/bin/tool2", kind::LINK, Vec::new(), "usr/bin/tool"),
                ("usr/bin/t", kind::SYMLINK, Vec::new(), "tool"),
                dir("cache/"),
                file("cache/old", 70),
                dir("empty/"),
            ],
            Comp::None,
            "ADD rootfs.tar / # buildkit",
        ),
        (
            vec![
                dir("etc/"),
                marker("etc/.wh.a"),
                file("etc/b", 250),
                marker(".wh.opt"),
                dir("var/"),
                file("var/log", 40),
                file("var/log", 45),
            ],
            Comp::Gzip,
            "RUN /bin/sh -c rm -rf /etc/a /opt # buildkit",
        ),
        (
            vec![
                dir("cache/"),
                marker("cache/.wh..wh..opq"),
                file("cache/new", 10),
                dir("usr/"),
                dir("usr/bin/"),
                file("usr/bin/tool", 300),
                dir("etc/"),
                marker("etc/.wh.b"),
                dir("empty/"),
            ],
            Comp::Zstd,
            "RUN /bin/sh -c make # buildkit",
        ),
    ]
}

fn whittle_json(path: &std::path::Path) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("whittle")
        .unwrap()
        .args(["image", "--no-dockerfile", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "whittle image failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn dump(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("WHITTLE_WRITE_TEST_ARCHIVES") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

/// What dive reports for `whiteout_layers` (dive's own analysis of the dumped archive). dive
/// ignores opaque markers, so `/cache/new` is not inefficient; the file whiteout of `/etc/b`
/// counts 0 bytes and the directory whiteout of `/opt` the 1050 bytes it hides, as one path
/// seen once.
fn assert_dive_numbers(v: &serde_json::Value) {
    let d = &v["dive"];
    assert_eq!(d["size_bytes"], 2365, "{d}");
    assert_eq!(d["user_size_bytes"], 645);
    assert_eq!(d["wasted_bytes"], 1150);
    assert_eq!(d["efficiency"], 0.7481481481481481);
    assert_eq!(d["user_wasted_ratio"], 1150.0 / 645.0);
    let paths: Vec<(String, u64, u64)> = d["inefficient"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["path"].as_str().unwrap().to_string(),
                x["count"].as_u64().unwrap(),
                x["cumulative_size"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("/usr/bin/tool".to_string(), 2, 600),
            ("/etc/b".to_string(), 3, 450),
            ("/etc/a".to_string(), 2, 100),
            ("/empty".to_string(), 2, 0),
        ]
    );
}

#[test]
fn docker_save_archive_with_whiteouts_gzip_and_zstd() {
    let built = image(&whiteout_layers(), true);
    let tar = built.tar();
    dump("whiteouts-docker.tar", &tar);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image.tar");
    std::fs::write(&path, &tar).unwrap();
    let v = whittle_json(&path);
    assert_dive_numbers(&v);
    let layers = v["layers"].as_array().unwrap();
    let comps: Vec<&str> = layers
        .iter()
        .map(|l| l["compression"].as_str().unwrap())
        .collect();
    assert_eq!(comps, ["none", "gzip", "zstd"]);
    // The overlay: layer 1 removes etc/a and opt (2 files), rewrites etc/b; layer 2 hides
    // cache/old (opaque), rewrites usr/bin/tool and removes etc/b.
    let ch = |i: usize, k: &str| layers[i]["changes"][k].as_u64().unwrap();
    assert_eq!(ch(0, "added_files"), 8);
    assert_eq!((ch(1, "removed_files"), ch(1, "removed_bytes")), (3, 1150));
    assert_eq!(ch(1, "changed_files"), 1);
    assert_eq!((ch(2, "removed_files"), ch(2, "removed_bytes")), (2, 320));
    assert_eq!(ch(2, "changed_files"), 1);
    assert_eq!(layers[0]["command"], "ADD rootfs.tar / # buildkit");
    assert_eq!(v["tags"][0], "test:latest");
}

#[test]
fn oci_layout_archive_and_directory_give_the_same_numbers() {
    let built = image(&whiteout_layers(), false);
    let tar = built.tar();
    dump("whiteouts-oci.tar", &tar);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oci.tar");
    std::fs::write(&path, &tar).unwrap();
    assert_dive_numbers(&whittle_json(&path));
    let layout = dir.path().join("layout");
    built.write_dir(&layout);
    assert_dive_numbers(&whittle_json(&layout));
}

/// dive divides by the user layers' size, which a one-layer image does not have: no ratio (dive
/// gets NaN, and its gate passes).
#[test]
fn a_single_layer_image_has_no_user_wasted_ratio() {
    let built = image(&[(vec![file("a", 10)], Comp::Gzip, "ADD a /")], true);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.tar");
    std::fs::write(&path, built.tar()).unwrap();
    let v = whittle_json(&path);
    assert_eq!(v["dive"]["efficiency"], 1.0);
    assert_eq!(v["dive"]["user_wasted_ratio"], serde_json::Value::Null);
}

#[test]
fn a_truncated_layer_is_a_warning_not_a_crash() {
    let mut built = image(&whittle_layers_small(), true);
    let blob = &mut built.files[0].1;
    blob.truncate(700);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.tar");
    std::fs::write(&path, built.tar()).unwrap();
    let out = assert_cmd::Command::cargo_bin("whittle")
        .unwrap()
        .args(["image", "--no-dockerfile"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("layer 0"));
}

fn whittle_layers_small() -> Vec<(Vec<Entry<'static>>, Comp, &'static str)> {
    vec![(vec![file("a", 600), file("b", 600)], Comp::None, "ADD x /")]
}

#[test]
fn not_an_image_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.tar");
    std::fs::write(
        &path,
        write::archive(&[("README.md", kind::REG, b"hi", "")]),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("whittle")
        .unwrap()
        .args(["image", "--no-dockerfile"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("manifest.json"));
}

#[test]
fn the_ci_gate_reads_dive_ci_and_flags() {
    let built = image(&whiteout_layers(), true);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image.tar");
    std::fs::write(&path, built.tar()).unwrap();
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("whittle")
            .unwrap()
            .current_dir(dir.path())
            .args(["image", "--no-dockerfile", "--ci"])
            .args(args)
            .arg(&path)
            .output()
            .unwrap()
    };
    // dive's defaults: efficiency 0.63 < 0.9 fails.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL  lowestEfficiency"), "{text}");
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  lowestEfficiency: 0.5\n  highestWastedBytes: 2KB\n  highestUserWastedPercent: disabled\n",
    )
    .unwrap();
    let out = run(&[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&["--highest-wasted-bytes", "1KB"]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["--lowest-efficiency", "2"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn without_an_engine_names_and_measure_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    for args in [
        &["image", "no-such-image:latest"][..],
        &["measure", "Dockerfile"][..],
        &[
            "measure",
            "--unsafe-fixes",
            "--extend-select",
            "image-size",
            "Dockerfile",
        ][..],
    ] {
        let out = assert_cmd::Command::cargo_bin("whittle")
            .unwrap()
            .current_dir(dir.path())
            .env("DOCKER", dir.path().join("no-docker-here"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no Docker client"), "{err}");
    }
}

/// npm's hidden lockfile marks development packages: their bytes are WH311's, at the line
/// that installed them; SARIF and GitHub annotations point there too.
#[test]
fn npm_dev_dependencies_are_traced_to_the_install_line() {
    let lock = br#"{"name":"app","lockfileVersion":3,"packages":{
        "node_modules/express":{"version":"4.19.2"},
        "node_modules/typescript":{"version":"5.4.5","dev":true}}}"#;
    let layers = vec![
        (
            vec![dir("usr/"), file("usr/node", 4000)],
            Comp::Gzip,
            "/bin/sh -c #(nop) ADD file:0123 in / ",
        ),
        (
            vec![
                dir("app/"),
                file("app/package.json", 50),
                file("app/package-lock.json", 90),
            ],
            Comp::Gzip,
            "COPY package.json package-lock.json /app/ # buildkit",
        ),
        (
            vec![
                dir("app/node_modules/"),
                (
                    "app/node_modules/.package-lock.json",
                    kind::REG,
                    lock.to_vec(),
                    "",
                ),
                file("app/node_modules/express/index.js", 100),
                file("app/node_modules/typescript/lib/tsc.js", 5000),
                file("app/node_modules/typescript/package.json", 20),
            ],
            Comp::Zstd,
            "RUN /bin/sh -c cd /app && npm ci # buildkit",
        ),
    ];
    let built = image(&layers, true);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.tar");
    std::fs::write(&path, built.tar()).unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM node:20-slim\nCOPY package.json package-lock.json /app/\nRUN cd /app && npm ci\n",
    )
    .unwrap();
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("whittle")
            .unwrap()
            .current_dir(dir.path())
            .args(["image", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let lines: Vec<&serde_json::Value> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["instruction"]["line"])
        .collect();
    assert_eq!(lines, [&serde_json::Value::Null, &2.into(), &3.into()]);
    let findings = v["attribution"]["findings"].as_array().unwrap();
    let f = findings
        .iter()
        .find(|f| f["rule"] == "WH311")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(
        (f["line"].as_u64(), f["bytes"].as_u64()),
        (Some(3), Some(5020))
    );
    assert_eq!(f["files"], 2);
    assert!(run("text").contains("Dockerfile:3"));
    let sarif = run("sarif");
    assert!(sarif.contains("\"ruleId\": \"WH311\""), "{sarif}");
    assert!(run("github").contains("file=Dockerfile,line=3"));
}

/// dive's quirks on one archive: a whiteout of a path no lower layer has stops the counting of
/// the rest of its layer (in name order), and a file whiteout counts 0 bytes.
#[test]
fn dive_quirks_missing_whiteout_target() {
    let layers = vec![
        (
            vec![file("a", 10), dir("d/"), file("d/x", 5)],
            Comp::None,
            "ADD x /",
        ),
        (
            vec![marker(".wh.missing"), file("a", 10), file("b", 3)],
            Comp::None,
            "RUN x",
        ),
        (
            vec![dir("d/"), marker("d/.wh.x"), file("d/y", 1)],
            Comp::None,
            "RUN y",
        ),
    ];
    let built = image(&layers, true);
    let tar = built.tar();
    dump("quirks-docker.tar", &tar);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.tar");
    std::fs::write(&path, tar).unwrap();
    let v = whittle_json(&path);
    let d = &v["dive"];
    // dive: `a` of layer 2 is never counted (the walk stopped at `.wh.missing`), so `a` is
    // not inefficient; `d/x` is counted twice (5 bytes, then its whiteout's 0); `/missing` is
    // recorded with no size and a minimum of -1 before the walk stops: (10 + 0 + 1 - 1) / 16.
    assert_eq!(d["size_bytes"], 29);
    assert_eq!(d["wasted_bytes"], 5);
    assert_eq!(d["inefficient"][0]["path"], "/d/x");
    assert_eq!(d["inefficient"].as_array().unwrap().len(), 1);
    assert_eq!(d["efficiency"], 0.625);
}
