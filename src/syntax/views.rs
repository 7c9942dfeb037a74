//! Instructions, their typed views (built on first use by [`Instruction::view`]), and the
//! instruction-level checks BuildKit makes after parsing (`instructions/parse.go`, `bflag.go`),
//! each failure a diagnostic with a precise span. The view types live with their builder: an
//! instruction caches its view, and an `ONBUILD` view holds its trigger instruction.

use super::ast::*;
use super::heredoc::parse_heredoc;
use super::image_ref;
use super::span::Span;
use super::suggest::closest;
use super::words::is_go_space;
use std::sync::OnceLock;

/// One instruction, possibly spanning continuation lines and heredoc bodies.
#[derive(Debug, Clone)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written.
    pub keyword_span: Span,
    /// From the keyword to the end of the last line (heredoc terminators included), without the
    /// final line ending.
    pub span: Span,
    /// 1-based first line.
    pub start_line: usize,
    /// 1-based last line, heredoc bodies included.
    pub end_line: usize,
    /// Flags as BuildKit's parser extracts them (on every instruction).
    pub flags: Vec<Flag>,
    /// BuildKit's `PrevComment`: the comment lines right before this instruction (without the
    /// lines reset by an empty `#`), each span the whole comment line without its line ending.
    pub comments: Vec<Span>,
    /// The continuation-joined line (keyword included), comment and blank lines dropped.
    pub line: ShellText,
    /// The arguments after the flags as BuildKit keeps them (trimmed), as a joined-text span.
    pub rest: Span,
    /// File span of `rest` (covering any continuations inside it).
    pub rest_span: Span,
    /// BuildKit's node values after the keyword (see `whittle ast`).
    pub args: Vec<Arg>,
    /// Exec/JSON form.
    pub json_form: bool,
    pub heredocs: Vec<Heredoc>,
    /// An ONBUILD's trigger instruction (what [`OnbuildView::inner`] holds).
    pub(crate) trigger: Option<Box<Instruction>>,
    /// Joined-text spans of the first two node values: shell-form bodies are cut from them.
    pub(crate) value_spans: [Option<Span>; 2],
    /// Built on first use by [`Instruction::view`]: most rules look at a few kinds only, and
    /// building every view while parsing took 40% of the parse time.
    pub(crate) view: OnceLock<InstructionView>,
}

impl Instruction {
    /// The typed view of this instruction (built on first use, then cached).
    pub fn view(&self) -> &InstructionView {
        self.view.get_or_init(|| build(self))
    }

    /// The `RUN` this instruction executes: its own view for a `RUN`, the trigger's for an
    /// `ONBUILD RUN` (its mounts and body apply when the trigger runs).
    pub fn run_view(&self) -> Option<&RunView> {
        match self.view() {
            InstructionView::Run(run) => Some(run),
            InstructionView::Onbuild(OnbuildView { inner: Some(inner) }) => match inner.view() {
                InstructionView::Run(run) => Some(run),
                _ => None,
            },
            _ => None,
        }
    }

