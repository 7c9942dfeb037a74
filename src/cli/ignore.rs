//! `whittle ignore`: generate, check or inspect the `.dockerignore` of a build context.

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::dockerignore::context::{self, ContextReport};
use crate::dockerignore::{IgnoreFile, Matcher, generate, ignore_file_path};
use crate::syntax::{self, InstructionView};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct IgnoreArgs {
    /// Build context directory
    #[arg(default_value = ".")]
    pub context: PathBuf,
    /// Dockerfiles that use this context (default: Dockerfile, *.Dockerfile and Dockerfile.* in
    /// the context)
    #[arg(short = 'f', long = "file")]
    pub dockerfiles: Vec<PathBuf>,
    /// Show the change as a unified diff (the default); exit 1 when there is one
    #[arg(long, group = "mode")]
    pub diff: bool,
    /// Write the merged .dockerignore
    #[arg(long, group = "mode")]
    pub write: bool,
    /// Exit 1 when the .dockerignore would change (for CI)
    #[arg(long, group = "mode")]
    pub check: bool,
    /// Context size and file count with the current and the proposed file
    #[arg(long, group = "mode")]
    pub stats: bool,
    /// The files Docker would send with the current ignore file, one per line
    #[arg(long, group = "mode")]
    pub list: bool,
}

pub fn run(args: IgnoreArgs) -> u8 {
    match run_inner(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("whittle ignore: {message}");
            EXIT_ERROR
        }
    }
}

fn run_inner(args: &IgnoreArgs) -> Result<u8, String> {
    let ctx = &args.context;
    if !ctx.is_dir() {
        return Err(format!("{}: not a directory", ctx.display()));
    }
    let dockerfiles = if args.dockerfiles.is_empty() {
        default_dockerfiles(ctx)
    } else {
        args.dockerfiles.clone()
    };
    let target = ignore_file_path(dockerfiles.first().map(PathBuf::as_path), ctx)
        .unwrap_or_else(|| ctx.join(".dockerignore"));
    let current = if target.is_file() {
        Some(IgnoreFile::load(&target).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let current_matcher = current.as_ref().map(|f| &f.matcher);

    if args.list {
        let report = context::walk(ctx, current_matcher).map_err(|e| e.to_string())?;
        for entry in &report.sent {
            println!("{}", entry.path);
        }
        return Ok(EXIT_CLEAN);
    }

    let proposed = propose(ctx, &dockerfiles, current.as_ref().map(|f| f.text.as_str()))?;
    let old = current.as_ref().map_or("", |f| f.text.as_str());

    if args.stats {
        let before = context::walk(ctx, current_matcher).map_err(|e| e.to_string())?;
        let matcher = Matcher::from_ignore_text(&proposed).map_err(|e| e.to_string())?;
        let after = context::walk(ctx, Some(&matcher)).map_err(|e| e.to_string())?;
        print_stats(&target, current.is_some(), &before, &after);
        return Ok(EXIT_CLEAN);
    }
    if args.write {
        if proposed != old {
            std::fs::write(&target, &proposed).map_err(|e| format!("{}: {e}", target.display()))?;
            eprintln!("wrote {}", target.display());
        }
        return Ok(EXIT_CLEAN);
    }
    let changed = proposed != old;
    if !args.check {
        let shown = target.strip_prefix(ctx).unwrap_or(&target);
        print!(
            "{}",
            crate::fix::unified_diff(&shown.to_string_lossy(), old, &proposed)
        );
    } else if changed {
        eprintln!("{} would change", target.display());
    }
    Ok(if changed { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// The merged ignore-file text whittle proposes.
fn propose(ctx: &Path, dockerfiles: &[PathBuf], existing: Option<&str>) -> Result<String, String> {
    let ecosystems = generate::detect(ctx).map_err(|e| e.to_string())?;
    let mut needed = Vec::new();
    for df in dockerfiles {
        let bytes = std::fs::read(df).map_err(|e| format!("{}: {e}", df.display()))?;
        needed.extend(copied_sources(&String::from_utf8_lossy(&bytes)));
    }
    let everything = context::walk(ctx, None).map_err(|e| e.to_string())?;
    let mut paths: Vec<String> = everything.sent.into_iter().map(|e| e.path).collect();
    paths.extend(everything.sent_dirs);
    let needed = generate::resolve_needed(&needed, &paths);
    let block = generate::generate_block(&ecosystems, &needed);
    Ok(generate::merge(existing, &block))
}

/// The context sources of COPY/ADD: not `--from` stages, not heredocs, not URLs, not sources
/// that need variable expansion.
pub fn copied_sources(dockerfile: &str) -> Vec<String> {
    let parsed = syntax::parse(dockerfile);
    let mut out = Vec::new();
    for inst in &parsed.instructions {
        let view = match inst.view() {
            InstructionView::Copy(v) | InstructionView::Add(v) => v,
            _ => continue,
        };
        if view.from.is_some() {
            continue;
        }
        for src in &view.sources {
            let s = src.value.trim_matches(|c| c == '"' || c == '\'');
            if s.starts_with("<<") || s.contains("://") || s.starts_with("git@") || s.contains('$')
            {
                continue;
            }
            out.push(s.to_string());
        }
    }
    out
}

/// Dockerfiles in the context root: `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`.
fn default_dockerfiles(ctx: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(ctx) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.ends_with(".dockerignore")
                && (name == "Dockerfile"
                    || name.starts_with("Dockerfile.")
                    || name.ends_with(".Dockerfile"))
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn print_stats(target: &Path, exists: bool, before: &ContextReport, after: &ContextReport) {
    let label = if exists {
        format!("current {}", target.display())
    } else {
        "no .dockerignore".to_string()
    };
    println!(
        "before ({label}): {} files, {}",
        before.file_count(),
        human(before.size)
    );
    println!(
        "after (proposed):  {} files, {}",
        after.file_count(),
        human(after.size)
    );
    if before.size > 0 {
        let saved = before.size.saturating_sub(after.size);
        println!(
            "saved: {} files, {} ({:.1}%)",
            before.file_count().saturating_sub(after.file_count()),
            human(saved),
            saved as f64 * 100.0 / before.size as f64
        );
    }
    if !after.excluded_dirs.is_empty() {
        println!("largest excluded directories:");
        for d in after.excluded_dirs.iter().take(10) {
            println!("  {:>10}  {:>6} files  {}", human(d.size), d.files, d.path);
        }
    }
}
