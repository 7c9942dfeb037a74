//! `whittle check` (and `whittle fix` = `check --fix`): read Dockerfiles, lint them, print the
//! findings in the chosen format, and optionally fix them in place or show the fix as a diff.
//!
//! The steps are separate functions so that discovery, configuration and parallelism can be added
//! one at a time: [`collect_inputs`] (paths -> texts or read errors), [`process`] (one text ->
//! diagnostics, fixed text), [`write_atomically`], then rendering and the exit code.

use super::decode::{Decoded, decode, encode};
use super::settings::{CliConfig, DEFAULT_FAIL_LEVEL, SettingsSource};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::config::FailLevel;
use crate::fix::{Applicability, unified_diff};
use crate::lint::{Settings, fix_source, lint, lint_report_with};
use crate::output::{self, FileReport, Format, RenderOptions, RuleCatalog};
use crate::rules::all_rules;
use crate::syntax;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  whittle check Dockerfile                 lint one file
  whittle check --format json a.Dockerfile editor-friendly output
  whittle check --format concise .         one line a finding: path:line:col: CODE message
  whittle check --statistics .             how many findings each rule has
  whittle check --fix Dockerfile           apply safe fixes in place
  whittle check --diff Dockerfile          show what --fix would change (exit 1 if anything)
  cat Dockerfile | whittle check -         lint standard input
  whittle check                            every Dockerfile under the current directory
  whittle check --select ALL services/     every rule, off-by-default ones too
  whittle check --ignore DL3059,WH5 .      skip rules (IDs, prefixes, names, aliases, categories)
  whittle check --fail-level warning .     info and style findings do not fail (default: all do)
  whittle check --config ci.yaml .         one configuration instead of the nearest .whittle.yaml

Exit status: 0 no finding at or above the fail level, 1 findings, 2 usage, configuration or
I/O error (the other files are still linted).")]
pub struct CheckArgs {
    /// Files or directories to lint (`-` reads standard input). Directories are searched
    /// recursively for Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile,
    /// Containerfile.*. Default: the current directory
    pub paths: Vec<PathBuf>,
    /// Also search files that .gitignore / .ignore exclude
    #[arg(long)]
    pub no_ignore: bool,

