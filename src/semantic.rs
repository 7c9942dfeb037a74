//! The model rules share, computed once per file: build stages and their graph, base images with
//! ARGs resolved, ARG/ENV scope, and the SHELL, USER and WORKDIR in effect at each instruction.
//!
//! Everything here follows how BuildKit evaluates a Dockerfile (`dockerfile2llb`):
//! - ARGs declared before the first FROM ("global" ARGs) are visible only in FROM lines, unless a
//!   stage re-declares them with `ARG NAME`, which then takes the global default.
//! - Inside a stage, ARG and ENV definitions are visible from the next instruction on; ENV wins
//!   over ARG of the same name when both are set (BuildKit builds the env from ARGs, then ENVs).
//! - A stage built `FROM` an earlier stage inherits that stage's ENV, SHELL, USER and WORKDIR
//!   (they are in its image config) and, in BuildKit, the ARGs it declared.
//! - `FROM name` refers to an earlier stage only when `name` equals the stage name as BuildKit
//!   stores it (lower-cased) exactly; `COPY --from` and `RUN --mount=from=` are case-insensitive.
//! - What an external base image sets (its ENV, USER, WORKDIR) is unknown here: it is reported
//!   as unknown, never guessed, so rules that need it can stay silent.

use crate::syntax::image_ref;
use crate::syntax::shell::{self, Script, ShellDialect, ShellParseError};
use crate::syntax::words::{self, Expanded};
use crate::syntax::{
    CommandBody, Dockerfile, FromView, Instruction, InstructionView, SourceMap, Span,
};

/// Build arguments BuildKit defines automatically in the global scope (usable in FROM without a
/// declaration; inside a stage they still need `ARG NAME`).
pub const AUTOMATIC_PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "BUILDOSVERSION",
    "TARGETOSVERSION",
    "TARGETSTAGE",
];

/// Build arguments Docker accepts without an ARG declaration (proxy settings and BuildKit's own
/// knobs); their value comes from the command line, so it is unknown here.
pub const PREDEFINED_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SOURCE_DATE_EPOCH",
    "BUILDKIT_INLINE_CACHE",
    "BUILDKIT_MULTI_PLATFORM",
    "BUILDKIT_SANDBOX_HOSTNAME",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
    "BUILDKIT_SYNTAX",
    "BUILDKIT_DOCKERFILE_CHECK",
];

/// The shell Docker uses for shell-form commands when no SHELL instruction says otherwise.
pub const DEFAULT_SHELL: &[&str] = &["/bin/sh", "-c"];

/// The default shell of Windows images: no POSIX shell rule applies to their RUNs.
pub const WINDOWS_SHELL: &[&str] = &["cmd", "/S", "/C"];

/// What the file knows about a variable at some point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Set to this value (after expansion).
    Known(String),
    /// Set, but to something only known at build time (an ARG without default, a `--build-arg`,
    /// or a value that refers to an unknown variable).
    Unknown,
}

impl Value {
    pub fn known(&self) -> Option<&str> {
        match self {
            Value::Known(s) => Some(s),
            Value::Unknown => None,
        }
    }
}

/// Where a variable definition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

/// One ARG or ENV definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    pub value: Value,
    pub kind: VarKind,
    /// Index into `Dockerfile::instructions` of the defining instruction (`None` for a value
    /// inherited from a parent stage).
    pub instruction: Option<usize>,
    /// The name in the file.
    pub span: Span,
}

/// A base image reference after ARG expansion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaseImage {
    /// The reference as written.
    pub raw: String,
    /// The reference with global ARGs expanded; `None` when it depends on a value not known here.
    pub expanded: Option<String>,
    /// Variables the reference uses that have no known value.
    pub unresolved: Vec<String>,
    /// Parts of the expanded reference (`None` when absent or unknown).
    pub registry: Option<String>,
    pub repository: Option<String>,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// `FROM scratch`.
    pub is_scratch: bool,
    /// `FROM <earlier stage>`: that stage's index.
    pub stage: Option<usize>,
}

impl BaseImage {
    /// An image pulled from a registry (not `scratch`, not an earlier stage).
    pub fn is_external(&self) -> bool {
        !self.is_scratch && self.stage.is_none()
    }
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    /// Indices of the stage's instructions after its FROM (`from + 1 .. next FROM`).
    pub body: std::ops::Range<usize>,
    /// The name after `AS`, lower-cased as BuildKit matches it.
    pub name: Option<String>,
    pub base: BaseImage,
    /// Stages this one reads from: its base stage, `COPY --from`, `RUN --mount=from=`.
    pub depends_on: Vec<usize>,
    /// Part of what the final stage needs (the final stage itself included).
    pub reaches_final: bool,
}

