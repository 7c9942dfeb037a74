//! The parsed Dockerfile: instructions as BuildKit's parser reads them, with typed views and a
//! byte span for every part, plus the lossless token list and the syntax diagnostics.

use super::source_map::SourceMap;
use super::span::{LineCol, LineIndex, Span};
use super::token::Token;
use std::sync::OnceLock;

/// A string value of the tree: up to 24 bytes are stored inline, so most arguments and flags
/// cost no allocation. Derefs to `&str`.
pub type Text = compact_str::CompactString;

/// A parsed Dockerfile. Owns its source text; every span indexes into it.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    pub(crate) source: String,
    pub(crate) line_index: LineIndex,
    pub(crate) tokens: Vec<Token>,
    /// The escape character in effect (`\` unless a valid `# escape=` directive says `` ` ``).
    pub escape: char,
    /// Whether the text starts with a UTF-8 byte-order mark (kept as a `Bom` token).
    pub has_bom: bool,
    pub directives: Directives,
    /// Instructions in file order.
    pub instructions: Vec<Instruction>,
    /// What BuildKit would reject (or warn about), in file order of detection.
    pub diagnostics: Vec<SyntaxDiagnostic>,
}

impl Dockerfile {
    pub fn source(&self) -> &str {
        &self.source
    }
    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }
    /// The lossless token list: the token texts concatenate to [`Dockerfile::source`].
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }
    /// 1-based line and columns of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.line_index.line_col(&self.source, offset)
    }
    /// The text a span covers (empty if it does not fit).
    pub fn text(&self, span: Span) -> &str {
        span.text(&self.source)
    }
}

/// The parser directives found at the top of the file (`# syntax=`, `# escape=`, `# check=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives {
    pub syntax: Option<Directive>,
    pub escape: Option<Directive>,
    pub check: Option<Directive>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased key: `syntax`, `escape` or `check`.
    pub name: String,
    /// The key as written.
    pub key_span: Span,
    pub value: String,
    pub value_span: Span,
    /// The whole directive line, without its line ending.
    pub span: Span,
    /// 1-based line.
    pub line: usize,
}

/// Instruction keywords (compared case-insensitively, as BuildKit does).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Anything else, as written.
    Unknown(String),
}

impl Keyword {
    /// Every known instruction name, upper-case.
    pub const NAMES: [&'static str; 18] = [
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    ];

    /// The keyword for a command word, case-insensitively.
    pub fn from_word(word: &str) -> Keyword {
        // Upper-case into a small buffer and match the bytes: this runs once per instruction.
        let b = word.as_bytes();
        let mut buf = [0u8; 11];
        if b.len() <= buf.len() {
            for (d, s) in buf.iter_mut().zip(b) {
                *d = s.to_ascii_uppercase();
            }
            let kw = match &buf[..b.len()] {
                b"ADD" => Some(Keyword::Add),
                b"ARG" => Some(Keyword::Arg),
                b"CMD" => Some(Keyword::Cmd),
                b"COPY" => Some(Keyword::Copy),
                b"ENTRYPOINT" => Some(Keyword::Entrypoint),
                b"ENV" => Some(Keyword::Env),
                b"EXPOSE" => Some(Keyword::Expose),
                b"FROM" => Some(Keyword::From),
                b"HEALTHCHECK" => Some(Keyword::Healthcheck),
                b"LABEL" => Some(Keyword::Label),
                b"MAINTAINER" => Some(Keyword::Maintainer),
                b"ONBUILD" => Some(Keyword::Onbuild),
                b"RUN" => Some(Keyword::Run),
                b"SHELL" => Some(Keyword::Shell),
                b"STOPSIGNAL" => Some(Keyword::Stopsignal),
                b"USER" => Some(Keyword::User),
                b"VOLUME" => Some(Keyword::Volume),
                b"WORKDIR" => Some(Keyword::Workdir),
                _ => None,
            };
            if let Some(kw) = kw {
                return kw;
            }
        }
        Keyword::Unknown(word.to_string())
    }

    /// Upper-case name (`Unknown` keeps its text as written).
    pub fn as_str(&self) -> &str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown(s) => s,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Keyword::Unknown(_))
    }
}

/// Text BuildKit joins from continuation lines, with the map back to file offsets.
/// For a shell-form command this is exactly the string BuildKit hands to the shell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellText {
    pub text: String,
    /// Joined offset -> file offset.
    pub map: SourceMap,
}

impl ShellText {
    /// File span of a span in `text`.
    pub fn file_span(&self, joined: Span) -> Span {
        self.map.span_to_file(joined)
    }
}

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
        self.view.get_or_init(|| super::views::build(self))
    }

    /// The flag named `name` (without `--`), first occurrence.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// One argument value of an instruction, as BuildKit's parser gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub value: Text,
    /// File span of the text it comes from (empty for BuildKit's synthetic values, such as the
    /// `=` separator of `ENV a=b`).
    pub span: Span,
}

/// A `--name[=value]` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The whole flag word in the file.
    pub span: Span,
    /// The flag word after BuildKit's quote and escape processing (what BuildKit stores).
    pub text: Text,
    /// Name without `--`.
    pub name: Text,
    pub name_span: Span,
    /// Value after the first `=` (processed), `None` for `--flag`.
    pub value: Option<Text>,
    pub value_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// Name (terminator), shell-unquoted.
    pub name: String,
    /// The whole `[n]<<[-]NAME` word in the file.
    pub word_span: Span,
    /// The name part of the word as written (quotes included).
    pub name_span: Span,
    pub fd: Option<u32>,
    /// `<<-`: leading tabs are stripped from the content when used.
    pub chomp: bool,
    /// No part of the name quoted: variables in the content are expanded.
    pub expand: bool,
    /// Body lines, raw, with their line endings (tabs kept, as BuildKit's parser does).
    pub content: String,
    pub content_span: Span,
    /// The terminator line (empty at end of file when unterminated).
    pub terminator_span: Span,
}

