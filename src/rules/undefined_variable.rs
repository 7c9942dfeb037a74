//! WH205 `undefined-variable`: see `rules/WH205.md`.
//!
//! Follows BuildKit's `UndefinedVar`: the words BuildKit expands while building are checked
//! against what the stage defines at that point (its ARGs and ENVs, those of the stages it is
//! built from, `PATH`, and the base image's environment). The base image's environment is only
//! known for common official images; for other external images only near misses of a defined
//! name are reported, since the image may define anything.

use super::helpers::sub_span::sub_span;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::semantic::{Semantic, Stage};
use crate::syntax::suggest::closest;
use crate::syntax::words::{self, var_refs};
use crate::syntax::{Dockerfile, Instruction, InstructionView, Span};

pub struct UndefinedVariable;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH205"),
    name: SharedStr::new("undefined-variable"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["buildkit:UndefinedVar"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH205.md")),
};

/// Build arguments BuildKit handles without putting them in the environment.
const ALWAYS_DEFINED: &[&str] = &[
    "PATH",
    "BUILDKIT_SBOM_SCAN_CONTEXT",
    "BUILDKIT_SBOM_SCAN_STAGE",
];

/// What the base image chain of a stage contributes to its environment.
enum BaseEnv {
    /// `scratch` or an image of `rules/base-images.yaml`: exactly these names.
    Known(&'static [String]),
    /// Any other image: anything may be set.
    Unknown,
}

/// One piece of text BuildKit expands, with where it is.
struct Piece<'a> {
    value: &'a str,
    span: Span,
    /// Heredoc content: quotes are not processed there.
    raw_quotes: bool,
}

impl Rule for UndefinedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        // Names each stage defines anywhere in its body (what a child stage inherits).
        let mut stage_names: Vec<Vec<String>> = Vec::with_capacity(semantic.stages.len());
        let globals: Vec<String> = semantic
            .global_args
            .iter()
            .map(|d| d.name.clone())
            .collect();
        for stage in &semantic.stages {
            let mut inherited = stage
                .base
                .stage
                .filter(|p| *p < stage.index)
                .and_then(|p| stage_names.get(p).cloned())
                .unwrap_or_default();
            let base_env = base_env(semantic, stage);
            let body = file
                .instructions
                .get(stage.body.clone())
                .unwrap_or_default();
            check_stage(file, cx, body, &mut inherited, &base_env, &globals);
            stage_names.push(inherited);
        }
    }
}

/// Check one stage. `defined` starts with what the parent stages define and grows with each ARG
/// and ENV.
fn check_stage(
    file: &Dockerfile,
    cx: &mut Context<'_>,
    body: &[Instruction],
    defined: &mut Vec<String>,
    base_env: &BaseEnv,
    globals: &[String],
) {
    for ins in body {
        let mut reported: Vec<String> = Vec::new();
        match ins.view() {
            InstructionView::Arg(arg) => {
                // Each default sees the ARGs declared before it, in the same instruction too.
                for decl in &arg.args {
                    if let (Some(default), Some(span)) = (&decl.default, decl.default_span) {
                        let piece = Piece {
                            value: default,
                            span,
                            raw_quotes: false,
                        };
                        let scope = Scope {
                            defined,
                            base_env,
                            same_env: &[],
                            globals,
                        };
                        check_piece(file, cx, &piece, &scope, &mut reported);
                    }
                    push_unique(defined, decl.name.to_string());
                }
            }
            InstructionView::Env(env) => {
                // Every pair of one ENV is expanded against the state before the ENV.
                let own: Vec<String> = env
                    .pairs
                    .iter()
                    .map(|p| words::expand_with(&p.key, file.escape, &|_| None).value)
                    .collect();
                for pair in &env.pairs {
                    // `ENV X=${X}` passes on whatever X is (a build argument given on the
                    // command line, the base image's value): not a mistake.
                    let key = words::expand_with(&pair.key, file.escape, &|_| None).value;
                    let bare = pair.value.trim_matches(['"', '\'']);
                    let passes_on = bare == format!("${key}") || bare == format!("${{{key}}}");
                    for (value, span) in
                        [(&pair.key, pair.key_span), (&pair.value, pair.value_span)]
                    {
                        if passes_on && span == pair.value_span {
                            continue;
                        }
                        let piece = Piece {
                            value,
                            span,
                            raw_quotes: false,
                        };
                        let scope = Scope {
                            defined,
                            base_env,
                            same_env: &own,
                            globals,
                        };
                        check_piece(file, cx, &piece, &scope, &mut reported);
                    }
                }
                for name in own {
                    push_unique(defined, name);
                }
            }
            _ => {
                let scope = Scope {
                    defined,
                    base_env,
                    same_env: &[],
                    globals,
                };
                for piece in pieces(ins) {
                    check_piece(file, cx, &piece, &scope, &mut reported);
                }
            }
        }
    }
}

