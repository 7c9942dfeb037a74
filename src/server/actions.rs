//! Code actions: each finding's fix as a quick fix (unsafe ones say so), "ignore this rule for
//! this instruction" (a `# whittle ignore=` pragma), and "fix all" (`source.fixAll.whittle`).
//!
//! Every edit comes from the engine's own fix application ([`apply_fix`], [`Analysis::fix_all`])
//! and is sent as the smallest replacement that turns the document into the fixed text, so an
//! editor's result is byte for byte what `whittle check --fix` writes.

use super::analysis::{Analysis, apply_fix};
use super::convert::LineTable;
use super::diagnostics::to_lsp;
use super::documents::Document;
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, line_ending};
use crate::lint::suppressions_of;
use crate::suppress::{PragmaKind, Scope};
use crate::syntax::{self, Span};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, OptionalVersionedTextDocumentIdentifier,
    Range, TextDocumentEdit, TextEdit, WorkspaceEdit,
};

/// The kind of "fix all": clients ask for it on save with `source.fixAll` or this exact kind.
pub const FIX_ALL: &str = "source.fixAll.whittle";

/// Which kinds of action the client asked for (`context.only`); `None`: all.
fn wants(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    }
}

/// The code actions for `range` of `doc`.
pub fn code_actions(
    doc: &Document,
    analysis: &Analysis,
    range: Range,
    only: Option<&[CodeActionKind]>,
    unsafe_fixes: bool,
) -> Vec<CodeActionOrCommand> {
    let text = &doc.text;
    let lines = LineTable::new(text);
    let wanted = lines.span(text, range);
    let mut out = Vec::new();
    if wants(only, CodeActionKind::QUICKFIX.as_str()) {
        let touching = analysis
            .diagnostics
            .iter()
            .filter(|d| d.span.start <= wanted.end && wanted.start <= d.span.end);
        let mut ignores = Vec::new();
        for d in touching {
            if let Some(action) = quick_fix(doc, analysis, d, &lines) {
                out.push(action);
            }
            if analysis.pragmas_honoured()
                && !ignores.contains(&d.rule_id)
                && let Some(action) = ignore_action(doc, analysis, d, &lines)
            {
                ignores.push(d.rule_id.clone());
                out.push(action);
            }
        }
    }
    if wants(only, FIX_ALL) {
        let level = if unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        if let Some(fixed) = analysis.fix_all(text, level) {
            let title = if unsafe_fixes {
                "Fix all whittle problems (safe and unsafe fixes)"
            } else {
                "Fix all whittle problems (safe fixes)"
            };
            out.push(action(
                doc,
                analysis,
                title.to_string(),
                CodeActionKind::new(FIX_ALL),
                edit_to(text, &fixed, &lines),
                None,
                None,
            ));
        }
    }
    out
}

fn quick_fix(
    doc: &Document,
    analysis: &Analysis,
    d: &Diagnostic,
    lines: &LineTable,
) -> Option<CodeActionOrCommand> {
    let fix = d.fix.as_ref()?;
    let fixed = apply_fix(&doc.text, d)?;
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe {
        fix.title.clone()
    } else {
        format!("{} (unsafe fix: review it)", fix.title)
    };
    Some(action(
        doc,
        analysis,
        title,
        CodeActionKind::QUICKFIX,
        edit_to(&doc.text, &fixed, lines),
        Some(d),
        Some(safe),
    ))
}

/// `# whittle ignore=ID` above the instruction the finding is in, or `,ID` added to the
/// `# whittle ignore=` pragma it already has. Findings outside an instruction (in a comment, a
/// parser directive) have no instruction to attach a pragma to.
fn ignore_action(
    doc: &Document,
    analysis: &Analysis,
    d: &Diagnostic,
    lines: &LineTable,
) -> Option<CodeActionOrCommand> {
    let text = &doc.text;
    let file = syntax::parse(text);
    let inst = file.instructions.iter().find(|i| {
        i.span.start <= d.span.start && d.span.start < i.span.end.max(i.span.start + 1)
    })?;
    let existing = suppressions_of(&file).pragmas.into_iter().find(|p| {
        p.kind == PragmaKind::Whittle && p.scope == Scope::Instruction(inst.span) && !p.all
    });
    let edit = match existing.as_ref().and_then(|p| p.codes.last()) {
        Some(last) => TextEdit {
            range: lines.range(text, Span::empty(last.span.end)),
            new_text: format!(",{}", d.rule_id),
        },
        None => {
            let line_start = text[..inst.span.start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..inst.span.start]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            TextEdit {
                range: lines.range(text, Span::empty(line_start)),
                new_text: format!(
                    "{indent}# whittle ignore={}{}",
                    d.rule_id,
                    line_ending(text).as_str()
                ),
            }
        }
    };
    Some(action(
        doc,
        analysis,
        format!(
            "Ignore {} ({}) for this instruction",
            d.rule_id, d.rule_name
        ),
        CodeActionKind::QUICKFIX,
        vec![edit],
        Some(d),
        Some(false),
    ))
}