    /// Output format: text for people; concise (`path:line:col: CODE message`) for grep and
    /// editors' error lists; json, sarif, github, checkstyle, gitlab, rdjson (reviewdog) for
    /// tools
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Print how many findings each rule has instead of the findings (as JSON with
    /// --format json)
    #[arg(long)]
    pub statistics: bool,

    /// Print the findings only: no summary line, no notes (errors and warnings still go to
    /// standard error)
    #[arg(long, short)]
    pub quiet: bool,

    /// Apply safe fixes in place (to standard input: print the fixed text)
    #[arg(long)]
    pub fix: bool,

    /// Also apply unsafe fixes (with --fix or --diff)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them; exit 1 if there is one
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// When to colour text output
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Write the report to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The name to report for standard input (also where its configuration is looked up)
    #[arg(long, value_name = "NAME", default_value = "-")]
    pub stdin_filename: String,

    /// Use this configuration file for every input instead of the nearest .whittle.yaml or
    /// .hadolint.yaml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run exactly these rules (IDs, ID prefixes, names, aliases, categories; comma-separated)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Also run these rules (for example off-by-default ones)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Do not run these rules
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// The least severe finding that makes the exit code 1 [default: the configuration's
    /// fail-level, else style: every finding fails]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_level: Option<FailLevelArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailLevelArg {
    Error,
    Warning,
    Info,
    Style,
    None,
}

impl From<FailLevelArg> for FailLevel {
    fn from(f: FailLevelArg) -> FailLevel {
        match f {
            FailLevelArg::Error => FailLevel::Error,
            FailLevelArg::Warning => FailLevel::Warning,
            FailLevelArg::Info => FailLevel::Info,
            FailLevelArg::Style => FailLevel::Style,
            FailLevelArg::None => FailLevel::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Concise,
    Json,
    Sarif,
    Github,
    Checkstyle,
    Gitlab,
    Rdjson,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Concise => Format::Concise,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Checkstyle => Format::Checkstyle,
            FormatArg::Gitlab => Format::Gitlab,
            FormatArg::Rdjson => Format::Rdjson,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Where a text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Stdin,
}

/// One input: its display name, where it came from, and its text or why it could not be read.
#[derive(Debug)]
pub struct Input {
    pub name: String,
    pub origin: Origin,
    pub text: Result<String, String>,
    /// Whether a fixed text can be written back byte for byte (see [`super::decode`]).
    pub writable: bool,
    /// What reading it needed (bytes that are not UTF-8), each naming its line and column.
    pub warnings: Vec<String>,
}

impl Input {
    fn new(name: String, origin: Origin, read: Result<Decoded, String>) -> Input {
        let (text, writable, warnings) = match read {
            Ok(d) => {
                let warnings = not_utf8_warning(&d).into_iter().collect();
                (Ok(d.text), d.writable, warnings)
            }
            Err(e) => (Err(e), true, Vec::new()),
        };
        Input {
            name,
            origin,
            text,
            writable,
            warnings,
        }
    }
}

/// `2:14: byte 0xE9 is not UTF-8 ...` for a file with such bytes.
fn not_utf8_warning(d: &Decoded) -> Option<String> {
    let &(at, byte) = d.escaped.first()?;
    let p = crate::diagnostic::Locator::new(&d.text).position(at);
    let more = match d.escaped.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more such byte)".to_string(),
        n => format!(" (and {n} more such bytes)"),
    };
    let fixing = if d.writable {
        "fixes leave the bytes as they are"
    } else {
        "not fixed: the file also holds characters whittle uses to stand for such bytes"
    };
    Some(format!(
        "{}:{}: byte 0x{byte:02X} is not UTF-8{more}: Docker reads it as U+FFFD, so the build \
         gets `\u{fffd}` there, not this byte; checked as Docker reads it ({fixing})",
        p.line, p.column
    ))
}

/// The result of linting (and maybe fixing) one input.
#[derive(Debug, Default)]
pub struct Processed {
    /// The text the diagnostics point into (the fixed text after fixing).
    pub source: String,
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
    pub errors: Vec<String>,
    /// Problems of the fixer (a discarded fix, non-convergence): reported, not fatal.
    pub warnings: Vec<String>,
    /// Fixes that apply at the level used but could not be applied: `line:col RULE: why`.
    pub unapplied: Vec<String>,
    /// Fixed text, when fixing changed something.
    pub fixed: Option<String>,
    pub applied: usize,
    pub remaining_unsafe: usize,
    /// The fail level of this file's configuration (`None`: the default).
    pub fail_level: Option<FailLevel>,
}

impl Processed {
    /// Whether this file has a finding at or above its fail level.
    pub fn fails(&self) -> bool {
        let level = self.fail_level.unwrap_or(DEFAULT_FAIL_LEVEL);
        self.diagnostics.iter().any(|d| level.fails(d.severity))
    }
}

pub fn run(args: CheckArgs) -> u8 {
    // Where the inputs' configurations are (standard input's: its `--stdin-filename`).
    let places: Vec<&Path> = args
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" && args.stdin_filename != "-" {
                Path::new(&args.stdin_filename)
            } else {
                p.as_path()
            }
        })
        .collect();
    let cli = match CliConfig::new(
        args.config.as_deref(),
        &places,
        args.select.clone(),
        args.extend_select.clone(),
        args.ignore.clone(),
        args.fail_level.map(FailLevel::from),
    ) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("whittle: error: configuration: {e}");
            return EXIT_ERROR;
        }
    };
    let source = SettingsSource::new(cli);
    let inputs = collect_inputs(&args, &source);
    let level = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let fixing = args.fix || args.diff;

    let walks = super::context::WalkCache::default();
    let mut processed = lint_inputs(&inputs, &source, fixing.then_some(level), &walks);
    let written = write_results(&args, &inputs, &mut processed);
    // Configuration warnings name their file and line: once each, not once per Dockerfile.
    for w in source.warnings() {
        eprintln!("whittle: warning: {w}");
    }
    if !args.quiet {
        for note in walks.notes() {
            eprintln!("whittle: note: {note}");
        }
    }
    for (input, p) in inputs.iter().zip(&processed) {
        for w in &input.warnings {
            eprintln!("whittle: warning: {}:{w}", input.name);
        }
        for e in &p.errors {
            eprintln!("whittle: error: {}: {e}", input.name);
        }
        for w in &p.warnings {
            eprintln!("whittle: warning: {}: {w}", input.name);
        }
    }
    let had_error = processed.iter().any(|p| !p.errors.is_empty());
    let applied: usize = processed.iter().map(|p| p.applied).sum();
    let remaining_unsafe: usize = processed.iter().map(|p| p.remaining_unsafe).sum();
    let changed_files = processed.iter().filter(|p| p.fixed.is_some()).count();

    if args.diff {
        // The diff shows the file's own bytes (those that are not UTF-8 too).
        if let Err(e) = emit_bytes(&args, &encode(&written.diffs)) {
            eprintln!("whittle: error: {e}");
            return EXIT_ERROR;
        }
        if !args.quiet {
            eprintln!(
                "{}",
                fix_note(applied, changed_files, remaining_unsafe, level, true)
            );
        }
        print_unapplied(&inputs, &processed);
        return if had_error {
            EXIT_ERROR
        } else if written.diffs.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_FINDINGS
        };
    }

    let format: Format = args.format.into();
    let catalog = RuleCatalog::new(
        all_rules()
            .iter()
            .map(|r| r.meta().clone())
            .chain(source.custom_rules().iter().map(|r| r.meta.clone()))
            .collect(),
    );
    let options = RenderOptions {
        color: use_color(&args, written.stdin_fixed.is_some()),
        version: env!("CARGO_PKG_VERSION"),
        quiet: args.quiet,
    };
    // Text output shows read errors on stderr only; structured formats carry them too.
    let no_errors: Vec<String> = Vec::new();
    let reports: Vec<FileReport<'_>> = inputs
        .iter()
        .zip(&processed)
        .map(|(input, p)| FileReport {
            path: &input.name,
            source: &p.source,
            diagnostics: &p.diagnostics,
            errors: if format == Format::Text {
                &no_errors
            } else {
                &p.errors
            },
        })
        .collect();
    let rendered = if args.statistics {
        vec![std::borrow::Cow::Owned(statistics(
            &reports, format, args.quiet,
        ))]
    } else {
        output::render_chunks(format, &reports, &catalog, &options)
    };

    if let Some(fixed) = &written.stdin_fixed {
        // The fixed text goes to stdout; the report to stderr.
        let mut out = io::stdout().lock();
        let _ = out.write_all(&encode(fixed));
        let _ = out.flush();
        eprint!("{}", rendered.concat());
    } else if format == Format::Text
        && !processed.is_empty()
        && processed.iter().all(|p| !p.errors.is_empty())
    {
        // Nothing was checked (unreadable files, a broken configuration): the errors are on
        // stderr already, and "No problems found" would be a verdict about files never read.
    } else if let Err(e) = emit(&args, &rendered) {
        eprintln!("whittle: error: {e}");
        return EXIT_ERROR;
    }
    if args.fix {
        if !args.quiet {
            eprintln!(
                "{}",
                fix_note(applied, changed_files, remaining_unsafe, level, false)
            );
        }
        print_unapplied(&inputs, &processed);
    }

    let findings = processed.iter().any(Processed::fails);
    // The process ends right after this: freeing every file's text, findings and the rendered
    // report one allocation at a time would be a serial tail of the run (tens of ms on a large
    // tree), and the operating system takes the memory back at once.
    std::mem::forget(reports);
    std::mem::forget(rendered);
    std::mem::forget(processed);
    std::mem::forget(inputs);
    if had_error {
        EXIT_ERROR
    } else if findings {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Lint (and with `fix_level`, fix) every readable input, in parallel; the results keep the
/// input order, so the report order does not depend on scheduling.
pub fn lint_inputs(
    inputs: &[Input],
    source: &SettingsSource,
    fix_level: Option<Applicability>,
    walks: &super::context::WalkCache,
) -> Vec<Processed> {
    let lint_one = |input: &Input| {
        // A file whose bytes could not be written back exactly is linted, not fixed.
        let fix_level = fix_level.filter(|_| input.writable);
        let text = match &input.text {
            Ok(text) => text,
            Err(e) => {
                return Processed {
                    errors: vec![e.clone()],
                    ..Processed::default()
                };
            }
        };
        // A file gets the configuration nearest to it; standard input the one nearest to
        // its --stdin-filename (or the current directory).
        let path = match &input.origin {
            Origin::File(path) => path.as_path(),
            Origin::Stdin if input.name == "-" => Path::new("-"),
            Origin::Stdin => Path::new(&input.name),
        };
        match source.settings_for(path) {
            Ok(file) => {
                // The context rules' snapshot of the build context (src/cli/context.rs).
                // Parsed once: the context snapshot and the rules read the same tree.
                let parsed = syntax::parse(text);
                let dockerfile = match &input.origin {
                    Origin::File(path) => Some(path.as_path()),
                    Origin::Stdin => None,
                };
                let context = super::context::context_for_input(
                    file.context,
                    &file.settings,
                    dockerfile,
                    &parsed,
                    walks,
                );
                let mut p = match fix_level {
                    None => Processed {
                        source: text.to_string(),
                        diagnostics: lint_report_with(
                            &parsed,
                            &file.settings,
                            &file.rules,
                            context.as_ref(),
                        )
                        .diagnostics,
                        ..Processed::default()
                    },
                    // Fixing re-lints each pass through the library's own entry point, which
                    // reads the context from the settings.
                    Some(_) => {
                        let with_context = context.map(|bc| Settings {
                            build_context: Some(std::sync::Arc::new(bc)),
                            ..file.settings.clone()
                        });
                        process(
                            text,
                            with_context.as_ref().unwrap_or(&file.settings),
                            fix_level,
                        )
                    }
                };
                p.fail_level = Some(file.fail_level);
                p
            }
            Err(e) => Processed {
                errors: vec![format!("configuration: {e}")],
                ..Processed::default()
            },
        }
    };
    // One file (pre-commit, editors) does not pay for starting the thread pool.
    if inputs.len() < 2 {
        inputs.iter().map(lint_one).collect()
    } else {
        inputs.par_iter().map(lint_one).collect()
    }
}

/// What `--fix` / `--diff` produced besides the files written.
#[derive(Debug, Default)]
pub struct Written {
    /// Unified diffs (`--diff`).
    pub diffs: String,
    /// The text to print for `--fix -` (the input when nothing changed).
    pub stdin_fixed: Option<String>,
}

/// Carry out `--fix` (write files atomically; a failed write becomes the file's error) or
/// `--diff` (collect diffs).
pub fn write_results(args: &CheckArgs, inputs: &[Input], processed: &mut [Processed]) -> Written {
    let mut written = Written::default();
    for (input, p) in inputs.iter().zip(processed.iter_mut()) {
        let Ok(original) = &input.text else {
            continue;
        };
        if args.diff {
            if let Some(fixed) = &p.fixed {
                written
                    .diffs
                    .push_str(&unified_diff(&input.name, original, fixed));
            }
        } else if args.fix {
            match &input.origin {
                // `--fix -` always echoes the (possibly unchanged) text, so it works as a filter.
                Origin::Stdin => {
                    written.stdin_fixed = Some(p.fixed.clone().unwrap_or_else(|| original.clone()))
                }
                Origin::File(path) => {
                    if let Some(fixed) = &p.fixed
                        && let Err(e) = write_atomically(path, &encode(fixed))
                    {
                        p.errors.push(format!("cannot write: {e}"));
                    }
                }
            }
        }
    }
    written
}

/// `--color`, and for `auto`: a terminal and no `NO_COLOR`.
fn use_color(args: &CheckArgs, report_on_stderr: bool) -> bool {
    match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            args.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && if report_on_stderr {
                    io::stderr().is_terminal()
                } else {
                    io::stdout().is_terminal()
                }
        }
    }
}