impl Stage {
    /// The stage's `FROM` instruction, for the image reference's span.
    pub fn from_view<'f>(&self, file: &'f Dockerfile) -> Option<&'f crate::syntax::FromView> {
        match &file.instructions.get(self.from)?.view() {
            crate::syntax::InstructionView::From(from) => Some(from),
            _ => None,
        }
    }
}

/// The state in effect when an instruction runs (before its own effect).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstructionState {
    /// The stage it belongs to; `None` before the first FROM.
    pub stage: Option<usize>,
    /// The effective SHELL argv (the default `/bin/sh -c` unless a SHELL says otherwise).
    /// `None` when it comes from an external base image that may set its own (rare).
    pub shell: Vec<String>,
    /// Whether the shell was set by a SHELL instruction (in this stage or a parent stage).
    pub shell_explicit: bool,
    /// The last USER value (raw text) in this stage or its parent stages; `None` when none was
    /// set, so the base image's user applies.
    pub user: Option<String>,
    /// The working directory after WORKDIRs (resolved to an absolute path when every WORKDIR on
    /// the way is known); `None` when no WORKDIR was set, so the base image's applies.
    pub workdir: Option<String>,
}

/// The shell script a RUN executes, parsed.
///
/// - `RUN cmd` (shell form): the continuation-joined line, exactly what BuildKit gives the shell.
/// - `RUN cmd <<EOF` + body: the line, then the raw heredoc bodies and terminators as in the file
///   (what the shell reads: the bodies are the command's input).
/// - `RUN <<EOF` + body with nothing else on the line: the body is the script, unless a shebang
///   names another interpreter.
///
/// Exec-form RUNs and RUNs under a non-shell `SHELL` (pwsh, cmd) have no script.
#[derive(Debug, Clone)]
pub struct RunScript {
    /// Index of the RUN in `Dockerfile::instructions`.
    pub instruction: usize,
    /// The text the shell parser read.
    pub text: String,
    /// Offsets in `text` to offsets in the file.
    pub map: SourceMap,
    pub dialect: ShellDialect,
    /// The parse; an error means shell rules skip this RUN (an informational diagnostic says why).
    pub script: Result<Script, ShellParseError>,
    /// An `ONBUILD RUN` trigger: it runs in every image built `FROM` this one, after all of
    /// this image's layers, not in this build. Rules about one script check it like a `RUN`;
    /// rules about layers, their order or the build context leave it out.
    pub onbuild: bool,
}

impl RunScript {
    /// File span of a span in `text`.
    pub fn file_span(&self, span: Span) -> Span {
        self.map.span_to_file(span)
    }
}

/// The semantic model of one Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Semantic {
    /// ARGs declared before the first FROM.
    pub global_args: Vec<VarDef>,
    pub stages: Vec<Stage>,
    /// One entry per `Dockerfile::instructions` entry.
    pub states: Vec<InstructionState>,
    /// The parsed shell script of every shell RUN, in file order.
    pub run_scripts: Vec<RunScript>,
    /// Variable definitions per stage in order (inherited ENV first, then the stage's own).
    stage_vars: Vec<Vec<VarDef>>,
    /// Every simple command of the RUN scripts read once (its words, its package-manager
    /// reading): ~30 rules walk them, and rebuilding them per rule was a fifth of a corpus run.
    /// Filled by `rules::run_commands` on first use.
    pub command_cache: std::cell::OnceCell<Vec<CachedCommand>>,
    /// The control-flow facts of every command of every RUN script (parallel to
    /// `run_scripts` and their `cmds`), filled by `control_flow` on first use.
    flows: std::cell::OnceCell<Vec<Vec<shell::CommandFlow>>>,
}

/// One simple command of a RUN, as `rules::run_commands` reads it (see `Semantic::command_cache`).
#[derive(Debug, Clone)]
pub struct CachedCommand {
    /// Index into `Semantic::run_scripts`.
    pub run: usize,
    /// Index into that script's `cmds`.
    pub cmd: usize,
    /// The stage of the RUN.
    pub stage: usize,
    /// Where the command that actually runs starts in the argv (after `sudo`, `env X=1` ...).
    pub argv_start: usize,
    /// The effective argv as text: each word's literal value, or the word as written.
    pub words: Vec<String>,
    /// The words read as a package-manager command, when they are one.
    pub package: Option<crate::package_managers::Invocation>,
}

impl Semantic {
    pub fn new(file: &Dockerfile) -> Semantic {
        Builder::default().build(file)
    }

    /// The control-flow facts of command `cmd` of RUN script `run` (an index into
    /// `run_scripts`): unconditional or in which branch, subshell, substitution, after `||`,
    /// under `set -e`. Computed for every RUN on first use.
    pub fn flow(&self, run: usize, cmd: usize) -> Option<&shell::CommandFlow> {
        self.flows
            .get_or_init(|| {
                self.run_scripts
                    .iter()
                    .map(|r| match &r.script {
                        Ok(s) => {
                            let shell = self
                                .states
                                .get(r.instruction)
                                .map(|st| st.shell.as_slice())
                                .unwrap_or_default();
                            shell::command_flows(s, &r.text, shell)
                        }
                        Err(_) => Vec::new(),
                    })
                    .collect()
            })
            .get(run)?
            .get(cmd)
    }

