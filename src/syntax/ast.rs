//! The nodes of the parsed Dockerfile as BuildKit's parser gives them: keywords, arguments, flags,
//! heredocs, words, command bodies and the syntax diagnostics. The file is
//! [`super::Dockerfile`]; instructions and their typed views are in [`super::views`].

use super::source_map::SourceMap;
use super::span::Span;

/// A string value of the tree: up to 24 bytes are stored inline, so most arguments and flags
/// cost no allocation. Derefs to `&str`.
pub type Text = compact_str::CompactString;

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