/// `whittle fix`: `check --fix`; `whittle fix --diff` shows the fixes and writes nothing.
pub fn run_fix(mut args: CheckArgs) -> u8 {
    args.fix = !args.diff;
    run(args)
}

/// The end of a `--fix` or `--diff` run: every fix that could not be applied, and why.
fn print_unapplied(inputs: &[Input], processed: &[Processed]) {
    let total: usize = processed.iter().map(|p| p.unapplied.len()).sum();
    if total == 0 {
        return;
    }
    eprintln!(
        "{total} {} could not be applied:",
        if total == 1 { "fix" } else { "fixes" }
    );
    for (input, p) in inputs.iter().zip(processed) {
        for u in &p.unapplied {
            eprintln!("  {}:{u}", input.name);
        }
    }
}

fn fix_note(
    applied: usize,
    files: usize,
    remaining_unsafe: usize,
    level: Applicability,
    dry_run: bool,
) -> String {
    let verb = if dry_run { "Would fix" } else { "Fixed" };
    let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let mut s = format!(
        "{verb} {applied} {} in {files} {}",
        plural(applied, "problem", "problems"),
        plural(files, "file", "files")
    );
    if remaining_unsafe > 0 && level == Applicability::Safe {
        s.push_str(&format!(
            "; {remaining_unsafe} more fixable with --unsafe-fixes"
        ));
    }
    s
}

