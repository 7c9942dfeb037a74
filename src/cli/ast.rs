//! `whittle ast [FILE|-]...`: the parse as JSON, for tool authors and tests.
//!
//! One path prints one JSON object; several paths print a JSON array of objects in argument
//! order. A file that cannot be read (or is not UTF-8) is reported on stderr, left out of the
//! output, and makes the exit code 2. The shape is documented in README.md ("`whittle ast`
//! output").

use crate::semantic::{RunScript, Semantic};
use crate::syntax::{self, Dockerfile, Instruction, InstructionView};
use clap::Args;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct AstArgs {
    /// Files to read (`-` for stdin)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print compact JSON on one line instead of indented JSON
    #[arg(long)]
    pub compact: bool,
}

#[derive(Serialize)]
pub struct FileAst {
    pub file: String,
    pub escape: String,
    pub directives: Directives,
    pub instructions: Vec<InstructionAst>,
    pub diagnostics: Vec<DiagnosticAst>,
}

#[derive(Serialize)]
pub struct Directives {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syntax: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escape: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

#[derive(Serialize)]
pub struct InstructionAst {
    pub keyword: String,
    pub start_line: usize,
    pub end_line: usize,
    pub flags: Vec<String>,
    pub json_form: bool,
    pub args: Vec<String>,
    pub heredocs: Vec<HeredocAst>,
    /// ONBUILD's trigger instruction (its lines are the ONBUILD's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Box<InstructionAst>>,
    /// For a RUN the shell runs: `posix` or `bash` (absent for exec form and non-shell SHELLs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell_dialect: Option<String>,
    /// For a RUN the shell runs and that parses: every simple command, in source order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commands: Option<Vec<CommandAst>>,
    /// For a RUN the shell runs that does not parse: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell_error: Option<ShellErrorAst>,
}

/// One simple command of a RUN script.
#[derive(Serialize)]
pub struct CommandAst {
    /// Words after quote removal; a word with an expansion is given as written.
    pub argv: Vec<String>,
    /// 1-based position of the command in the Dockerfile.
    pub line: usize,
    pub column: usize,
    /// `&&`, `||`, `;`, `|`, `&`, or `null` for the first command of a list.
    pub op_before: Option<&'static str>,
}

#[derive(Serialize)]
pub struct ShellErrorAst {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize)]
pub struct HeredocAst {
    pub name: String,
    pub content: String,
    pub expand: bool,
    pub chomp: bool,
}

#[derive(Serialize)]
pub struct DiagnosticAst {
    pub kind: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The `ast` object of one parsed file.
pub fn file_ast(file: &str, df: &Dockerfile) -> FileAst {
    let d = &df.directives;
    FileAst {
        file: file.to_string(),
        escape: df.escape.to_string(),
        directives: Directives {
            syntax: d.syntax.as_ref().map(|x| x.value.clone()),
            escape: d.escape.as_ref().map(|x| x.value.clone()),
            check: d.check.as_ref().map(|x| x.value.clone()),
        },
        instructions: {
            let sem = Semantic::new(df);
            df.instructions
                .iter()
                .enumerate()
                .map(|(n, i)| {
                    let mut ast = instruction_ast(i, i);
                    if let Some(run) = sem.run_script(n) {
                        add_shell(&mut ast, df, run);
                    }
                    ast
                })
                .collect()
        },
        diagnostics: df
            .diagnostics
            .iter()
            .map(|x| {
                let start = df.line_col(x.span.start);
                let end = df.line_col(x.span.end);
                DiagnosticAst {
                    kind: x.kind.as_str(),
                    severity: if x.kind.is_warning() {
                        "warning"
                    } else {
                        "error"
                    },
                    message: x.message.clone(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                }
            })
            .collect(),
    }
}

/// The parsed shell script of a RUN, positions mapped to the Dockerfile.
fn add_shell(ast: &mut InstructionAst, df: &Dockerfile, run: &RunScript) {
    ast.shell_dialect = Some(match run.dialect {
        syntax::shell::ShellDialect::Bash => "bash".to_string(),
        syntax::shell::ShellDialect::Posix => "posix".to_string(),
        syntax::shell::ShellDialect::NotShell(ref n) => n.clone(),
    });
    match &run.script {
        Ok(script) => {
            let commands = script
                .cmds
                .iter()
                .map(|c| {
                    let at = df.line_col(run.map.to_file_start(c.span.start));
                    let (op, _) = c.op_before;
                    CommandAst {
                        argv: c
                            .argv
                            .iter()
                            .map(|w| match w.literal(&run.text) {
                                Some(l) => l.into_owned(),
                                None => w.raw(&run.text).to_string(),
                            })
                            .collect(),
                        line: at.line,
                        column: at.column,
                        op_before: (!op.as_str().is_empty()).then_some(op.as_str()),
                    }
                })
                .collect();
            ast.commands = Some(commands);
        }
        Err(e) => {
            let at = df.line_col(run.map.to_file_start(e.pos()));
            ast.shell_error = Some(ShellErrorAst {
                message: e.message.to_string(),
                line: at.line,
                column: at.column,
            });
        }
    }
}

/// `top` carries the lines and heredocs (BuildKit attaches them to the ONBUILD node).
fn instruction_ast(inst: &Instruction, top: &Instruction) -> InstructionAst {
    let child = match inst.view() {
        InstructionView::Onbuild(v) => v
            .inner
            .as_deref()
            .map(|c| Box::new(instruction_ast(c, top))),
        _ => None,
    };
    let is_top = std::ptr::eq(inst, top);
    InstructionAst {
        keyword: inst.keyword.as_str().to_string(),
        start_line: top.start_line,
        end_line: top.end_line,
        flags: inst.flags.iter().map(|f| f.text.to_string()).collect(),
        json_form: inst.json_form,
        args: inst.args.iter().map(|a| a.value.to_string()).collect(),
        heredocs: if is_top {
            top.heredocs
                .iter()
                .map(|h| HeredocAst {
                    name: h.name.clone(),
                    content: h.content.clone(),
                    expand: h.expand,
                    chomp: h.chomp,
                })
                .collect()
        } else {
            Vec::new()
        },
        child,
        shell_dialect: None,
        commands: None,
        shell_error: None,
    }
}

fn read(path: &Path) -> Result<(String, String), String> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    let res = if name == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    res.map_err(|e| format!("whittle: cannot read {name}: {e}"))?;
    let text =
        String::from_utf8(bytes).map_err(|e| format!("whittle: {name} is not valid UTF-8: {e}"))?;
    Ok((name, text))
}

pub fn run(args: AstArgs) -> u8 {
    let mut code = super::EXIT_CLEAN;
    let mut out = Vec::new();
    for path in &args.paths {
        match read(path) {
            Ok((name, text)) => out.push(file_ast(&name, &syntax::parse(&text))),
            Err(e) => {
                eprintln!("{e}");
                code = super::EXIT_ERROR;
            }
        }
    }
    let json = if args.paths.len() == 1 {
        match out.first() {
            Some(one) => to_json(one, args.compact),
            None => return code,
        }
    } else {
        to_json(&out, args.compact)
    };
    println!("{json}");
    code
}

fn to_json<T: Serialize>(v: &T, compact: bool) -> String {
    let r = if compact {
        serde_json::to_string(v)
    } else {
        serde_json::to_string_pretty(v)
    };
    r.unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}