fn action(
    doc: &Document,
    analysis: &Analysis,
    title: String,
    kind: CodeActionKind,
    edits: Vec<TextEdit>,
    diagnostic: Option<&Diagnostic>,
    preferred: Option<bool>,
) -> CodeActionOrCommand {
    let lines = LineTable::new(&doc.text);
    let edit = WorkspaceEdit {
        document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: doc.uri.clone(),
                version: Some(doc.version),
            },
            edits: edits.into_iter().map(lsp_types::OneOf::Left).collect(),
        }])),
        ..WorkspaceEdit::default()
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![to_lsp(d, analysis, &doc.text, &lines)]),
        edit: Some(edit),
        is_preferred: preferred,
        ..CodeAction::default()
    })
}

/// The smallest single edit that turns `old` into `new`: the common start and end are kept.
/// The cut never falls inside a character or between `\r` and `\n`.
pub fn edit_to(old: &str, new: &str, lines: &LineTable) -> Vec<TextEdit> {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while prefix > 0
        && (!old.is_char_boundary(prefix)
            || !new.is_char_boundary(prefix)
            || (a[prefix - 1] == b'\r'
                && (a.get(prefix) == Some(&b'\n') || b.get(prefix) == Some(&b'\n'))))
    {
        prefix -= 1;
    }
    let max_suffix = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while suffix > 0 && {
        let (ea, eb) = (a.len() - suffix, b.len() - suffix);
        !old.is_char_boundary(ea)
            || !new.is_char_boundary(eb)
            || (a[ea] == b'\n'
                && ((ea > 0 && a[ea - 1] == b'\r') || (eb > 0 && b[eb - 1] == b'\r')))
    } {
        suffix -= 1;
    }
    let span = Span::new(prefix, a.len() - suffix);
    vec![TextEdit {
        range: lines.range(old, span),
        new_text: new[prefix..b.len() - suffix].to_string(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apply LSP edits the way an editor does (positions in the original text).
    fn apply(old: &str, edits: &[TextEdit]) -> String {
        let lines = LineTable::new(old);
        let mut spans: Vec<(Span, &str)> = edits
            .iter()
            .map(|e| (lines.span(old, e.range), e.new_text.as_str()))
            .collect();
        spans.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
        let mut out = old.to_string();
        for (s, t) in spans {
            out.replace_range(s.start..s.end, t);
        }
        out
    }

    #[test]
    fn minimal_edits_reproduce_the_new_text() {
        for (old, new) in [
            ("FROM a as b\n", "FROM a AS b\n"),
            ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
            ("a\r\n", "a\r\r\n"),
            ("é", "è"),
            ("😀a", "😀b😀"),
            ("same", "same"),
            ("", "x"),
            ("abcabc", "abc"),
            ("x\r\ny", "x\ny"),
        ] {
            let lines = LineTable::new(old);
            let edits = edit_to(old, new, &lines);
            assert_eq!(apply(old, &edits), new, "{old:?} -> {new:?}: {edits:?}");
        }
    }

    #[test]
    fn kinds_asked_for() {
        let only = [CodeActionKind::SOURCE_FIX_ALL];
        assert!(wants(Some(&only), FIX_ALL));
        assert!(!wants(Some(&only), "quickfix"));
        assert!(wants(None, "quickfix"));
        assert!(wants(Some(&[CodeActionKind::new(FIX_ALL)]), FIX_ALL));
        assert!(!wants(Some(&[CodeActionKind::REFACTOR]), FIX_ALL));
    }
}
