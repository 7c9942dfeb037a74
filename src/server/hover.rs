//! Hover: the rule's page, for a finding under the cursor or a rule code in a suppression
//! pragma (`# whittle ignore=WH301`, `# hadolint ignore=DL3009`).

use super::analysis::Analysis;
use super::convert::LineTable;
use super::documents::{Document, Kind};
use crate::descriptor::RuleMeta;
use crate::lint::suppressions_of;
use crate::output::rule_url;
use crate::suppress::PragmaKind;
use crate::syntax::{self, Span};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// The hover at `pos`, if a rule is there.
pub fn hover(doc: &Document, analysis: &Analysis, pos: Position) -> Option<Hover> {
    if doc.kind != Kind::Dockerfile {
        return None;
    }
    let text = &doc.text;
    let lines = LineTable::new(text);
    let offset = lines.offset(text, pos);
    let covers = |s: Span| s.start <= offset && offset <= s.end;

    // Findings under the cursor, narrowest first, one page per rule.
    let mut found: Vec<(Span, &RuleMeta)> = Vec::new();
    let mut under: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| covers(d.span))
        .collect();
    under.sort_by_key(|d| d.span.end - d.span.start);
    for d in under {
        if let Some(meta) = analysis.rule(&d.rule_id)
            && !found.iter().any(|(_, m)| m.id == meta.id)
        {
            found.push((d.span, meta));
        }
    }
    if found.is_empty() {
        let file = syntax::parse(text);
        let pragmas = suppressions_of(&file).pragmas;
        let code = pragmas
            .iter()
            .filter(|p| p.kind != PragmaKind::BuildkitCheck)
            .flat_map(|p| &p.codes)
            .find(|c| covers(c.span))?;
        found.push((code.span, analysis.rule(&code.code)?));
    }
    let range = lines.range(text, found[0].0);
    let pages: Vec<String> = found.iter().map(|(_, meta)| page(meta)).collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: pages.join("\n\n---\n\n"),
        }),
        range: Some(range),
    })
}

/// A rule's page as Markdown, with its aliases and a link to the published page.
pub fn page(meta: &RuleMeta) -> String {
    let mut out = if meta.doc.trim().is_empty() {
        format!("# {}: {}\n", meta.id, meta.name)
    } else {
        meta.doc.trim_end().to_string()
    };
    if !meta.aliases.is_empty() {
        out.push_str(&format!("\n\nAlso known as: {}", meta.aliases.join(", ")));
    }
    if let Some(url) = rule_url(&meta.id) {
        out.push_str(&format!("\n\n[{} on the web]({url})", meta.id));
    }
    out
}