/// Write bytes to `--output` or stdout.
fn emit_bytes(args: &CheckArgs, bytes: &[u8]) -> Result<(), String> {
    match &args.output {
        Some(path) => {
            fs::write(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
        }
        None => {
            let mut out = io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(bytes).and_then(|_| out.flush());
            Ok(())
        }
    }
}

/// `--statistics`: findings counted per rule, most frequent first (`[*]`: fixable with
/// `--fix`), then the summary line; with `--format json`, a JSON list.
fn statistics(reports: &[FileReport<'_>], format: Format, quiet: bool) -> String {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&str, (usize, &str, bool)> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| r.diagnostics.iter()) {
        let e = counts
            .entry(d.rule_id.as_str())
            .or_insert((0, d.rule_name.as_str(), false));
        e.0 += 1;
        e.2 |= d.is_fixable_at(Applicability::Safe);
    }
    let mut rows: Vec<(&str, usize, &str, bool)> = counts
        .into_iter()
        .map(|(id, (n, name, fixable))| (id, n, name, fixable))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if format == Format::Json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(id, n, name, fixable)| {
                serde_json::json!({"rule": id, "name": name, "count": n, "fixable": fixable})
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let width = rows.first().map_or(1, |r| r.1.to_string().len());
    let mut out = String::new();
    for (id, n, name, fixable) in &rows {
        let mark = if *fixable { " [*]" } else { "" };
        out.push_str(&format!("{n:>width$}  {id}  {name}{mark}\n"));
    }
    if !quiet {
        out.push_str(&format!("{}\n", output::Summary::of(reports)));
    }
    out
}

/// Write the report to `--output` or stdout.
fn emit<S: AsRef<str>>(args: &CheckArgs, chunks: &[S]) -> Result<(), String> {
    match &args.output {
        Some(path) => {
            let cannot = |e: io::Error| format!("cannot write `{}`: {e}", path.display());
            let mut out = io::BufWriter::new(fs::File::create(path).map_err(cannot)?);
            for c in chunks {
                out.write_all(c.as_ref().as_bytes()).map_err(cannot)?;
            }
            out.flush().map_err(cannot)
        }
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            // A closed pipe (`| head`) is not an error worth reporting.
            for c in chunks {
                if out.write_all(c.as_ref().as_bytes()).is_err() {
                    break;
                }
            }
            let _ = out.flush();
            Ok(())
        }
    }
}

/// Turn the command-line paths into inputs. Explicit files are always read; `-` is stdin.
/// Directories are walked ([`super::discover`]).
pub fn collect_inputs(args: &CheckArgs, source: &SettingsSource) -> Vec<Input> {
    let given: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // Directories expand to the Dockerfiles under them; explicit files are always linted.
    let mut paths = Vec::new();
    let mut walk_errors = Vec::new();
    for path in given {
        if path.as_os_str() != "-" && path.is_dir() {
            let (found, errors) = super::discover::dockerfiles_under(&path, !args.no_ignore);
            if found.is_empty() && errors.is_empty() {
                // A typo in CI must not pass as "No problems found".
                let skipped = if args.no_ignore {
                    ""
                } else {
                    ", outside what .gitignore excludes"
                };
                walk_errors.push((
                    path,
                    format!(
                        "holds no Dockerfile (looked for Dockerfile, Dockerfile.*, *.Dockerfile, \
                         *.dockerfile, Containerfile and Containerfile.*{skipped})"
                    ),
                ));
                continue;
            }
            // A configuration's `exclude` drops walked files; files named on the command line
            // are always linted.
            let before = paths.len();
            let total = found.len();
            paths.extend(found.into_iter().filter(|p| !source.is_excluded(p)));
            if paths.len() == before && !args.quiet {
                eprintln!(
                    "whittle: note: {}: the configuration's `exclude` leaves out all {total} \
                     Dockerfiles under it",
                    path.display()
                );
            }
            walk_errors.extend(errors);
        } else {
            paths.push(path);
        }
    }
    let walk_inputs = walk_errors
        .into_iter()
        .map(|(path, e)| Input::new(path.display().to_string(), Origin::File(path), Err(e)));
    // Standard input is read once, here; the files are read in parallel, in order.
    let first_stdin = paths.iter().position(|p| p.as_os_str() == "-");
    let mut stdin_text = first_stdin.map(|_| {
        let mut bytes = Vec::new();
        match io::stdin().read_to_end(&mut bytes) {
            Ok(_) => decode(bytes),
            Err(e) => Err(format!("cannot read: {e}")),
        }
    });
    let read_one = |path: PathBuf| {
        if path.as_os_str() == "-" {
            Input::new(
                args.stdin_filename.clone(),
                Origin::Stdin,
                // Filled in below for the first `-`.
                Err("standard input was already read".to_string()),
            )
        } else {
            Input::new(
                path.display().to_string(),
                Origin::File(path.clone()),
                read_decoded(&path),
            )
        }
    };
    let mut inputs: Vec<Input> = if paths.len() < 2 {
        paths.into_iter().map(read_one).collect()
    } else {
        paths.into_par_iter().map(read_one).collect()
    };
    if let (Some(i), Some(read)) = (first_stdin, stdin_text.take())
        && let Some(input) = inputs.get_mut(i)
    {
        *input = Input::new(input.name.clone(), Origin::Stdin, read);
    }
    inputs.extend(walk_inputs);
    inputs
}

/// Read a Dockerfile as text, or say what is wrong with it (the caller names the file). Bytes
/// that are not UTF-8 are read as Docker reads them ([`super::decode`]).
pub fn read_file(path: &Path) -> Result<String, String> {
    read_decoded(path).map(|d| d.text)
}

/// [`read_file`], with what decoding found.
pub fn read_decoded(path: &Path) -> Result<Decoded, String> {
    if path.is_dir() {
        return Err("is a directory (give the Dockerfile's path)".to_string());
    }
    let bytes = fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    decode(bytes)
}

/// Lint one text; with `fix_level`, fix it to a fixpoint first and report what remains.
pub fn process(text: &str, settings: &Settings, fix_level: Option<Applicability>) -> Processed {
    match fix_level {
        None => {
            let file = syntax::parse(text);
            Processed {
                source: text.to_string(),
                diagnostics: lint(&file, settings),
                ..Processed::default()
            }
        }
        Some(level) => {
            let outcome = fix_source(text, settings, level);
            let warnings = outcome.error.iter().map(|e| e.to_string()).collect();
            let unapplied = if outcome.unapplied.is_empty() {
                Vec::new()
            } else {
                let fixed = syntax::parse(&outcome.text);
                outcome
                    .unapplied
                    .iter()
                    .map(|u| {
                        let at = fixed.line_col(u.span.start);
                        format!(
                            "{}:{}: {} `{}`: {}",
                            at.line, at.column, u.rule, u.title, u.reason
                        )
                    })
                    .collect()
            };
            let changed = outcome.changed(text);
            Processed {
                diagnostics: outcome.remaining.diagnostics,
                errors: Vec::new(),
                warnings,
                unapplied,
                fixed: changed.then(|| outcome.text.clone()),
                source: outcome.text,
                applied: outcome.applied,
                remaining_unsafe: outcome.remaining_unsafe,
                fail_level: None,
            }
        }
    }
}

/// Replace `path`'s contents atomically: write a temporary file in the same directory, give it
/// the original's permissions, flush it to disk, then rename it over the original. A symlink is
/// followed, so the link stays a link.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent directory"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let permissions = fs::metadata(&target)?.permissions();
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            ".{name}.whittle-{}-{attempt}.tmp",
            std::process::id()
        ));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::set_permissions(&tmp, permissions)?;
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
