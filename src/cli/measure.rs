//! `whittle measure [DOCKERFILE]`: the proof on the user's own project. The Dockerfile is built
//! as it is and as `whittle check --fix` leaves it, both in temporary copies of the build
//! context (the user's files are never touched), and the two images are compared side by side:
//! size, layers, dive's wasted bytes and efficiency, the rebuild time after a change to one
//! source file, a smoke command, and the diff that made the difference. The numbers come from
//! `whittle image`.

use super::image::{TempDir, docker_program, tempdir};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::fix::unified_diff;
use crate::image::render::bytes;
use crate::image::{self, ImageError, engine::Engine};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  whittle measure                            ./Dockerfile, context .
  whittle measure --unsafe-fixes app/Dockerfile --touch src/main.go --smoke 'app --version'
  whittle measure --reference expert.Dockerfile --format json

Needs a Docker engine. Images are tagged TAG:original, TAG:fixed (and TAG:reference).
Exit status: 0 measured, 1 a variant does not build, fails its smoke command, or the fixed
image is bigger than the original, 2 no engine or another error.")]
pub struct MeasureArgs {
    /// The Dockerfile to measure
    #[arg(default_value = "Dockerfile")]
    pub dockerfile: PathBuf,

    /// The build context [default: the Dockerfile's directory]
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,

    /// Also apply unsafe fixes
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Also run these rules when fixing, as `whittle check --extend-select` (for example the
    /// off-by-default image-size rules: `--extend-select image-size`)
    #[arg(long, value_name = "RULES")]
    pub extend_select: Option<String>,

    /// A hand-optimized Dockerfile to compare with (built in the same context)
    #[arg(long, value_name = "PATH")]
    pub reference: Option<PathBuf>,

    /// The source file (relative to the context) changed before timing a rebuild [default:
    /// the most recently modified file of the context that is not a Dockerfile]
    #[arg(long, value_name = "FILE")]
    pub touch: Option<PathBuf>,

    /// A command run in each image (`--network=none`): plain words run as the entrypoint,
    /// anything with shell syntax under /bin/sh -c; exit 0 passes
    #[arg(long, value_name = "COMMAND")]
    pub smoke: Option<String>,

    /// Image name for the builds [default: whittle-measure-<context directory name>]
    #[arg(long, value_name = "NAME")]
    pub tag: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
    pub format: MeasureFormat,

    /// The Docker client [default: $DOCKER, else docker]
    #[arg(long, value_name = "PROGRAM")]
    pub docker: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureFormat {
    Text,
    Json,
}

/// One built variant and its numbers.
#[derive(Debug, Default, serde::Serialize)]
struct Variant {
    name: &'static str,
    tag: String,
    built: bool,
    error: Option<String>,
    build_seconds: Option<f64>,
    rebuild_seconds: Option<f64>,
    size: Option<u64>,
    layers: Option<usize>,
    wasted_bytes: Option<u64>,
    efficiency: Option<f64>,
    /// Bytes of the waste findings traced to its Dockerfile.
    attributed_waste: Option<u64>,
    smoke: Option<bool>,
}

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 10.0).round() / 10.0
}

/// Copy a directory tree (symlinks as symlinks, permissions kept).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else if ty.is_symlink() {
            let target = std::fs::read_link(entry.path())?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &dest)?;
            #[cfg(not(unix))]
            let _ = target;
        } else {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// The most recently modified regular file of the context (not a Dockerfile, not hidden), two
/// levels deep at most.
fn pick_touch_file(context: &Path) -> Option<PathBuf> {
    let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
    let mut dirs = vec![(context.to_path_buf(), 0)];
    while let Some((dir, depth)) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "node_modules" || name == "target" {
                continue;
            }
            let Ok(ty) = e.file_type() else { continue };
            if ty.is_dir() && depth < 2 {
                dirs.push((e.path(), depth + 1));
            } else if ty.is_file() {
                let lower = name.to_ascii_lowercase();
                if lower.contains("dockerfile") || lower.contains("containerfile") {
                    continue;
                }
                let Ok(modified) = e.metadata().and_then(|m| m.modified()) else {
                    continue;
                };
                let rel = e.path().strip_prefix(context).ok()?.to_path_buf();
                if best
                    .as_ref()
                    .is_none_or(|(t, p)| modified > *t || (modified == *t && rel < *p))
                {
                    best = Some((modified, rel));
                }
            }
        }
    }
    best.map(|(_, p)| p)
}