    /// The parsed script of the RUN at instruction `at`, if it is a shell RUN.
    pub fn run_script(&self, at: usize) -> Option<&RunScript> {
        self.run_scripts
            .binary_search_by_key(&at, |r| r.instruction)
            .ok()
            .map(|i| &self.run_scripts[i])
    }

    /// The RUN scripts of a stage that parsed, with their instruction index.
    pub fn stage_scripts(&self, stage: &Stage) -> impl Iterator<Item = (&RunScript, &Script)> {
        self.run_scripts
            .iter()
            .filter(move |r| r.instruction > stage.from && r.instruction < stage.body.end)
            .filter_map(|r| r.script.as_ref().ok().map(|s| (r, s)))
    }

    /// The stage that becomes the image (the last one).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage an instruction belongs to.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        let s = self.states.get(instruction)?.stage?;
        self.stages.get(s)
    }

    /// The first stage of `stage`'s chain of base stages (`FROM build` ... back to the stage
    /// that starts from an image or `scratch`); `stage` itself when it starts from an image.
    pub fn root_stage(&self, stage: usize) -> Option<&Stage> {
        let mut current = self.stages.get(stage)?;
        // Bounded: a stage's base stage is always an earlier one.
        for _ in 0..self.stages.len() {
            match current.base.stage.filter(|p| *p < current.index) {
                Some(parent) => current = self.stages.get(parent)?,
                None => break,
            }
        }
        Some(current)
    }

    /// The stage a `--from=` / `from=` value names: a stage name (case-insensitive) or index
    /// defined before `before_stage`. `None` means it is an image reference.
    pub fn resolve_stage_ref(&self, name: &str, before_stage: usize) -> Option<usize> {
        resolve_stage_ref(&self.stages[..before_stage.min(self.stages.len())], name)
    }

    /// The value of variable `name` as seen by instruction `at` (ENV over ARG, latest wins);
    /// `None` when it is not defined in the stage (it may still come from the base image).
    pub fn lookup(&self, name: &str, at: usize) -> Option<&VarDef> {
        let state = self.states.get(at)?;
        match state.stage {
            None => self.global_args.iter().rev().find(|d| d.name == name),
            Some(s) => {
                let vars = self.stage_vars.get(s)?;
                let visible = vars
                    .iter()
                    .filter(|d| d.instruction.is_none_or(|i| i < at))
                    .filter(|d| d.name == name);
                // ENV takes precedence over ARG of the same name.
                let mut best: Option<&VarDef> = None;
                for d in visible {
                    match (best.map(|b| b.kind), d.kind) {
                        (Some(VarKind::Env), VarKind::Arg) => {}
                        _ => best = Some(d),
                    }
                }
                best
            }
        }
    }

    /// The definition of `name` made by instruction `at` itself (an ARG or ENV there).
    pub fn defined_at(&self, name: &str, at: usize) -> Option<&VarDef> {
        let stage = self.states.get(at)?.stage?;
        self.stage_vars
            .get(stage)?
            .iter()
            .rev()
            .find(|d| d.instruction == Some(at) && d.name == name)
    }

    /// Every variable visible at instruction `at` (latest definition of each name).
    pub fn visible_vars(&self, at: usize) -> Vec<&VarDef> {
        let mut names: Vec<&str> = Vec::new();
        let pool: Box<dyn Iterator<Item = &VarDef>> =
            match self.states.get(at).and_then(|s| s.stage) {
                None => Box::new(self.global_args.iter()),
                Some(s) => Box::new(
                    self.stage_vars
                        .get(s)
                        .into_iter()
                        .flatten()
                        .filter(move |d| d.instruction.is_none_or(|i| i < at)),
                ),
            };
        for d in pool {
            if !names.contains(&d.name.as_str()) {
                names.push(&d.name);
            }
        }
        names.iter().filter_map(|n| self.lookup(n, at)).collect()
    }

    /// Whether the stage can see variables set by an image this file does not describe (an
    /// external base image anywhere up its chain): then an undefined name may still be set.
    pub fn has_unknown_env(&self, stage: usize) -> bool {
        let mut s = stage;
        // Bounded by the number of stages: a stage's base is always an earlier stage.
        for _ in 0..=self.stages.len() {
            let Some(st) = self.stages.get(s) else {
                return true;
            };
            match st.base.stage {
                Some(parent) if parent < s => s = parent,
                Some(_) => return true,
                None => return !st.base.is_scratch,
            }
        }
        true
    }

    /// Expand `text` (an instruction argument as written) with the variables visible at
    /// instruction `at`. Unknown and undefined names are listed in `unresolved`.
    pub fn expand(&self, file: &Dockerfile, text: &str, at: usize) -> Expanded {
        let scope = |name: &str| {
            self.lookup(name, at)
                .and_then(|d| d.value.known().map(str::to_string))
        };
        words::expand_with(text, file.escape, &scope)
    }
}