/// A word of an argument list: the text as BuildKit's parser keeps it (quotes and escapes still
/// in place for the later expansion step), and its file span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    pub value: Text,
    pub span: Span,
}

/// One string of a JSON (exec) form array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonArg {
    /// The decoded string.
    pub value: Text,
    /// The quoted string in the file.
    pub span: Span,
}

/// The command of RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandBody {
    /// Shell form: the joined text BuildKit gives to the shell (empty for a bare `RUN`).
    Shell(ShellText),
    /// Exec (JSON) form.
    Exec(Vec<JsonArg>),
}

/// The name used by the brief for RUN's body.
pub type RunBody = CommandBody;

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

/// Something BuildKit rejects (or warns about), with a precise span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxDiagnostic {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    pub message: String,
}

/// One kind per BuildKit rejection (parser-spec §1.5) plus the parser's warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SyntaxErrorKind {
    /// A line of 64 KiB or more.
    LineTooLong,
    /// `# escape=` with something other than `\` or `` ` ``.
    InvalidEscapeDirective,
    /// The same parser directive twice.
    DuplicateDirective,
    /// A blank line inside a continuation (a warning in BuildKit).
    EmptyContinuationLine,
    /// No instruction in the file.
    NoInstructions,
    /// A heredoc body without its terminator line.
    UnterminatedHeredoc,
    /// A heredoc word BuildKit's lexer cannot read.
    InvalidHeredoc,
    /// A JSON array with a non-string element.
    InvalidJson,
    UnknownInstruction,
    UnknownFlag,
    DuplicateFlag,
    /// A string flag without `=value`, or `--bool=`.
    FlagNeedsValue,
    /// `--bool=x` with x not true/false.
    InvalidFlagValue,
    /// Fewer arguments than the instruction needs (e.g. `COPY a`, `WORKDIR`, `EXPOSE`).
    MissingArguments,
    /// More arguments than the instruction takes (e.g. `WORKDIR a b`).
    TooManyArguments,
    /// A command other than ARG before the first FROM.
    InstructionBeforeFrom,
    InvalidStageName,
    /// `FROM` with 2 or more than 3 arguments, or 3 without `AS`.
    InvalidFromSyntax,
    /// ONBUILD ONBUILD / FROM / MAINTAINER.
    OnbuildForbidden,
    HeredocAsDestination,
    /// Legacy `ENV key` without a value.
    EnvMissingValue,
    /// `ENV a=b c` (a word without `=` in the new form).
    EnvSyntax,
    /// An empty name (`ENV =x`, `ARG =x`).
    BlankName,
    /// HEALTHCHECK NONE with arguments, unknown type, missing command, bad durations.
    InvalidHealthcheck,
    /// SHELL not in JSON form.
    ShellNotJson,
    /// VOLUME with an empty path.
    EmptyVolume,
}

impl SyntaxErrorKind {
    /// BuildKit only warns about these; the others fail the build.
    pub fn is_warning(self) -> bool {
        matches!(self, SyntaxErrorKind::EmptyContinuationLine)
    }

    /// Stable name used in `whittle ast` output.
    pub fn as_str(self) -> &'static str {
        match self {
            SyntaxErrorKind::LineTooLong => "LineTooLong",
            SyntaxErrorKind::InvalidEscapeDirective => "InvalidEscapeDirective",
            SyntaxErrorKind::DuplicateDirective => "DuplicateDirective",
            SyntaxErrorKind::EmptyContinuationLine => "EmptyContinuationLine",
            SyntaxErrorKind::NoInstructions => "NoInstructions",
            SyntaxErrorKind::UnterminatedHeredoc => "UnterminatedHeredoc",
            SyntaxErrorKind::InvalidHeredoc => "InvalidHeredoc",
            SyntaxErrorKind::InvalidJson => "InvalidJson",
            SyntaxErrorKind::UnknownInstruction => "UnknownInstruction",
            SyntaxErrorKind::UnknownFlag => "UnknownFlag",
            SyntaxErrorKind::DuplicateFlag => "DuplicateFlag",
            SyntaxErrorKind::FlagNeedsValue => "FlagNeedsValue",
            SyntaxErrorKind::InvalidFlagValue => "InvalidFlagValue",
            SyntaxErrorKind::MissingArguments => "MissingArguments",
            SyntaxErrorKind::TooManyArguments => "TooManyArguments",
            SyntaxErrorKind::InstructionBeforeFrom => "InstructionBeforeFrom",
            SyntaxErrorKind::InvalidStageName => "InvalidStageName",
            SyntaxErrorKind::InvalidFromSyntax => "InvalidFromSyntax",
            SyntaxErrorKind::OnbuildForbidden => "OnbuildForbidden",
            SyntaxErrorKind::HeredocAsDestination => "HeredocAsDestination",
            SyntaxErrorKind::EnvMissingValue => "EnvMissingValue",
            SyntaxErrorKind::EnvSyntax => "EnvSyntax",
            SyntaxErrorKind::BlankName => "BlankName",
            SyntaxErrorKind::InvalidHealthcheck => "InvalidHealthcheck",
            SyntaxErrorKind::ShellNotJson => "ShellNotJson",
            SyntaxErrorKind::EmptyVolume => "EmptyVolume",
        }
    }
}