/// Append a comment in the file's own syntax, so that its content changes.
fn touch_source(file: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let stamp = format!(
        "whittle measure rebuild {}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let line = match ext.as_str() {
        "go" | "ts" | "tsx" | "js" | "mjs" | "cjs" | "rs" | "java" | "kt" | "scala" | "swift" => {
            format!("\n// {stamp}\n")
        }
        "c" | "h" | "cc" | "cpp" | "hpp" | "css" => format!("\n/* {stamp} */\n"),
        "md" | "html" | "htm" | "xml" => format!("\n<!-- {stamp} -->\n"),
        "json" => String::new(),
        _ => format!("\n# {stamp}\n"),
    };
    if line.is_empty() {
        // JSON has no comments: a trailing newline changes the bytes and nothing else.
        return std::fs::OpenOptions::new()
            .append(true)
            .open(file)?
            .write_all(b"\n");
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(file)?
        .write_all(line.as_bytes())
}

/// Whether a smoke command needs a shell.
fn needs_shell(cmd: &str) -> bool {
    cmd.chars().any(|c| "|&;<>()$`\\\"'*?[#~=%".contains(c))
}

fn image_id(engine: &Engine, tag: &str) -> Option<String> {
    let out = std::process::Command::new(&engine.program)
        .args(["image", "inspect", "-f", "{{.Id}}", tag])
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

struct Job<'a> {
    engine: &'a Engine,
    work: &'a TempDir,
    smoke: Option<&'a str>,
}

impl Job<'_> {
    /// Build one variant and read its numbers.
    fn measure(&self, v: &mut Variant, context: &Path, dockerfile: &Path) {
        let log = self.work.path.join(format!("{}.log", v.name));
        match self.engine.build(context, dockerfile, &v.tag, &log) {
            Ok(d) => {
                v.built = true;
                v.build_seconds = Some(secs(d));
            }
            Err(e) => {
                v.error = Some(e.to_string());
                return;
            }
        }
        v.size = self.engine.image_size(&v.tag).ok();
        let archive = self.work.path.join(format!("{}.tar", v.name));
        let analysed = self
            .engine
            .save(&v.tag, &archive)
            .and_then(|()| image::load(&archive));
        let _ = std::fs::remove_file(&archive);
        match analysed {
            Ok(img) => {
                v.layers = Some(img.layers.len());
                v.wasted_bytes = Some(img.efficiency.wasted_bytes);
                v.efficiency = Some(img.efficiency.score);
                if let Ok(text) = std::fs::read_to_string(dockerfile) {
                    let file = crate::syntax::parse(&text);
                    let a = image::attribute(&img, &file);
                    v.attributed_waste = Some(a.findings.iter().map(|f| f.bytes).sum());
                }
            }
            Err(e) => v.error = Some(format!("reading the image: {e}")),
        }
        if let Some(cmd) = self.smoke {
            v.smoke = Some(
                self.engine
                    .run(&v.tag, needs_shell(cmd), cmd)
                    .unwrap_or(false),
            );
        }
    }

    /// Rebuild after the source change; the image it replaces is removed.
    fn rebuild(&self, v: &mut Variant, context: &Path, dockerfile: &Path) {
        if !v.built {
            return;
        }
        let old = image_id(self.engine, &v.tag);
        let log = self.work.path.join(format!("{}-rebuild.log", v.name));
        match self.engine.build(context, dockerfile, &v.tag, &log) {
            Ok(d) => v.rebuild_seconds = Some(secs(d)),
            Err(e) => v.error = Some(format!("rebuild after a source change: {e}")),
        }
        if let Some(old) = old
            && image_id(self.engine, &v.tag).as_ref() != Some(&old)
        {
            self.engine.remove(&old);
        }
    }
}

fn sanitize_tag(name: &str) -> String {
    let s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    if s.is_empty() { "project".into() } else { s }
}

