//! `whittle image IMAGE`: what is inside a built image, dive's efficiency numbers, the waste
//! traced back to Dockerfile lines, and a `.dive-ci` compatible CI gate.

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::diagnostic::Diagnostic;
use crate::image::gate::{self, Gate, RuleResult};
use crate::image::render::{self, DockerfileView};
use crate::image::{self, Attribution, Image, ImageError, engine::Engine};
use crate::output::{self, FileReport, Format, RenderOptions, RuleCatalog};
use crate::rules::all_rules;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  whittle image app.tar                          a `docker save` archive
  whittle image oci-layout/ --dockerfile Dockerfile   waste traced to Dockerfile lines
  whittle image myapp:latest                     an image of the local engine
  whittle image app.tar --ci                     fail (exit 1) below dive's thresholds or .dive-ci's
  whittle image app.tar --ci --highest-wasted-bytes 20MB --lowest-efficiency 0.95

Exit status: 0 (the gate passed, or no --ci), 1 the gate failed, 2 the image or the
configuration could not be read.")]
pub struct ImageArgs {
    /// A `docker save` archive, an OCI image layout (directory or tar), or an image name or ID
    /// of the local Docker engine
    pub image: String,

    /// The Dockerfile the image was built from: each layer is matched to its instruction and the
    /// waste to the rule that prevents it [default: ./Dockerfile when it exists]
    #[arg(long, value_name = "PATH")]
    pub dockerfile: Option<PathBuf>,

    /// Do not look for a Dockerfile
    #[arg(long, conflicts_with = "dockerfile")]
    pub no_dockerfile: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = ImageFormat::Text)]
    pub format: ImageFormat,

    /// Evaluate the CI gate (dive's rules) and exit 1 when it fails
    #[arg(long)]
    pub ci: bool,

    /// dive's CI configuration file [default: .dive-ci when it exists]
    #[arg(long, value_name = "FILE")]
    pub ci_config: Option<PathBuf>,

    /// Fail when the efficiency is below this ratio (0-1; `disabled` turns it off)
    #[arg(long, value_name = "RATIO")]
    pub lowest_efficiency: Option<String>,

    /// Fail when more bytes than this are wasted (`20MB`, `1GiB`; `disabled` turns it off)
    #[arg(long, value_name = "SIZE")]
    pub highest_wasted_bytes: Option<String>,

    /// Fail when wasted bytes / user layers' bytes is above this ratio (0-1)
    #[arg(long, value_name = "RATIO")]
    pub highest_user_wasted_percent: Option<String>,

    /// How many inefficient paths the text report lists
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// The Docker client for images of the local engine [default: $DOCKER, else docker]
    #[arg(long, value_name = "PROGRAM")]
    pub docker: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImageFormat {
    Text,
    Json,
    Sarif,
    Github,
}

/// The Docker client: `--docker`, else `$DOCKER`, else `docker`.
pub fn docker_program(flag: Option<&str>) -> String {
    flag.map(String::from)
        .or_else(|| std::env::var("DOCKER").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "docker".to_string())
}

/// An image read from a path, or exported from the engine to a temporary file first.
pub fn load_image(reference: &str, docker: &str) -> Result<Image, ImageError> {
    let path = Path::new(reference);
    if path.exists() {
        return image::load(path);
    }
    let dir = tempdir()?;
    let archive = dir.path.join("image.tar");
    Engine::new(docker).save(reference, &archive)?;
    image::load(&archive)
}

/// A directory removed when dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub fn tempdir() -> std::io::Result<TempDir> {
    let base = std::env::temp_dir();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    for attempt in 0..100u32 {
        let path = base.join(format!("whittle-{}-{stamp}-{attempt}", std::process::id()));
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(TempDir { path }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "could not create a temporary directory",
    ))
}