    /// The flag named `name` (without `--`), first occurrence.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// Typed view of each instruction kind.
#[derive(Debug, Clone)]
pub enum InstructionView {
    // The large views are boxed so that an `Instruction` stays small to move.
    From(Box<FromView>),
    Run(Box<RunView>),
    Cmd(CommandView),
    Entrypoint(CommandView),
    Shell(CommandView),
    Copy(Box<CopyView>),
    Add(Box<CopyView>),
    Env(KeyValuesView),
    Label(KeyValuesView),
    Arg(ArgView),
    Expose(ExposeView),
    Workdir(ValueView),
    User(ValueView),
    Stopsignal(ValueView),
    Maintainer(ValueView),
    Volume(VolumeView),
    Healthcheck(Box<HealthcheckView>),
    Onbuild(OnbuildView),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromView {
    /// The image reference as written (may contain `$VARS`).
    pub image: Word,
    /// The reference split into parts (on the text as written).
    pub reference: ImageRef,
    pub platform: Option<Flag>,
    /// The `AS` keyword as written.
    pub as_span: Option<Span>,
    pub alias: Option<Word>,
}

/// `[registry/]repository[:tag][@digest]`, each part with its file span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageRef {
    pub registry: Option<Word>,
    pub repository: Word,
    pub tag: Option<Word>,
    pub digest: Option<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunView {
    pub mounts: Vec<Mount>,
    pub network: Option<Flag>,
    pub security: Option<Flag>,
    pub devices: Vec<Flag>,
    pub body: CommandBody,
}

/// A parsed `--mount=` value: comma-separated `key[=value]` fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub flag_span: Span,
    /// Every field in order, keys lower-cased.
    pub fields: Vec<MountField>,
}

impl Mount {
    /// Value of the first field with one of `keys`.
    pub fn get(&self, keys: &[&str]) -> Option<&MountField> {
        self.fields.iter().find(|f| keys.contains(&f.key.as_str()))
    }
    /// `type=` (lower-cased by the caller if needed); BuildKit's default is `bind`.
    pub fn kind(&self) -> &str {
        self.get(&["type"])
            .and_then(|f| f.value.as_deref())
            .unwrap_or("bind")
    }
    pub fn target(&self) -> Option<&str> {
        self.get(&["target", "dst", "destination"])
            .and_then(|f| f.value.as_deref())
    }
    pub fn source(&self) -> Option<&str> {
        self.get(&["source", "src"])
            .and_then(|f| f.value.as_deref())
    }
    pub fn from(&self) -> Option<&str> {
        self.get(&["from"]).and_then(|f| f.value.as_deref())
    }
    pub fn id(&self) -> Option<&str> {
        self.get(&["id"]).and_then(|f| f.value.as_deref())
    }
    pub fn sharing(&self) -> Option<&str> {
        self.get(&["sharing"]).and_then(|f| f.value.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountField {
    pub key: Text,
    pub value: Option<Text>,
    /// The field in the file (approximate when the flag was quoted or escaped).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandView {
    pub body: CommandBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyView {
    pub from: Option<Flag>,
    // The flags below are rare and boxed: nine inline flags made every COPY's view a 1.2 KB
    // allocation (large enough to make glibc consolidate its free lists on each one).
    pub chown: Option<Box<Flag>>,
    pub chmod: Option<Box<Flag>>,
    pub link: Option<Box<Flag>>,
    pub parents: Option<Box<Flag>>,
    pub exclude: Vec<Flag>,
    pub checksum: Option<Box<Flag>>,
    pub keep_git_dir: Option<Box<Flag>>,
    pub unpack: Option<Box<Flag>>,
    /// Sources as written; heredoc words (`<<EOF`) included.
    pub sources: Vec<Word>,
    /// `None` when there are fewer than two arguments.
    pub dest: Option<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValuesView {
    pub pairs: Vec<KeyValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    /// As written (quotes kept; BuildKit unquotes and expands later).
    pub key: Text,
    pub value: Text,
    pub key_span: Span,
    pub value_span: Span,
    /// The legacy `KEY value` form.
    pub legacy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgView {
    pub args: Vec<ArgDecl>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: Text,
    pub name_span: Span,
    /// `Some` for `name=value` (possibly empty), as written.
    pub default: Option<Text>,
    pub default_span: Option<Span>,
    /// The whole word.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposeView {
    pub ports: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueView {
    /// The rest of the line as one string (BuildKit's value); `None` when empty.
    pub value: Option<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeView {
    pub paths: Vec<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthcheckKind {
    /// `HEALTHCHECK NONE`.
    None,
    /// `HEALTHCHECK [flags] CMD command`.
    Cmd,
    /// No type, or an unknown one (a diagnostic says which).
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthcheckView {
    pub kind: HealthcheckKind,
    /// `NONE` / `CMD` as written.
    pub type_word: Option<Word>,
    /// The command of `CMD` (`None` when missing).
    pub body: Option<CommandBody>,
    pub interval: Option<Flag>,
    pub timeout: Option<Flag>,
    pub start_period: Option<Flag>,
    pub start_interval: Option<Flag>,
    pub retries: Option<Flag>,
}

#[derive(Debug, Clone)]
pub struct OnbuildView {
    /// The trigger instruction; `None` for a bare `ONBUILD`.
    pub inner: Option<Box<Instruction>>,
}

fn word(arg: &Arg) -> Word {
    Word {
        value: arg.value.clone(),
        span: arg.span,
    }
}

/// The command body from node value `from` on.
fn body(inst: &Instruction, from: usize) -> CommandBody {
    if inst.json_form {
        return CommandBody::Exec(
            inst.args
                .iter()
                .skip(from)
                .map(|a| JsonArg {
                    value: a.value.clone(),
                    span: a.span,
                })
                .collect(),
        );
    }
    match (
        inst.args.get(from),
        inst.value_spans.get(from).copied().flatten(),
    ) {
        (Some(arg), Some(span)) => CommandBody::Shell(ShellText {
            text: arg.value.to_string(),
            map: inst.line.map.slice(span),
        }),
        _ => CommandBody::Shell(ShellText::default()),
    }
}

fn flag(inst: &Instruction, name: &str) -> Option<Flag> {
    if inst.flags.is_empty() {
        return None;
    }
    inst.flag(name).cloned()
}

fn flags(inst: &Instruction, name: &str) -> Vec<Flag> {
    inst.flags
        .iter()
        .filter(|f| f.name == name)
        .cloned()
        .collect()
}

pub(crate) fn build(inst: &Instruction) -> InstructionView {
    let args = &inst.args;
    match inst.keyword {
        Keyword::From => {
            let image = args.first().map(word).unwrap_or(Word {
                value: Text::default(),
                span: Span::empty(inst.keyword_span.end),
            });
            let (as_span, alias) = match args.get(1) {
                Some(a) if args.len() == 3 && a.value.eq_ignore_ascii_case("as") => {
                    (Some(a.span), args.get(2).map(word))
                }
                _ => (None, None),
            };
            InstructionView::From(Box::new(FromView {
                reference: parse_image_ref(&image),
                image,
                platform: flag(inst, "platform"),
                as_span,
                alias,
            }))
        }
        Keyword::Run => InstructionView::Run(Box::new(RunView {
            mounts: inst
                .flags
                .iter()
                .filter(|f| f.name == "mount")
                .map(parse_mount)
                .collect(),
            network: flag(inst, "network"),
            security: flag(inst, "security"),
            devices: flags(inst, "device"),
            body: body(inst, 0),
        })),
        Keyword::Cmd => InstructionView::Cmd(CommandView {
            body: body(inst, 0),
        }),
        Keyword::Entrypoint => InstructionView::Entrypoint(CommandView {
            body: body(inst, 0),
        }),
        Keyword::Shell => InstructionView::Shell(CommandView {
            body: body(inst, 0),
        }),
        Keyword::Copy | Keyword::Add => {
            let (sources, dest) = if args.len() >= 2 {
                (
                    args[..args.len() - 1].iter().map(word).collect(),
                    args.last().map(word),
                )
            } else {
                (args.iter().map(word).collect(), None)
            };
            let view = CopyView {
                from: flag(inst, "from"),
                chown: flag(inst, "chown").map(Box::new),
                chmod: flag(inst, "chmod").map(Box::new),
                link: flag(inst, "link").map(Box::new),
                parents: flag(inst, "parents").map(Box::new),
                exclude: flags(inst, "exclude"),
                checksum: flag(inst, "checksum").map(Box::new),
                keep_git_dir: flag(inst, "keep-git-dir").map(Box::new),
                unpack: flag(inst, "unpack").map(Box::new),
                sources,
                dest,
            };
            if inst.keyword == Keyword::Copy {
                InstructionView::Copy(Box::new(view))
            } else {
                InstructionView::Add(Box::new(view))
            }
        }
        Keyword::Env | Keyword::Label => {
            let pairs = args
                .chunks(3)
                .filter(|c| c.len() == 3)
                .map(|c| KeyValue {
                    key: c[0].value.clone(),
                    value: c[1].value.clone(),
                    key_span: c[0].span,
                    value_span: c[1].span,
                    legacy: c[2].value.is_empty(),
                })
                .collect();
            let view = KeyValuesView { pairs };
            if inst.keyword == Keyword::Env {
                InstructionView::Env(view)
            } else {
                InstructionView::Label(view)
            }
        }
        Keyword::Arg => InstructionView::Arg(ArgView {
            args: args.iter().map(arg_decl).collect(),
        }),
        Keyword::Expose => InstructionView::Expose(ExposeView {
            ports: args.iter().map(word).collect(),
        }),
        Keyword::Volume => InstructionView::Volume(VolumeView {
            paths: args.iter().map(word).collect(),
        }),
        Keyword::Workdir => InstructionView::Workdir(value_view(args)),
        Keyword::User => InstructionView::User(value_view(args)),
        Keyword::Stopsignal => InstructionView::Stopsignal(value_view(args)),
        Keyword::Maintainer => InstructionView::Maintainer(value_view(args)),
        Keyword::Healthcheck => {
            let type_word = args.first().map(word);
            let kind = match type_word.as_ref().map(|w| w.value.to_ascii_uppercase()) {
                Some(t) if t == "NONE" => HealthcheckKind::None,
                Some(t) if t == "CMD" => HealthcheckKind::Cmd,
                _ => HealthcheckKind::Invalid,
            };
            let body = (kind == HealthcheckKind::Cmd && args.len() > 1).then(|| body(inst, 1));
            InstructionView::Healthcheck(Box::new(HealthcheckView {
                kind,
                type_word,
                body,
                interval: flag(inst, "interval"),
                timeout: flag(inst, "timeout"),
                start_period: flag(inst, "start-period"),
                start_interval: flag(inst, "start-interval"),
                retries: flag(inst, "retries"),
            }))
        }
        Keyword::Onbuild => InstructionView::Onbuild(OnbuildView {
            inner: inst.trigger.clone(),
        }),
        Keyword::Unknown(_) => InstructionView::Unknown,
    }
}

fn value_view(args: &[Arg]) -> ValueView {
    ValueView {
        value: args.first().map(word),
    }
}

fn arg_decl(a: &Arg) -> ArgDecl {
    match a.value.split_once('=') {
        Some((name, default)) => {
            // ARG words keep their source text, so the `=` is at the same offset.
            let eq = a.span.start + name.len();
            ArgDecl {
                name: Text::from(name),
                name_span: Span::new(a.span.start, eq.min(a.span.end)),
                default: Some(Text::from(default)),
                default_span: Some(Span::new((eq + 1).min(a.span.end), a.span.end)),
                span: a.span,
            }
        }
        None => ArgDecl {
            name: a.value.clone(),
            name_span: a.span,
            default: None,
            default_span: None,
            span: a.span,
        },
    }
}

/// The parts of `FROM`'s image word, each with its span ([`image_ref::split`]).
fn parse_image_ref(image: &Word) -> ImageRef {
    let text = image.value.as_str();
    let base = image.span.start;
    // Spans are exact only when the value is the file text (it is, for FROM's words).
    let part = |r: std::ops::Range<usize>| Word {
        value: Text::from(&text[r.clone()]),
        span: Span::new(base + r.start, base + r.end),
    };
    let parts = image_ref::split(text);
    ImageRef {
        registry: parts.registry.map(part),
        repository: part(parts.repository),
        tag: parts.tag.map(part),
        digest: parts.digest.map(part),
    }
}

/// A `--mount` value as comma-separated fields (Go's CSV reading, with `"` quoting).
fn parse_mount(flag: &Flag) -> Mount {
    let value = flag.value.as_deref().unwrap_or("");
    let exact = flag.value_span.is_some_and(|s| s.len() == value.len());
    let vstart = flag.value_span.map_or(flag.span.end, |s| s.start);
    let mut fields = Vec::new();
    let b = value.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        let mut field = String::new();
        if b.get(i) == Some(&b'"') {
            i += 1;
            let mut run = i;
            while i < b.len() {
                if b[i] == b'"' {
                    field.push_str(&value[run..i]);
                    if b.get(i + 1) == Some(&b'"') {
                        field.push('"');
                        i += 2;
                        run = i;
                        continue;
                    }
                    i += 1;
                    run = i;
                    break;
                }
                i += 1;
            }
            let stop = value[i..].find(',').map_or(b.len(), |c| i + c);
            field.push_str(&value[run.min(stop)..stop]);
            i = stop;
        } else {
            let stop = value[i..].find(',').map_or(b.len(), |c| i + c);
            field.push_str(&value[i..stop]);
            i = stop;
        }
        let span = if exact {
            Span::new(vstart + start, vstart + i)
        } else {
            flag.value_span.unwrap_or(flag.span)
        };
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (Text::from(k.to_ascii_lowercase()), Some(Text::from(v))),
            None => (Text::from(field.to_ascii_lowercase()), None),
        };
        if !(key.is_empty() && val.is_none() && value.is_empty()) {
            fields.push(MountField {
                key,
                value: val,
                span,
            });
        }
        if i >= b.len() {
            break;
        }
        i += 1; // the comma
    }
    Mount {
        flag_span: flag.span,
        fields,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum FlagType {
    Bool,
    String,
    Strings,
}

/// The flags an instruction keyword takes (BuildKit's `instructions/parse.go`), with their types.
fn flags_of(keyword: &Keyword) -> &'static [(&'static str, FlagType)] {
    use FlagType::*;
    match keyword {
        Keyword::From => &[("platform", String)],
        Keyword::Add => &[
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", String),
            ("unpack", Bool),
            ("exclude", Strings),
        ],
        Keyword::Copy => &[
            ("chown", String),
            ("from", String),
            ("chmod", String),
            ("link", Bool),
            ("exclude", Strings),
            ("parents", Bool),
        ],
        Keyword::Run => &[
            ("mount", Strings),
            ("network", String),
            ("security", String),
            ("device", Strings),
        ],
        Keyword::Healthcheck => &[
            ("interval", String),
            ("timeout", String),
            ("start-period", String),
            ("start-interval", String),
            ("retries", String),
        ],
        _ => &[],
    }
}

/// The names of the flags an instruction keyword takes, in BuildKit's order (for suggestions).
pub fn flag_names(keyword: &Keyword) -> impl Iterator<Item = &'static str> {
    flags_of(keyword).iter().map(|(name, _)| *name)
}

/// The flags BuildKit registers for an instruction; `None` when it never parses flags.
fn allowed_flags(inst: &Instruction) -> Option<&'static [(&'static str, FlagType)]> {
    match inst.keyword {
        Keyword::Healthcheck => {
            let none = inst
                .args
                .first()
                .is_some_and(|a| a.value.eq_ignore_ascii_case("NONE"));
            if none || inst.args.is_empty() {
                return None;
            }
        }
        Keyword::Stopsignal | Keyword::Arg | Keyword::Unknown(_) => return None,
        _ => {}
    }
    Some(flags_of(&inst.keyword))
}

fn push(diags: &mut Vec<SyntaxDiagnostic>, kind: SyntaxErrorKind, span: Span, message: String) {
    diags.push(SyntaxDiagnostic {
        kind,
        span,
        message,
    });
}

fn check_flags(inst: &Instruction, diags: &mut Vec<SyntaxDiagnostic>) {
    let Some(allowed) = allowed_flags(inst) else {
        return;
    };
    // Which allowed flags were seen, by index (no instruction allows 64 flags).
    let mut used = 0u64;
    for f in &inst.flags {
        let flag_name = f.text.split_once('=').map_or(f.text.as_str(), |(n, _)| n);
        let Some((index, &(_, ty))) = allowed.iter().enumerate().find(|(_, (n, _))| *n == f.name)
        else {
            push(
                diags,
                SyntaxErrorKind::UnknownFlag,
                f.name_span.cover(Span::empty(f.span.start)),
                format!(
                    "unknown flag: {flag_name}{}",
                    did_you_mean(&f.name, allowed.iter().map(|(n, _)| *n), true)
                ),
            );
            continue;
        };
        let bit = 1u64 << index.min(63);
        if used & bit != 0 && ty != FlagType::Strings {
            push(
                diags,
                SyntaxErrorKind::DuplicateFlag,
                f.span,
                format!("duplicate flag specified: {flag_name}"),
            );
            continue;
        }
        used |= bit;
        match (ty, f.value.as_deref()) {
            (FlagType::Bool, Some("")) | (FlagType::String | FlagType::Strings, None) => push(
                diags,
                SyntaxErrorKind::FlagNeedsValue,
                f.span,
                format!("missing a value on flag: {flag_name}"),
            ),
            (FlagType::Bool, Some(v))
                if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
            {
                push(
                    diags,
                    SyntaxErrorKind::InvalidFlagValue,
                    f.value_span.unwrap_or(f.span),
                    format!("expecting boolean value for flag {flag_name}, not: {v}"),
                )
            }
            _ => {}
        }
    }
}

/// The checks `instructions.Parse` makes on one instruction.
pub(crate) fn check_instruction(inst: &Instruction, diags: &mut Vec<SyntaxDiagnostic>) {
    use SyntaxErrorKind as K;
    // Known keywords are upper-case already; unknown ones are reported just below.
    let kw = inst.keyword.as_str();
    let args = &inst.args;
    let whole = inst.keyword_span.cover(inst.rest_span);
    if let Keyword::Unknown(name) = &inst.keyword {
        push(
            diags,
            K::UnknownInstruction,
            inst.keyword_span,
            format!(
                "unknown instruction: {name}{}",
                did_you_mean(name, Keyword::NAMES.iter().copied(), false)
            ),
        );
        return;
    }
    check_flags(inst, diags);
    let at_least_one = |diags: &mut Vec<SyntaxDiagnostic>| {
        push(
            diags,
            K::MissingArguments,
            whole,
            format!("{kw} requires at least one argument"),
        )
    };
    let exactly_one = |diags: &mut Vec<SyntaxDiagnostic>| {
        push(
            diags,
            K::MissingArguments,
            whole,
            format!("{kw} requires exactly one argument"),
        )
    };
    // A parser-level rejection (bad JSON, ENV syntax) already said what is wrong. Its diagnostic
    // was pushed just before this check, inside the instruction.
    let parser_error = diags
        .iter()
        .rev()
        .take_while(|d| d.span.start >= inst.keyword_span.start)
        .any(|d| matches!(d.kind, K::InvalidJson | K::EnvSyntax | K::EnvMissingValue));
    match &inst.keyword {
        Keyword::Env | Keyword::Label => {
            if args.is_empty() && !parser_error {
                at_least_one(diags);
            }
            for c in args.chunks(3) {
                if c[0].value.is_empty() {
                    push(
                        diags,
                        K::BlankName,
                        c[0].span.cover(c[1].span),
                        format!("{kw} names can not be blank"),
                    );
                }
            }
        }
        Keyword::Maintainer | Keyword::Workdir | Keyword::User | Keyword::Stopsignal => {
            if args.len() != 1 {
                exactly_one(diags);
            }
        }
        Keyword::Add | Keyword::Copy => {
            if args.len() < 2 {
                if !parser_error {
                    push(
                        diags,
                        K::MissingArguments,
                        whole,
                        format!(
                            "{kw} requires at least two arguments, but only one was provided. Destination could not be determined"
                        ),
                    );
                }
            } else if let Some(dest) = args.last()
                && matches!(parse_heredoc(&dest.value), Ok(Some(_)))
            {
                push(
                    diags,
                    K::HeredocAsDestination,
                    dest.span,
                    format!("{kw} cannot accept a heredoc as a destination"),
                );
            }
        }
        Keyword::From => {
            if args.len() == 3 && args[1].value.eq_ignore_ascii_case("as") {
                let name = args[2].value.to_ascii_lowercase();
                if !valid_stage_name(&name) {
                    push(
                        diags,
                        K::InvalidStageName,
                        args[2].span,
                        format!(
                            "invalid name for build stage: {}, name can't start with a number or contain symbols",
                            go_quote(&args[2].value)
                        ),
                    );
                }
            } else if args.len() != 1 {
                push(
                    diags,
                    K::InvalidFromSyntax,
                    whole,
                    "FROM requires either one or three arguments".into(),
                );
            }
        }
        Keyword::Onbuild => match &inst.trigger {
            Some(child) => {
                // BuildKit trims Unicode spaces the keyword split kept (`MAINTAINER\u2028`).
                let trigger = go_to_upper(child.keyword.as_str().trim_matches(is_go_space));
                let msg = match trigger.as_str() {
                    "ONBUILD" => {
                        Some("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into())
                    }
                    "MAINTAINER" | "FROM" => {
                        Some(format!("{trigger} isn't allowed as an ONBUILD trigger"))
                    }
                    _ => None,
                };
                if let Some(msg) = msg {
                    push(diags, K::OnbuildForbidden, child.keyword_span, msg);
                }
            }
            _ => at_least_one(diags),
        },
        Keyword::Healthcheck => check_healthcheck(inst, kw, whole, diags),
        Keyword::Expose | Keyword::Arg => {
            if args.is_empty() {
                at_least_one(diags);
            }
            if inst.keyword == Keyword::Arg {
                for a in args {
                    if a.value.starts_with('=') {
                        push(
                            diags,
                            K::BlankName,
                            a.span,
                            "ARG names can not be blank".into(),
                        );
                    }
                }
            }
        }
        Keyword::Volume => {
            if args.is_empty() && !parser_error {
                at_least_one(diags);
            }
            for a in args {
                if a.value.trim_matches(super::words::is_go_space).is_empty() {
                    push(
                        diags,
                        K::EmptyVolume,
                        a.span,
                        "VOLUME specified can not be an empty string".into(),
                    );
                }
            }
        }
        Keyword::Shell => {
            if args.is_empty() {
                if !parser_error {
                    at_least_one(diags);
                }
            } else if !inst.json_form {
                push(
                    diags,
                    K::ShellNotJson,
                    inst.rest_span,
                    "SHELL requires the arguments to be in JSON form".into(),
                );
            }
        }
        Keyword::Run => check_run_modes(inst, diags),
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Unknown(_) => {}
    }
}

/// RUN's `--network` and `--security` values, checked after the flags parse (BuildKit's
/// `runNetworkPostHook` / `runSecurityPostHook`); only the first failure is reported.
fn check_run_modes(inst: &Instruction, diags: &mut Vec<SyntaxDiagnostic>) {
    let value_of = |name: &str| {
        let f = inst.flag(name)?;
        Some((f.value.as_deref()?, f.value_span.unwrap_or(f.span)))
    };
    if let Some((v, span)) = value_of("network")
        && !matches!(v, "default" | "none" | "host")
    {
        push(
            diags,
            SyntaxErrorKind::InvalidFlagValue,
            span,
            format!("invalid network mode {}", go_quote(v)),
        );
    } else if let Some((v, span)) = value_of("security")
        && !matches!(v, "sandbox" | "insecure")
    {
        push(
            diags,
            SyntaxErrorKind::InvalidFlagValue,
            span,
            format!("security {} is not valid", go_quote(v)),
        );
    }
}

/// BuildKit's `suggest.WrapError` suffix: ` (did you mean X?)` for the closest option (see
/// [`closest`]), or nothing. Instruction names compare case-insensitively and the suggestion
/// follows BuildKit's `matchCase`: upper-case for an all-upper word, lower-case otherwise.
fn did_you_mean<'a>(
    value: &str,
    options: impl Iterator<Item = &'a str>,
    case_sensitive: bool,
) -> String {
    let suggestion = if case_sensitive {
        closest(value, options).map(str::to_string)
    } else {
        let lower: Vec<String> = options.map(str::to_lowercase).collect();
        closest(&value.to_lowercase(), lower.iter().map(String::as_str)).map(|m| {
            if value != value.to_lowercase() && value == value.to_uppercase() {
                m.to_uppercase()
            } else {
                m.to_string()
            }
        })
    };
    suggestion.map_or_else(String::new, |m| format!(" (did you mean {m}?)"))
}

/// Go's `strings.ToUpper`: rune by rune, simple mappings only (`ß` stays `ß`).
fn go_to_upper(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut up = c.to_uppercase();
            match (up.next(), up.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// Go's `%q` (`strconv.Quote`) of a string: Go escapes, not Rust's `{:?}` ones.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if !is_printable(c) => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Printable as Go's `strconv.IsPrint` has it, approximated by what Rust's `escape_debug` leaves
/// unescaped after a base character (so that combining marks count as printable, as in Go).
fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let mut buf = [0u8; 8];
    buf[0] = b'a';
    let len = 1 + c.encode_utf8(&mut buf[1..]).len();
    let probe = std::str::from_utf8(&buf[..len]).unwrap_or("a");
    // `str::escape_debug` escapes grapheme extenders only at the start of the string.
    !probe.escape_debug().any(|e| e == '\\')
}

fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn check_healthcheck(inst: &Instruction, kw: &str, whole: Span, diags: &mut Vec<SyntaxDiagnostic>) {
    use SyntaxErrorKind as K;
    let args = &inst.args;
    let Some(typ) = args.first() else {
        push(
            diags,
            K::MissingArguments,
            whole,
            format!("{kw} requires at least one argument"),
        );
        return;
    };
    let upper = go_to_upper(&typ.value);
    if upper == "NONE" {
        if args.len() > 1 {
            push(
                diags,
                K::InvalidHealthcheck,
                whole,
                "HEALTHCHECK NONE takes no arguments".into(),
            );
        }
        return;
    }
    if upper != "CMD" {
        push(
            diags,
            K::InvalidHealthcheck,
            typ.span,
            format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(&upper)),
        );
        return;
    }
    if args.len() < 2 {
        push(
            diags,
            K::InvalidHealthcheck,
            whole,
            "Missing command after HEALTHCHECK CMD".into(),
        );
    }
    for name in ["interval", "timeout", "start-period", "start-interval"] {
        let Some(f) = inst.flag(name) else { continue };
        let Some(v) = f.value.as_deref() else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        match go_duration_nanos(v) {
            None => push(
                diags,
                K::InvalidHealthcheck,
                f.value_span.unwrap_or(f.span),
                duration_error(v),
            ),
            Some(d) if d != 0 && d < 1_000_000 => push(
                diags,
                K::InvalidHealthcheck,
                f.value_span.unwrap_or(f.span),
                format!("Interval {} cannot be less than 1ms", go_quote(name)),
            ),
            Some(_) => {}
        }
    }
    if let Some(f) = inst.flag("retries")
        && let Some(v) = f.value.as_deref()
        && !v.is_empty()
    {
        let span = f.value_span.unwrap_or(f.span);
        match go_parse_int32(v) {
            None => push(
                diags,
                K::InvalidHealthcheck,
                span,
                format!("strconv.ParseInt: parsing {}: invalid syntax", go_quote(v)),
            ),
            Some(n) if n < 0 => push(
                diags,
                K::InvalidHealthcheck,
                span,
                format!("--retries cannot be negative ({n})"),
            ),
            Some(_) => {}
        }
    }
}

/// Go's `time.ParseDuration` error message for a rejected value: the same walk, stopping at
/// the first problem (an overflow, not walked here, is an "invalid duration" too).
fn duration_error(orig: &str) -> String {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig.strip_prefix(['-', '+']).unwrap_or(orig);
    if s.is_empty() {
        return invalid();
    }
    let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    while !s.is_empty() {
        if !s.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
            return invalid();
        }
        let int_len = digits(s);
        let mut rest = &s[int_len..];
        let mut fraction = false;
        if let Some(after_dot) = rest.strip_prefix('.') {
            let n = digits(after_dot);
            fraction = n > 0;
            rest = &after_dot[n..];
        }
        if int_len == 0 && !fraction {
            return invalid();
        }
        let unit_len = rest
            .bytes()
            .position(|c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(rest.len());
        if unit_len == 0 {
            return format!("time: missing unit in duration {}", go_quote(orig));
        }
        let unit = &rest[..unit_len];
        if !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return format!(
                "time: unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(orig)
            );
        }
        s = &rest[unit_len..];
    }
    invalid()
}

/// Go's `strconv.ParseInt(s, 10, 32)`.
fn go_parse_int32(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    (i64::from(i32::MIN)..=i64::from(i32::MAX))
        .contains(&n)
        .then_some(n)
}

/// Go's `time.ParseDuration`, in nanoseconds (`None` when Go rejects it).
pub(crate) fn go_duration_nanos(s: &str) -> Option<i128> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, after) = rest.split_at(int_len);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(a) => {
                let n = a.bytes().take_while(u8::is_ascii_digit).count();
                a.split_at(n)
            }
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let unit_len = after
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(after.len(), |(i, _)| i);
        let (unit, after) = after.split_at(unit_len);
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        let number: f64 = format!(
            "{}.{}",
            if int_part.is_empty() { "0" } else { int_part },
            if frac_part.is_empty() { "0" } else { frac_part }
        )
        .parse()
        .ok()?;
        total += number * scale;
        if total > 9.223_372_036_854_776e18 {
            return None;
        }
        rest = after;
    }
    let n = total as i128;
    Some(if neg { -n } else { n })
}

/// Checks across instructions: only ARG may come before the first FROM.
pub(crate) fn check_file(instructions: &[Instruction], diags: &mut Vec<SyntaxDiagnostic>) {
    for inst in instructions {
        match inst.keyword {
            Keyword::From => break,
            Keyword::Arg | Keyword::Unknown(_) => {}
            _ => push(
                diags,
                SyntaxErrorKind::InstructionBeforeFrom,
                inst.keyword_span,
                "no build stage in current context".into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(go_duration_nanos("30s"), Some(30_000_000_000));
        assert_eq!(go_duration_nanos("1m30s"), Some(90_000_000_000));
        assert_eq!(go_duration_nanos("1.5ms"), Some(1_500_000));
        assert_eq!(go_duration_nanos("0"), Some(0));
        assert_eq!(go_duration_nanos("10"), None);
        assert_eq!(go_duration_nanos("x"), None);
        assert_eq!(go_duration_nanos(""), None);
    }

    #[test]
    fn duration_messages_follow_go() {
        assert_eq!(
            duration_error("10"),
            r#"time: missing unit in duration "10""#
        );
        assert_eq!(
            duration_error("5\u{1}"),
            r#"time: unknown unit "\x01" in duration "5\x01""#
        );
        assert_eq!(
            duration_error("1x2s"),
            r#"time: unknown unit "x" in duration "1x2s""#
        );
        assert_eq!(duration_error("x"), r#"time: invalid duration "x""#);
        assert_eq!(duration_error("-"), r#"time: invalid duration "-""#);
        assert_eq!(duration_error(".s"), r#"time: invalid duration ".s""#);
    }

    #[test]
    fn go_quoting() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{0}\u{7}\u{7f}"), r#""\x00\a\x7f""#);
        assert_eq!(go_quote("\u{ad}x\u{e0001}"), r#""\u00adx\U000e0001""#);
        // Printable non-ASCII text and combining marks stay as they are, as in Go.
        assert_eq!(go_quote("straße e\u{301}"), "\"straße e\u{301}\"");
    }

    #[test]
    fn suggestions_follow_buildkit() {
        let names = || Keyword::NAMES.iter().copied();
        assert_eq!(did_you_mean("FOO", names(), false), " (did you mean FROM?)");
        assert_eq!(did_you_mean("foo", names(), false), " (did you mean from?)");
        assert_eq!(did_you_mean("RuNN", names(), false), " (did you mean run?)");
        assert_eq!(did_you_mean("BOGUS", names(), false), "");
        // An exact match means the error is about something else.
        assert_eq!(did_you_mean("run", names(), false), "");
        let flags = || ["chown", "chmod", "from"].into_iter();
        assert_eq!(
            did_you_mean("chwon", flags(), true),
            " (did you mean chown?)"
        );
        assert_eq!(did_you_mean("CHOWN", flags(), true), "");
    }

    #[test]
    fn image_refs() {
        let w = |s: &str| Word {
            value: Text::from(s),
            span: Span::new(10, 10 + s.len()),
        };
        let r = parse_image_ref(&w("registry.io:5000/org/app:1.2@sha256:abc"));
        assert_eq!(r.registry.unwrap().value, "registry.io:5000");
        assert_eq!(r.repository.value, "org/app");
        assert_eq!(r.tag.as_ref().unwrap().value, "1.2");
        assert_eq!(r.tag.unwrap().span, Span::new(35, 38));
        assert_eq!(r.digest.unwrap().value, "sha256:abc");
        let r = parse_image_ref(&w("ubuntu"));
        assert!(r.registry.is_none() && r.tag.is_none());
        assert_eq!(r.repository.value, "ubuntu");
        let r = parse_image_ref(&w("library/ubuntu:22.04"));
        assert!(r.registry.is_none());
        assert_eq!(r.repository.value, "library/ubuntu");
    }

    #[test]
    fn mounts() {
        let f = Flag {
            span: Span::new(0, 40),
            text: Text::default(),
            name: "mount".into(),
            name_span: Span::new(2, 7),
            value: Some("type=cache,target=/root/.cache,\"id=a,b\"".into()),
            value_span: Some(Span::new(8, 47)),
        };
        let m = parse_mount(&f);
        assert_eq!(m.kind(), "cache");
        assert_eq!(m.target(), Some("/root/.cache"));
        assert_eq!(m.id(), Some("a,b"));
        assert_eq!(m.fields[1].span, Span::new(19, 38));
    }
}