pub fn run(args: MeasureArgs) -> u8 {
    match measure(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("whittle: error: measure: {e}");
            EXIT_ERROR
        }
    }
}

fn measure(args: &MeasureArgs) -> Result<u8, ImageError> {
    let engine = Engine::new(docker_program(args.docker.as_deref()));
    engine.check()?;
    let dockerfile = std::fs::canonicalize(&args.dockerfile)
        .map_err(|e| ImageError::Format(format!("{}: {e}", args.dockerfile.display())))?;
    let context = match &args.context {
        Some(c) => std::fs::canonicalize(c)
            .map_err(|e| ImageError::Format(format!("{}: {e}", c.display())))?,
        None => dockerfile
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let reference = match &args.reference {
        Some(r) => Some(
            std::fs::canonicalize(r)
                .map_err(|e| ImageError::Format(format!("{}: {e}", r.display())))?,
        ),
        None => None,
    };
    let original_text = std::fs::read_to_string(&dockerfile)?;
    let work = tempdir()?;
    let orig_ctx = work.path.join("original");
    let fixed_ctx = work.path.join("fixed");
    copy_tree(&context, &orig_ctx)?;
    copy_tree(&context, &fixed_ctx)?;
    // The Dockerfile inside each copy (or beside it, when it lives outside the context).
    let place = |ctx: &Path, file: &Path, name: &str| -> std::io::Result<PathBuf> {
        match file.strip_prefix(&context) {
            Ok(rel) => Ok(ctx.join(rel)),
            Err(_) => {
                let p = work.path.join(format!("{name}.Dockerfile"));
                std::fs::copy(file, &p)?;
                Ok(p)
            }
        }
    };
    let orig_df = place(&orig_ctx, &dockerfile, "original")?;
    let fixed_df = place(&fixed_ctx, &dockerfile, "fixed")?;
    let reference_df = match &reference {
        Some(r) => Some(place(&orig_ctx, r, "reference")?),
        None => None,
    };

    // `whittle check --fix` on the copy, exactly as the user would run it.
    let exe = std::env::current_exe()?;
    let mut fix = std::process::Command::new(exe);
    fix.current_dir(fixed_df.parent().unwrap_or(&fixed_ctx))
        .args(["check", "--fix", "--fail-level", "none"]);
    if args.unsafe_fixes {
        fix.arg("--unsafe-fixes");
    }
    if let Some(rules) = &args.extend_select {
        fix.args(["--extend-select", rules]);
    }
    let fix_out = fix
        .arg(&fixed_df)
        .stdin(std::process::Stdio::null())
        .output()?;
    if fix_out.status.code().is_none_or(|c| c > 1) {
        return Err(ImageError::Format(format!(
            "`whittle check --fix` failed: {}",
            String::from_utf8_lossy(&fix_out.stderr).trim()
        )));
    }
    let fixed_text = std::fs::read_to_string(&fixed_df)?;
    let display = args.dockerfile.display().to_string();
    let diff = unified_diff(&display, &original_text, &fixed_text);

    let base = args.tag.clone().unwrap_or_else(|| {
        let name = context
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("whittle-measure-{}", sanitize_tag(&name))
    });
    let job = Job {
        engine: &engine,
        work: &work,
        smoke: args.smoke.as_deref(),
    };
    let mut original = Variant {
        name: "original",
        tag: format!("{base}:original"),
        ..Variant::default()
    };
    let mut fixed = Variant {
        name: "fixed",
        tag: format!("{base}:fixed"),
        ..Variant::default()
    };
    let mut refv = reference_df.as_ref().map(|_| Variant {
        name: "reference",
        tag: format!("{base}:reference"),
        ..Variant::default()
    });
    job.measure(&mut original, &orig_ctx, &orig_df);
    let fixes_applied = !diff.is_empty();
    job.measure(&mut fixed, &fixed_ctx, &fixed_df);
    if let (Some(v), Some(df)) = (refv.as_mut(), &reference_df) {
        job.measure(v, &orig_ctx, df);
    }

    let touch = args.touch.clone().or_else(|| pick_touch_file(&context));
    let mut touch_note = None;
    match &touch {
        Some(rel) if orig_ctx.join(rel).is_file() => {
            touch_source(&orig_ctx.join(rel))?;
            touch_source(&fixed_ctx.join(rel))?;
            job.rebuild(&mut original, &orig_ctx, &orig_df);
            job.rebuild(&mut fixed, &fixed_ctx, &fixed_df);
            if let (Some(v), Some(df)) = (refv.as_mut(), &reference_df) {
                job.rebuild(v, &orig_ctx, df);
            }
        }
        Some(rel) => touch_note = Some(format!("{} is not a file of the context", rel.display())),
        None => touch_note = Some("no source file to change in the context".into()),
    }

    let mut problems = Vec::new();
    let mut variants: Vec<&Variant> = vec![&original, &fixed];
    if let Some(v) = &refv {
        variants.push(v);
    }
    for v in &variants {
        if let Some(e) = &v.error {
            problems.push(format!("{}: {e}", v.name));
        }
        if v.smoke == Some(false) {
            problems.push(format!("{}: the smoke command failed", v.name));
        }
    }
    if let (Some(o), Some(f)) = (original.size, fixed.size)
        && f > o
    {
        problems.push(format!(
            "size regression: fixed {} > original {}",
            bytes(f),
            bytes(o)
        ));
    }

    let out = match args.format {
        MeasureFormat::Json => {
            let doc = json!({
                "schema": "whittle-measure/1",
                "dockerfile": display,
                "fixes_applied": fixes_applied,
                "diff": diff,
                "touched": touch.as_ref().map(|t| t.display().to_string()),
                "touch_note": touch_note,
                "variants": variants,
                "problems": problems,
            });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        MeasureFormat::Text => text_report(
            &display,
            &variants,
            &diff,
            touch.as_deref(),
            touch_note.as_deref(),
            &problems,
        ),
    };
    print!("{out}");
    Ok(if problems.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

fn text_report(
    dockerfile: &str,
    variants: &[&Variant],
    diff: &str,
    touch: Option<&Path>,
    touch_note: Option<&str>,
    problems: &[String],
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "whittle measure {dockerfile}");
    let _ = writeln!(o);
    let cell = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let _ = write!(o, "{:<28}", "");
    for v in variants {
        let _ = write!(o, "{:>16}", v.name);
    }
    let _ = writeln!(o);
    type Row = (&'static str, fn(&Variant) -> Option<String>);
    let rows: [Row; 8] = [
        ("image size", |v| v.size.map(bytes)),
        ("layers", |v| v.layers.map(|n| n.to_string())),
        ("wasted bytes (dive)", |v| v.wasted_bytes.map(bytes)),
        ("efficiency (dive)", |v| {
            v.efficiency.map(|e| format!("{:.2} %", e * 100.0))
        }),
        ("waste traced to lines", |v| v.attributed_waste.map(bytes)),
        ("build", |v| v.build_seconds.map(|s| format!("{s:.1} s"))),
        ("rebuild after a change", |v| {
            v.rebuild_seconds.map(|s| format!("{s:.1} s"))
        }),
        ("smoke command", |v| {
            v.smoke.map(|p| if p { "pass" } else { "FAIL" }.to_string())
        }),
    ];
    for (label, f) in rows {
        let _ = write!(o, "{label:<28}");
        for v in variants {
            let _ = write!(o, "{:>16}", cell(f(v)));
        }
        let _ = writeln!(o);
    }
    let tags: Vec<&str> = variants.iter().map(|v| v.tag.as_str()).collect();
    let _ = writeln!(o, "\nImages: {}", tags.join(", "));
    if let Some(t) = touch {
        let _ = writeln!(o, "Rebuild: after appending a comment to {}", t.display());
    }
    if let Some(n) = touch_note {
        let _ = writeln!(o, "\nRebuild not measured: {n}");
    }
    let _ = writeln!(o);
    if diff.is_empty() {
        let _ = writeln!(o, "whittle check --fix changed nothing: fixed = original.");
    } else {
        let _ = writeln!(o, "The fixes:\n{diff}");
    }
    for p in problems {
        let _ = writeln!(o, "FAIL: {p}");
    }
    o
}