/// The texts BuildKit expands in instructions other than ARG and ENV.
fn pieces(ins: &Instruction) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    match ins.view() {
        InstructionView::Copy(copy) | InstructionView::Add(copy) => {
            for flag in [&copy.chown, &copy.chmod, &copy.checksum]
                .into_iter()
                .flatten()
            {
                if let (Some(v), Some(span)) = (&flag.value, flag.value_span) {
                    out.push(plain(v, span));
                }
            }
            for w in copy.sources.iter().chain(copy.dest.iter()) {
                if !w.value.starts_with("<<") {
                    out.push(plain(&w.value, w.span));
                }
            }
            for h in ins.heredocs.iter().filter(|h| h.expand) {
                out.push(Piece {
                    value: &h.content,
                    span: h.content_span,
                    raw_quotes: true,
                });
            }
        }
        InstructionView::Label(kv) => {
            for pair in &kv.pairs {
                out.push(plain(&pair.key, pair.key_span));
                out.push(plain(&pair.value, pair.value_span));
            }
        }
        InstructionView::Workdir(v) | InstructionView::User(v) | InstructionView::Stopsignal(v) => {
            if let Some(w) = &v.value {
                out.push(plain(&w.value, w.span));
            }
        }
        InstructionView::Volume(v) => {
            for w in &v.paths {
                out.push(plain(&w.value, w.span));
            }
        }
        InstructionView::Run(run) => {
            for m in &run.mounts {
                for f in &m.fields {
                    if let Some(v) = &f.value {
                        out.push(plain(v, f.span));
                    }
                }
            }
        }
        _ => {}
    }
    out
}

fn plain(value: &str, span: Span) -> Piece<'_> {
    Piece {
        value,
        span,
        raw_quotes: false,
    }
}

/// What is defined where a piece is expanded.
struct Scope<'a> {
    defined: &'a [String],
    base_env: &'a BaseEnv,
    /// The names the same ENV instruction sets (not visible to its own values).
    same_env: &'a [String],
    /// The ARGs declared before the first FROM (visible in a stage only when re-declared).
    globals: &'a [String],
}

/// Report the undefined variables of one piece (each name once per instruction).
fn check_piece(
    file: &Dockerfile,
    cx: &mut Context<'_>,
    piece: &Piece<'_>,
    scope: &Scope<'_>,
    reported: &mut Vec<String>,
) {
    let (defined, base_env) = (scope.defined, scope.base_env);
    // Heredoc bodies keep their quotes: blank them out so that `'$X'` is still a reference.
    let text: std::borrow::Cow<'_, str> = if piece.raw_quotes {
        piece.value.replace(['\'', '"'], " ").into()
    } else {
        piece.value.into()
    };
    let escape = if piece.raw_quotes { '\\' } else { file.escape };
    for r in var_refs(&text, escape) {
        if reported.contains(&r.name) || is_defined(&r.name, defined, base_env) {
            continue;
        }
        let candidates = defined
            .iter()
            .map(String::as_str)
            .chain(ALWAYS_DEFINED.iter().copied().take(1))
            .chain(match base_env {
                BaseEnv::Known(names) => names.iter().map(String::as_str).collect::<Vec<_>>(),
                BaseEnv::Unknown => Vec::new(),
            });
        let suggestion = closest(&r.name, candidates);
        // With an unknown base image, only a near miss of a defined name is certain enough,
        // and not a name some known image sets (`GOPATH` on an unknown Go image).
        if matches!(base_env, BaseEnv::Unknown)
            && (suggestion.is_none() || set_by_a_known_image(&r.name))
        {
            continue;
        }
        let mut message = format!("`${}` is not defined at this point", r.name);
        if scope.globals.contains(&r.name) {
            message.push_str(&format!(
                " (an `ARG` before the first `FROM` is only visible in a stage that repeats `ARG {}`)",
                r.name
            ));
        } else if scope.same_env.contains(&r.name) {
            message.push_str(" (an `ENV` cannot use a variable it sets itself: split it in two)");
        } else if let Some(s) = suggestion {
            message.push_str(&format!(" (did you mean `${s}`?)"));
        }
        cx.report(sub_span(file, piece.span, piece.value, r.span), message);
        reported.push(r.name);
    }
}

fn is_defined(name: &str, defined: &[String], base_env: &BaseEnv) -> bool {
    defined.iter().any(|d| d == name)
        || ALWAYS_DEFINED.contains(&name)
        || match base_env {
            BaseEnv::Known(names) => names.iter().any(|n| n == name),
            BaseEnv::Unknown => false,
        }
}

fn push_unique(names: &mut Vec<String>, name: String) {
    if !names.contains(&name) {
        names.push(name);
    }
}

/// The environment the root of a stage's chain of base stages brings.
fn base_env(semantic: &Semantic, stage: &Stage) -> BaseEnv {
    let mut current = stage;
    // A stage's base stage is always an earlier one, so this ends.
    for _ in 0..=semantic.stages.len() {
        match current.base.stage.filter(|p| *p < current.index) {
            Some(parent) => match semantic.stages.get(parent) {
                Some(p) => current = p,
                None => return BaseEnv::Unknown,
            },
            None => break,
        }
    }
    let base = &current.base;
    if base.is_scratch {
        return BaseEnv::Known(&[]);
    }
    if base.stage.is_some() || base.expanded.is_none() {
        return BaseEnv::Unknown;
    }
    let Some(repository) = base.repository.as_deref() else {
        return BaseEnv::Unknown;
    };
    let full = match base.registry.as_deref() {
        Some(r) => format!("{r}/{repository}"),
        None => repository.to_string(),
    };
    // The environment of an image is known when the table lists it (an entry without `env`
    // describes only the user).
    match crate::base_images::image_config(&full) {
        Some(c) if !c.env.is_empty() => BaseEnv::Known(&c.env),
        _ => BaseEnv::Unknown,
    }
}

/// Whether some image of `rules/base-images.yaml` sets `name` in its environment.
fn set_by_a_known_image(name: &str) -> bool {
    crate::base_images::table()
        .image_config
        .iter()
        .any(|c| c.env.iter().any(|e| e == name))
}