fn gate_for(args: &ImageArgs) -> Result<Gate, String> {
    let config = match &args.ci_config {
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from(".dive-ci")).filter(|p| p.is_file()),
    };
    let mut g = match config {
        Some(p) => {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            Gate::from_dive_ci(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => Gate::default(),
    };
    if let Some(v) = &args.lowest_efficiency {
        g.lowest_efficiency = gate::parse_ratio(gate::LOWEST_EFFICIENCY, v)?;
    }
    if let Some(v) = &args.highest_wasted_bytes {
        g.highest_wasted_bytes = gate::parse_bytes_threshold(gate::HIGHEST_WASTED_BYTES, v)?;
    }
    if let Some(v) = &args.highest_user_wasted_percent {
        g.highest_user_wasted_percent = gate::parse_ratio(gate::HIGHEST_USER_WASTED_PERCENT, v)?;
    }
    Ok(g)
}

/// Findings with a rule, as diagnostics on the Dockerfile (for SARIF and GitHub annotations).
pub fn findings_as_diagnostics(view: &DockerfileView<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in &view.attribution.findings {
        let (Some(rule), Some(span)) = (f.rule, f.span) else {
            continue;
        };
        let Some(meta) = all_rules().iter().map(|r| r.meta()).find(|m| m.id == rule) else {
            continue;
        };
        let message = format!("{} ({} in the image)", f.message, render::bytes(f.bytes));
        out.push(Diagnostic {
            rule_id: meta.id.clone(),
            rule_name: meta.name.clone(),
            severity: meta.severity,
            span: f.diagnostic.as_ref().map_or(span, |d| d.span),
            message,
            fix: f.diagnostic.as_ref().and_then(|d| d.fix.clone()),
        });
    }
    out.sort_by(|a, b| (a.span.start, &a.rule_id).cmp(&(b.span.start, &b.rule_id)));
    out
}

pub fn run(args: ImageArgs) -> u8 {
    let gate = if args.ci {
        match gate_for(&args) {
            Ok(g) => Some(g),
            Err(e) => {
                eprintln!("whittle: error: CI configuration: {e}");
                return EXIT_ERROR;
            }
        }
    } else {
        None
    };
    let dockerfile = if args.no_dockerfile {
        None
    } else {
        args.dockerfile
            .clone()
            .or_else(|| Some(PathBuf::from("Dockerfile")).filter(|p| p.is_file()))
    };
    let dockerfile_text = match &dockerfile {
        Some(p) => match std::fs::read(p) {
            Ok(b) => Some((
                p.display().to_string(),
                String::from_utf8_lossy(&b).into_owned(),
            )),
            Err(e) => {
                eprintln!("whittle: error: {}: {e}", p.display());
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let image = match load_image(&args.image, &docker_program(args.docker.as_deref())) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("whittle: error: {}: {e}", args.image);
            return EXIT_ERROR;
        }
    };
    for l in &image.layers {
        if let Some(err) = &l.error {
            eprintln!("whittle: warning: layer {} ({}): {err}", l.index, l.blob);
        }
    }
    let parsed = dockerfile_text
        .as_ref()
        .map(|(_, text)| crate::syntax::parse(text));
    let attribution: Option<Attribution> = parsed.as_ref().map(|f| image::attribute(&image, f));
    let view = match (&dockerfile_text, &parsed, &attribution) {
        (Some((path, _)), Some(file), Some(attribution)) => Some(DockerfileView {
            path,
            file,
            attribution,
        }),
        _ => None,
    };
    if let Some(v) = &view
        && v.attribution.layer_instruction.iter().all(Option::is_none)
        && !image.layers.is_empty()
    {
        eprintln!(
            "whittle: warning: no layer of the image matches an instruction of {}: was the image built from it?",
            v.path
        );
    }
    let results: Option<Vec<RuleResult>> = gate.as_ref().map(|g| g.evaluate(&image.efficiency));
    let out = match args.format {
        ImageFormat::Text => render::text(
            &args.image,
            &image,
            view.as_ref(),
            results.as_deref(),
            args.top,
        ),
        ImageFormat::Json => render::json(&args.image, &image, view.as_ref(), results.as_deref()),
        ImageFormat::Sarif | ImageFormat::Github => {
            let Some(v) = &view else {
                eprintln!(
                    "whittle: error: --format {} points at Dockerfile lines: give --dockerfile",
                    if args.format == ImageFormat::Sarif {
                        "sarif"
                    } else {
                        "github"
                    }
                );
                return EXIT_ERROR;
            };
            let diagnostics = findings_as_diagnostics(v);
            let reports = [FileReport::new(v.path, v.file.source(), &diagnostics)];
            let catalog = RuleCatalog::new(all_rules().iter().map(|r| r.meta().clone()).collect());
            let format = if args.format == ImageFormat::Sarif {
                Format::Sarif
            } else {
                Format::Github
            };
            let options = RenderOptions {
                color: false,
                version: env!("CARGO_PKG_VERSION"),
                ..RenderOptions::default()
            };
            output::render(format, &reports, &catalog, &options)
        }
    };
    print!("{out}");
    match results {
        Some(r) if r.iter().any(|r| r.status == "fail") => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}