fn resolve_stage_ref(stages: &[Stage], name: &str) -> Option<usize> {
    if let Some(s) = stages.iter().rev().find(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    }) {
        return Some(s.index);
    }
    // BuildKit accepts a stage index only when it names an earlier stage.
    name.parse::<usize>().ok().filter(|i| *i < stages.len())
}

#[derive(Default)]
struct Builder {
    out: Semantic,
}

impl Builder {
    fn build(mut self, file: &Dockerfile) -> Semantic {
        let n = file.instructions.len();
        self.out.states = vec![InstructionState::default(); n];
        let mut current: Option<usize> = None;
        // Per stage, the state after its last instruction (for child stages to inherit).
        let mut end_states: Vec<InstructionState> = Vec::new();
        let mut state = InstructionState::default();

        for (i, ins) in file.instructions.iter().enumerate() {
            if let InstructionView::From(from) = ins.view() {
                if let Some(s) = current {
                    self.close_stage(s, i, &mut end_states, &state);
                }
                let index = self.out.stages.len();
                let base = self.base_image(file, from);
                let inherited = base.stage.and_then(|p| end_states.get(p).cloned());
                let inherited_vars: Vec<VarDef> = base
                    .stage
                    .and_then(|p| self.out.stage_vars.get(p))
                    .map(|vars| {
                        vars.iter()
                            .map(|d| VarDef {
                                instruction: None,
                                ..d.clone()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                state = match inherited {
                    Some(parent) => InstructionState {
                        stage: Some(index),
                        ..parent
                    },
                    None => {
                        let windows = base.repository.as_deref().is_some_and(|r| {
                            let full = match &base.registry {
                                Some(reg) => format!("{reg}/{r}"),
                                None => r.to_string(),
                            };
                            crate::base_images::is_windows(&full, base.tag.as_deref().unwrap_or(""))
                        });
                        let shell = if windows {
                            WINDOWS_SHELL
                        } else {
                            DEFAULT_SHELL
                        };
                        InstructionState {
                            stage: Some(index),
                            shell: shell.iter().map(|s| s.to_string()).collect(),
                            ..InstructionState::default()
                        }
                    }
                };
                self.out.stages.push(Stage {
                    index,
                    from: i,
                    body: i + 1..i + 1,
                    name: from
                        .alias
                        .as_ref()
                        .map(|a| a.value.to_ascii_lowercase().to_string()),
                    depends_on: base.stage.into_iter().collect(),
                    base,
                    reaches_final: false,
                });
                self.out.stage_vars.push(inherited_vars);
                current = Some(index);
                self.out.states[i] = state.clone();
                continue;
            }
            self.out.states[i] = state.clone();
            match current {
                None => {
                    if let InstructionView::Arg(arg) = ins.view() {
                        for decl in &arg.args {
                            let value = match &decl.default {
                                Some(d) => self.expand_value(file, d, &self.out.global_args),
                                None => Value::Unknown,
                            };
                            self.out.global_args.push(VarDef {
                                name: decl.name.to_string(),
                                value,
                                kind: VarKind::Arg,
                                instruction: Some(i),
                                span: decl.name_span,
                            });
                        }
                    }
                }
                Some(s) => self.apply(file, s, i, ins, &mut state),
            }
        }
        if let Some(s) = current {
            self.close_stage(s, n, &mut end_states, &state);
        }
        self.mark_reaches_final();
        self.out
    }

    fn close_stage(
        &mut self,
        s: usize,
        end: usize,
        end_states: &mut Vec<InstructionState>,
        state: &InstructionState,
    ) {
        if let Some(st) = self.out.stages.get_mut(s) {
            st.body = st.from + 1..end;
        }
        // ONBUILD triggers run under the SHELL the image ends with: drop those read under
        // another one (which shell the child uses is then not what this stage showed them).
        let states = &self.out.states;
        self.out.run_scripts.retain(|r| {
            !r.onbuild
                || states.get(r.instruction).and_then(|st| st.stage) != Some(s)
                || states.get(r.instruction).map(|st| &st.shell) == Some(&state.shell)
        });
        end_states.push(state.clone());
    }

    /// Expand a value against a list of definitions (the latest definition of a name wins).
    fn expand_value(&self, file: &Dockerfile, text: &str, defs: &[VarDef]) -> Value {
        let scope = |name: &str| {
            defs.iter()
                .rev()
                .find(|d| d.name == name)
                .and_then(|d| d.value.known().map(str::to_string))
        };
        let e = words::expand_with(text, file.escape, &scope);
        if e.error.is_some() || !e.unresolved.is_empty() {
            Value::Unknown
        } else {
            Value::Known(e.value)
        }
    }

    fn base_image(&self, file: &Dockerfile, from: &FromView) -> BaseImage {
        let raw = from.image.value.to_string();
        let globals = &self.out.global_args;
        let scope = |name: &str| {
            if let Some(d) = globals.iter().rev().find(|d| d.name == name) {
                return d.value.known().map(str::to_string);
            }
            None
        };
        let e = words::expand_with(&raw, file.escape, &scope);
        let mut base = BaseImage {
            raw,
            ..BaseImage::default()
        };
        if e.error.is_some() || !e.unresolved.is_empty() {
            base.unresolved = e.unresolved;
            return base;
        }
        let expanded = e.value;
        base.is_scratch = expanded.eq_ignore_ascii_case("scratch");
        base.stage = resolve_stage_ref(&self.out.stages, &expanded)
            // A number is a stage index only for --from; FROM takes names, matched exactly
            // against the lower-cased stage name (BuildKit: `FROM Build` is an image).
            .filter(|i| self.out.stages[*i].name.as_deref() == Some(expanded.as_str()));
        if base.stage.is_none() && !base.is_scratch {
            let parts = split_image_ref(&expanded);
            base.registry = parts.registry;
            base.repository = Some(parts.repository);
            base.tag = parts.tag;
            base.digest = parts.digest;
        }
        base.expanded = Some(expanded);
        base
    }

    /// The effect of one instruction inside stage `s`.
    fn apply(
        &mut self,
        file: &Dockerfile,
        s: usize,
        i: usize,
        ins: &Instruction,
        state: &mut InstructionState,
    ) {
        self.out.stages[s].body.end = i + 1;
        match ins.view() {
            InstructionView::Arg(arg) => {
                for decl in &arg.args {
                    let value = match &decl.default {
                        Some(d) => self.expand_in_stage(file, s, d),
                        // `ARG NAME` re-declares a global ARG with its default.
                        None => self
                            .out
                            .global_args
                            .iter()
                            .rev()
                            .find(|g| g.name == decl.name)
                            .map(|g| g.value.clone())
                            .unwrap_or(Value::Unknown),
                    };
                    self.out.stage_vars[s].push(VarDef {
                        name: decl.name.to_string(),
                        value,
                        kind: VarKind::Arg,
                        instruction: Some(i),
                        span: decl.name_span,
                    });
                }
            }
            InstructionView::Env(env) => {
                // BuildKit expands every pair of one ENV against the state before the ENV.
                let values: Vec<Value> = env
                    .pairs
                    .iter()
                    .map(|p| self.expand_in_stage(file, s, &p.value))
                    .collect();
                for (p, value) in env.pairs.iter().zip(values) {
                    let name = words::expand_with(&p.key, file.escape, &|_| None).value;
                    self.out.stage_vars[s].push(VarDef {
                        name,
                        value,
                        kind: VarKind::Env,
                        instruction: Some(i),
                        span: p.key_span,
                    });
                }
            }
            InstructionView::Shell(cmd) => {
                if let CommandBody::Exec(args) = &cmd.body {
                    state.shell = args.iter().map(|a| a.value.to_string()).collect();
                    state.shell_explicit = true;
                }
            }
            InstructionView::User(v) => {
                state.user = v.value.as_ref().map(|w| w.value.to_string());
            }
            InstructionView::Workdir(v) => {
                if let Some(w) = &v.value {
                    let dir = match self.expand_in_stage(file, s, &w.value) {
                        Value::Known(d) => Some(d),
                        Value::Unknown => None,
                    };
                    state.workdir = match (dir, state.workdir.take()) {
                        (Some(d), _) if d.starts_with('/') => Some(clean_path(&d)),
                        (Some(d), Some(prev)) => Some(clean_path(&format!("{prev}/{d}"))),
                        // Relative to the base image's WORKDIR (usually `/`): unknown.
                        (Some(_), None) | (None, _) => None,
                    };
                }
            }
            InstructionView::Copy(copy) | InstructionView::Add(copy) => {
                if let Some(from) = copy.from.as_ref().and_then(|f| f.value.as_deref()) {
                    self.add_dependency(file, s, from);
                }
            }
            // An `ONBUILD RUN` runs in every image built from this one: its script is read
            // like a `RUN`'s (the shell rules check it), under this instruction's index. The
            // child runs it with this stage's last SHELL: one that differs from the SHELL here
            // drops it when the stage closes.
            InstructionView::Onbuild(onbuild) => {
                if let Some(inner) = onbuild.inner.as_deref()
                    && let InstructionView::Run(run) = inner.view()
                    && let CommandBody::Shell(body) = &run.body
                {
                    let dialect = shell::dialect_of_shell(&state.shell);
                    // BuildKit attaches the heredocs to the ONBUILD, not to its trigger.
                    let with_heredocs = if inner.heredocs.is_empty() {
                        ins
                    } else {
                        inner
                    };
                    if dialect.is_shell()
                        && let Some(mut script) = run_script(file, i, with_heredocs, body, dialect)
                    {
                        script.onbuild = true;
                        self.out.run_scripts.push(script);
                    }
                }
            }
            InstructionView::Run(run) => {
                if let CommandBody::Shell(body) = &run.body {
                    let dialect = shell::dialect_of_shell(&state.shell);
                    if dialect.is_shell()
                        && let Some(script) = run_script(file, i, ins, body, dialect)
                    {
                        self.out.run_scripts.push(script);
                    }
                }
                for m in &run.mounts {
                    if let Some(from) = m.from() {
                        let from = from.to_string();
                        self.add_dependency(file, s, &from);
                    }
                }
            }
            // ONBUILD triggers run in a later build that uses this image, not here.
            _ => {}
        }
    }

    fn expand_in_stage(&self, file: &Dockerfile, s: usize, text: &str) -> Value {
        self.expand_value(file, text, &self.out.stage_vars[s])
    }

    fn add_dependency(&mut self, file: &Dockerfile, s: usize, from: &str) {
        let name = match self.expand_in_stage(file, s, from) {
            Value::Known(v) => v,
            Value::Unknown => return,
        };
        if let Some(dep) = resolve_stage_ref(&self.out.stages[..s], &name)
            && !self.out.stages[s].depends_on.contains(&dep)
        {
            self.out.stages[s].depends_on.push(dep);
        }
    }

    fn mark_reaches_final(&mut self) {
        let Some(last) = self.out.stages.len().checked_sub(1) else {
            return;
        };
        let mut todo = vec![last];
        while let Some(s) = todo.pop() {
            let Some(st) = self.out.stages.get_mut(s) else {
                continue;
            };
            if st.reaches_final {
                continue;
            }
            st.reaches_final = true;
            todo.extend(st.depends_on.iter().copied().filter(|d| *d < s));
        }
    }
}

/// The script of a shell-form RUN (see [`RunScript`]).
fn run_script(
    file: &Dockerfile,
    i: usize,
    ins: &Instruction,
    body: &crate::syntax::ShellText,
    dialect: ShellDialect,
) -> Option<RunScript> {
    let (Some(first), Some(last)) = (ins.heredocs.first(), ins.heredocs.last()) else {
        let script = shell::parse(&body.text);
        return Some(RunScript {
            instruction: i,
            text: body.text.clone(),
            map: body.map.clone(),
            dialect,
            script,
            onbuild: false,
        });
    };
    let line_only_heredoc = body.text.trim() == first.word_span.text(file.source()).trim();
    if line_only_heredoc && ins.heredocs.len() == 1 {
        // BuildKit runs the body itself as the script.
        let text = first.content.clone();
        let dialect = match shell::shebang_dialect(&text) {
            Some(d) => d,
            None => dialect,
        };
        if !dialect.is_shell() {
            return None;
        }
        let mut map = SourceMap::new();
        map.push(first.content_span);
        let script = shell::parse(&text);
        return Some(RunScript {
            instruction: i,
            text,
            map,
            dialect,
            script,
            onbuild: false,
        });
    }
    // The line, then everything from the end of the line to the last terminator (line endings,
    // bodies and terminators exactly as in the file).
    let mut map = body.map.clone();
    let line_end = body.map.to_file(body.map.joined_len());
    let tail = Span::new(
        line_end.min(first.content_span.start),
        last.terminator_span.end,
    );
    let mut text = body.text.clone();
    text.push_str(tail.text(file.source()));
    map.push(tail);
    if map.joined_len() != text.len() {
        // The file slices did not line up (a malformed file): parse the line alone.
        let script = shell::parse(&body.text);
        return Some(RunScript {
            instruction: i,
            text: body.text.clone(),
            map: body.map.clone(),
            dialect,
            script,
            onbuild: false,
        });
    }
    let script = shell::parse(&text);
    Some(RunScript {
        instruction: i,
        text,
        map,
        dialect,
        script,
        onbuild: false,
    })
}

/// Parts of an image reference `[registry/]repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageParts {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// Split an image reference the way Docker's reference grammar does ([`image_ref::split`]).
pub fn split_image_ref(reference: &str) -> ImageParts {
    let parts = image_ref::split(reference);
    let owned = |r: std::ops::Range<usize>| reference[r].to_string();
    ImageParts {
        registry: parts.registry.map(owned),
        repository: owned(parts.repository),
        tag: parts.tag.map(owned),
        digest: parts.digest.map(owned),
    }
}

/// Lexical clean of an absolute path (`/a/./b/../c/` -> `/a/c`), as Go's `path.Clean`.
pub(crate) fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_refs_split_like_docker() {
        let p = split_image_ref("ghcr.io/org/app:1.2@sha256:abc");
        assert_eq!(p.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(p.repository, "org/app");
        assert_eq!(p.tag.as_deref(), Some("1.2"));
        assert_eq!(p.digest.as_deref(), Some("sha256:abc"));
        let p = split_image_ref("localhost:5000/app");
        assert_eq!(
            (p.registry.as_deref(), p.repository.as_str(), p.tag),
            (Some("localhost:5000"), "app", None)
        );
        let p = split_image_ref("library/debian:bookworm-slim");
        assert_eq!(
            (p.registry, p.repository.as_str(), p.tag.as_deref()),
            (None, "library/debian", Some("bookworm-slim"))
        );
    }

    #[test]
    fn clean_path_is_lexical() {
        assert_eq!(clean_path("/a/./b/../c/"), "/a/c");
        assert_eq!(clean_path("/.."), "/");
    }
}

#[cfg(test)]
mod model_tests {
    use super::*;
    use crate::syntax::parse;

    fn model(src: &str) -> (Dockerfile, Semantic) {
        let file = parse(src);
        let sem = Semantic::new(&file);
        (file, sem)
    }

    #[test]
    fn stages_resolve_global_args_and_stage_references() {
        let (_, sem) = model(
            "ARG PY=3.12\nARG REG\nFROM python:${PY}-slim AS Build\nRUN true\n\
             FROM build AS test\nFROM $REG/app\nFROM scratch\nCOPY --from=build /a /a\n",
        );
        assert_eq!(sem.global_args.len(), 2);
        assert_eq!(sem.stages.len(), 4);
        let b = &sem.stages[0].base;
        assert_eq!(b.expanded.as_deref(), Some("python:3.12-slim"));
        assert_eq!(
            (b.repository.as_deref(), b.tag.as_deref()),
            (Some("python"), Some("3.12-slim"))
        );
        assert_eq!(sem.stages[0].name.as_deref(), Some("build"));
        assert_eq!(sem.stages[1].base.stage, Some(0));
        assert_eq!(sem.stages[2].base.expanded, None);
        assert_eq!(sem.stages[2].base.unresolved, ["REG"]);
        assert!(sem.stages[3].base.is_scratch);
        // scratch copies from build: build reaches the final image, test and the $REG stage do not
        let reach: Vec<bool> = sem.stages.iter().map(|s| s.reaches_final).collect();
        assert_eq!(reach, [true, false, false, true]);
        assert_eq!(sem.stages[0].body, 3..4);
    }

    #[test]
    fn arg_and_env_scope_follow_buildkit() {
        let src = "ARG V=1\nFROM a\nRUN one\nARG V\nRUN two\nENV V=env-$V W=$V\nRUN three\nARG V=late\nRUN four\n\
                   FROM 0\nFROM a AS child\n";
        let (file, sem) = model(src);
        let at = |needle: &str| {
            file.instructions
                .iter()
                .position(|i| file.text(i.span).contains(needle))
                .unwrap()
        };
        // the global ARG is not visible in the stage until re-declared
        assert!(sem.lookup("V", at("one")).is_none());
        assert_eq!(
            sem.lookup("V", at("two")).unwrap().value,
            Value::Known("1".into())
        );
        // both pairs of one ENV see the state before the ENV
        assert_eq!(
            sem.lookup("W", at("three")).unwrap().value,
            Value::Known("1".into())
        );
        assert_eq!(
            sem.lookup("V", at("three")).unwrap().value,
            Value::Known("env-1".into())
        );
        // ENV wins over a later ARG of the same name
        assert_eq!(sem.lookup("V", at("four")).unwrap().kind, VarKind::Env);
        assert_eq!(sem.expand(&file, "x${V}y", at("four")).value, "xenv-1y");
        assert!(sem.has_unknown_env(0));
    }

    #[test]
    fn child_stages_inherit_env_shell_user_workdir() {
        let src = "FROM scratch AS base\nENV P=/opt\nSHELL [\"/bin/bash\", \"-c\"]\nUSER app\nWORKDIR /srv\nWORKDIR api\n\
                   FROM base\nRUN echo $P\n";
        let (_, sem) = model(src);
        let last = sem.states.len() - 1;
        let st = &sem.states[last];
        assert_eq!(st.shell, ["/bin/bash", "-c"]);
        assert!(st.shell_explicit);
        assert_eq!(st.user.as_deref(), Some("app"));
        assert_eq!(st.workdir.as_deref(), Some("/srv/api"));
        assert_eq!(
            sem.lookup("P", last).unwrap().value,
            Value::Known("/opt".into())
        );
        assert!(!sem.has_unknown_env(1));
    }

    #[test]
    fn from_matches_stage_names_exactly_and_inherits_args() {
        let (_, sem) = model(
            "FROM scratch AS Base
ARG V=1
FROM Base
FROM base
RUN x
",
        );
        assert_eq!(
            sem.stages[1].base.stage, None,
            "`FROM Base` is an image reference"
        );
        assert_eq!(sem.stages[2].base.stage, Some(0));
        let last = sem.states.len() - 1;
        assert_eq!(
            sem.lookup("V", last).unwrap().value,
            Value::Known("1".into())
        );
    }

    /// Every word of every parsed RUN maps back to the same text in the file.
    fn assert_words_map_back(file: &Dockerfile, sem: &Semantic) -> usize {
        let mut n = 0;
        for rs in &sem.run_scripts {
            let script = rs.script.as_ref().expect("parses");
            for cmd in &script.cmds {
                for w in cmd.argv.iter().chain(&cmd.assigns) {
                    let raw = w.raw(&rs.text);
                    if raw.contains('\n') {
                        continue; // a word crossing a removed continuation has no single file twin
                    }
                    assert_eq!(file.text(rs.file_span(w.span)), raw);
                    n += 1;
                }
            }
        }
        n
    }

    #[test]
    fn run_scripts_cover_continuations_and_heredocs() {
        let src = "FROM debian\nRUN apt-get update && \\\n    # comment\n    apt-get install -y \\\n      curl\n\
                   RUN <<EOF\nset -e\necho body\nEOF\n\
                   RUN cat <<A > /f && \\\n  echo after\nline\nA\n\
                   RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n\
                   RUN [\"echo\", \"exec\"]\n";
        let (file, sem) = model(src);
        assert_eq!(
            sem.run_scripts.len(),
            3,
            "python heredoc and exec form have no script"
        );
        let names: Vec<Vec<String>> = sem
            .run_scripts
            .iter()
            .map(|r| {
                let s = r.script.as_ref().unwrap();
                s.cmds
                    .iter()
                    .filter_map(|c| c.name(&r.text).map(|n| n.into_owned()))
                    .collect()
            })
            .collect();
        assert_eq!(names[0], ["apt-get", "apt-get"]);
        assert_eq!(names[1], ["set", "echo"]);
        assert_eq!(names[2], ["cat", "echo"]);
        assert!(assert_words_map_back(&file, &sem) >= 10);
    }

    #[test]
    fn onbuild_run_scripts_are_read_with_exact_spans() {
        let src = "FROM debian\nONBUILD RUN apt-get update && \\\n    apt-get install -y curl\n\
                   ONBUILD RUN [\"echo\", \"exec\"]\n\
                   ONBUILD COPY . /app\n\
                   onbuild   run --mount=type=cache,target=/root/.cache pip install flask\n\
                   RUN echo layer\n";
        let (file, sem) = model(src);
        let scripts: Vec<(usize, bool)> = sem
            .run_scripts
            .iter()
            .map(|r| (r.instruction, r.onbuild))
            .collect();
        assert_eq!(scripts, [(1, true), (4, true), (5, false)]);
        assert!(assert_words_map_back(&file, &sem) >= 9);
        let pip = &sem.run_scripts[1];
        let first = &pip.script.as_ref().unwrap().cmds[0];
        assert_eq!(file.text(pip.file_span(first.span)), "pip install flask");
        assert_eq!(sem.run_script(4).map(|r| r.onbuild), Some(true));
    }

    #[test]
    fn onbuild_run_heredocs_are_read() {
        let src = "FROM debian\nONBUILD RUN <<EOF\napt-get install curl\nEOF\n\
                   ONBUILD RUN cat <<EOF > /x && apt-get install wget\nhello\nEOF\n";
        let (file, sem) = model(src);
        assert_eq!(sem.run_scripts.len(), 2);
        let names: Vec<String> = sem
            .run_scripts
            .iter()
            .flat_map(|r| {
                let s = r.script.as_ref().unwrap();
                s.cmds
                    .iter()
                    .filter_map(|c| c.name(&r.text).map(|n| n.into_owned()))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(names, ["apt-get", "cat", "apt-get"]);
        assert!(assert_words_map_back(&file, &sem) >= 6);
    }

    #[test]
    fn onbuild_run_under_a_later_shell_is_not_read() {
        // The child runs the trigger with the image's last SHELL.
        let (_, sem) = model(
            "FROM debian\nONBUILD RUN echo a\nSHELL [\"pwsh\", \"-Command\"]\nFROM debian\n\
             SHELL [\"/bin/bash\", \"-c\"]\nONBUILD RUN echo b\n",
        );
        let kept: Vec<usize> = sem.run_scripts.iter().map(|r| r.instruction).collect();
        assert_eq!(kept, [5]);
    }

    #[test]
    fn non_shell_shell_has_no_scripts() {
        let (_, sem) = model("FROM w\nSHELL [\"pwsh\", \"-Command\"]\nRUN Write-Host hi\n");
        assert!(sem.run_scripts.is_empty());
    }
}
