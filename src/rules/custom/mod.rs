//! How custom rules (`crate::custom`) check a file: each is a [`Rule`] like the built-in ones,
//! reporting through the same [`Context`] (severity overrides, fix caps, suppressions and every
//! output apply unchanged), at the exact range it matched: the image reference, the command
//! word or flag, the regex match, or the `FROM` of a stage that lacks something.

use super::helpers::lines::insert_lines_after;
use super::helpers::run_commands::{
    RunCommand, ends_with_continuation, insert_after_word, run_commands,
};
use super::{Context, Rule, RuleMeta};
use crate::custom::{CustomRule, FixAction, Groups, Matcher, Pattern, StageFilter, has_flag};
use crate::fix::Edit;
use crate::glob::Glob;
use crate::semantic::{Semantic, Stage};
use crate::syntax::image_ref;
use crate::syntax::shell::Word;
use crate::syntax::{Dockerfile, Instruction, Keyword, Span};
use std::borrow::Cow;
use std::collections::HashMap;

impl Rule for CustomRule {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        match &self.matcher {
            Matcher::From { image, not_image } => check_from(self, file, cx, image, not_image),
            Matcher::Run { .. } => check_run(self, file, cx),
            Matcher::Missing {
                instructions,
                regex,
            } => check_missing(self, file, cx, instructions, regex.as_ref()),
            Matcher::Instruction {
                instructions,
                regex,
            } => check_instruction(self, file, cx, instructions, regex.as_ref()),
        }
    }
}

/// Values for the message's placeholders.
type Values = HashMap<String, String>;

fn stage_selected(filter: StageFilter, sem: &Semantic, stage: Option<usize>) -> bool {
    let last = sem.stages.len().checked_sub(1);
    match filter {
        StageFilter::Any => true,
        StageFilter::Final => stage.is_some() && stage == last,
        StageFilter::Build => stage.is_some() && stage != last,
    }
}

fn stage_label(sem: &Semantic, stage: Option<usize>) -> String {
    match stage.and_then(|s| sem.stages.get(s)) {
        Some(Stage {
            name: Some(name), ..
        }) => name.clone(),
        Some(s) => s.index.to_string(),
        None => String::new(),
    }
}

/// Report `span` with the rule's message filled from `values`, and its fix when the match
/// allows one (`edit` builds it from the fix action).
fn report(
    rule: &CustomRule,
    cx: &mut Context<'_>,
    span: Span,
    mut values: Values,
    edit: impl FnOnce(&FixAction) -> Option<Edit>,
) {
    values.insert("id".into(), rule.meta.id.to_string());
    values.insert("name".into(), rule.meta.name.to_string());
    let message = rule.message.render(&|n| values.get(n).cloned());
    let builder = cx.report(span, message);
    if let Some(fix) = &rule.fix
        && let Some(e) = edit(&fix.action)
    {
        builder.fix(fix.title.clone(), fix.applicability, vec![e]);
    }
}

/// A `replace` fix on the text at `span`: the text with every match of the fix's regex
/// replaced, when that changes it.
fn replacement(action: &FixAction, file: &Dockerfile, span: Span) -> Option<Edit> {
    let FixAction::Replace { regex, with } = action else {
        return None;
    };
    let text = file.text(span);
    let new = regex.replace_all(text, with.as_str());
    (new != text).then(|| Edit::replace(span, new.into_owned()))
}

/// The reference Docker resolves `reference` to: registry `docker.io` and `library/` for
/// official images when absent, tag `latest` when there is neither tag nor digest.
pub fn resolved_reference(reference: &str) -> String {
    let parts = image_ref::split(reference);
    let registry = match parts.registry.clone().map(|r| &reference[r]) {
        None | Some("index.docker.io") => "docker.io",
        Some(r) => r,
    };
    let repository = &reference[parts.repository];
    let mut out = format!("{registry}/");
    if registry == "docker.io" && !repository.contains('/') {
        out.push_str("library/");
    }
    out.push_str(repository);
    match (&parts.tag, &parts.digest) {
        (Some(t), _) => {
            out.push(':');
            out.push_str(&reference[t.clone()]);
        }
        (None, None) => out.push_str(":latest"),
        (None, Some(_)) => {}
    }
    if let Some(d) = parts.digest {
        out.push('@');
        out.push_str(&reference[d]);
    }
    out
}

fn check_from(
    rule: &CustomRule,
    file: &Dockerfile,
    cx: &mut Context<'_>,
    image: &[Glob],
    not_image: &[Glob],
) {
    let sem = cx.semantic();
    for stage in &sem.stages {
        // Stage references and `scratch` pull nothing; an ARG without a value is not known.
        if !stage.base.is_external() || !stage_selected(rule.stage, sem, Some(stage.index)) {
            continue;
        }
        let Some(written) = stage.base.expanded.as_deref() else {
            continue;
        };
        let resolved = resolved_reference(written);
        let matches = |g: &Glob| g.is_match(written) || g.is_match(&resolved);
        let hit = (image.is_empty() || image.iter().any(matches)) && !not_image.iter().any(matches);
        if !hit {
            continue;
        }
        let Some(from) = stage.from_view(file) else {
            continue;
        };
        let parts = image_ref::split(&resolved);
        let part = |r: Option<std::ops::Range<usize>>| r.map(|r| resolved[r].to_string());
        let mut values = Values::new();
        values.insert("image".into(), written.to_string());
        values.insert("stage".into(), stage_label(sem, Some(stage.index)));
        values.insert("registry".into(), part(parts.registry).unwrap_or_default());
        values.insert(
            "repository".into(),
            resolved[parts.repository.clone()].to_string(),
        );
        values.insert("tag".into(), part(parts.tag).unwrap_or_default());
        values.insert("resolved".into(), resolved.clone());
        let span = from.image.span;
        report(rule, cx, span, values, |a| replacement(a, file, span));
    }
}

/// A command as a rule sees it: its words (argv[0] the name) and their text.
struct CommandView<'a> {
    argv: &'a [Word],
    words: Cow<'a, [String]>,
}

/// The name of a command whose first word is `first` written as `text` (its basename), when
/// it is literal.
fn command_name<'t>(first: &Word, text: &'t str) -> Option<&'t str> {
    if first.has_expansion {
        return None;
    }
    Some(text.rsplit('/').next().unwrap_or(text))
}

/// Whether the literal command word `text` names one of `commands` (`/usr/bin/curl` names
/// `curl`). Asked of every command of every RUN for every `run` rule: compares bytes instead
/// of splitting the path.
fn names_one_of(first: &Word, text: &str, commands: &[String]) -> bool {
    !first.has_expansion
        && commands.iter().any(|n| {
            text.ends_with(n.as_str())
                && (text.len() == n.len() || text.as_bytes()[text.len() - n.len() - 1] == b'/')
        })
}

/// The views of a command that `commands` name: the command that runs (`apt-get` in
/// `sudo apt-get ...`), and the wrapper as written when there is one (`sudo`), so a rule can
/// ban either. Nothing is copied for a command no rule names (most of them).
fn command_views<'a>(c: &RunCommand<'a>, commands: &[String]) -> Vec<CommandView<'a>> {
    let named = |first: Option<&Word>, text: Option<&str>| {
        first
            .zip(text)
            .is_some_and(|(w, t)| names_one_of(w, t, commands))
    };
    let mut out = Vec::new();
    if named(c.argv.first(), c.words.first().map(String::as_str)) {
        out.push(CommandView {
            argv: c.argv,
            words: Cow::Borrowed(c.words),
        });
    }
    let whole = c.cmd.argv.as_slice();
    if whole.len() > c.argv.len() {
        let text = &c.run.text;
        let word = |w: &Word| match w.literal(text) {
            Some(l) => l.into_owned(),
            None => w.raw(text).to_string(),
        };
        if named(whole.first(), whole.first().map(word).as_deref()) {
            out.push(CommandView {
                argv: whole,
                words: Cow::Owned(whole.iter().map(word).collect()),
            });
        }
    }
    out
}

fn check_run(rule: &CustomRule, file: &Dockerfile, cx: &mut Context<'_>) {
    let Matcher::Run {
        commands,
        missing_flags,
        has_flags,
        args_regex,
    } = &rule.matcher
    else {
        return;
    };
    let sem = cx.semantic();
    for c in run_commands(sem) {
        if !stage_selected(rule.stage, sem, Some(c.stage)) {
            continue;
        }
        for view in command_views(&c, commands) {
            let Some(name) = view
                .argv
                .first()
                .zip(view.words.first())
                .and_then(|(w, t)| command_name(w, t))
            else {
                continue;
            };
            // The arguments as `has_flag` reads them (argv[0] is the command).
            let args = view.words.get(1..).unwrap_or_default();
            if !missing_flags.is_empty()
                && missing_flags.iter().any(|f| has_flag(args, f).is_some())
            {
                continue;
            }
            let found_flag = has_flags
                .iter()
                .find_map(|f| has_flag(args, f).map(|i| (i + 1, f)));
            if !has_flags.is_empty() && found_flag.is_none() {
                continue;
            }
            let word_span = |i: usize| view.argv.get(i).map(|w| c.run.file_span(w.span));
            let Some(command_span) = word_span(0) else {
                continue;
            };
            let args_text = args_text(&c, view.argv);
            let mut span = found_flag
                .and_then(|(i, _)| word_span(i))
                .unwrap_or(command_span);
            // The regex first: most named commands do not match it, and the placeholders'
            // values are built only for a finding.
            let mut groups = None;
            if let Some(re) = args_regex {
                let Some((text, start)) = args_text else {
                    continue;
                };
                // The plain search is much cheaper than captures.
                if !re.is_match(text) {
                    continue;
                }
                let Some(g) = re.first_match(text) else {
                    continue;
                };
                if let Some(Some(m)) = g.first() {
                    span = c.run.file_span(Span::new(start + m.start, start + m.end));
                }
                groups = Some((re, text, g));
            }
            let mut values = Values::new();
            values.insert("command".into(), name.to_string());
            values.insert("stage".into(), stage_label(sem, Some(c.stage)));
            values.insert("args".into(), args_text.map_or("", |(t, _)| t).to_string());
            if let Some((_, f)) = found_flag {
                values.insert("flag".into(), f.clone());
            }
            if let Some((re, text, g)) = &groups {
                add_captures(&mut values, re, text, g);
            }
            let run = c.run;
            let command_word = view.argv.first();
            report(rule, cx, span, values, |action| match action {
                FixAction::AddFlag(flag) => command_word.map(|w| insert_after_word(run, w, flag)),
                _ => replacement(action, file, span),
            });
            // One finding per command, even when the wrapper and the command both match.
            break;
        }
    }
}

/// The arguments of `argv` (after its name) as written in the script, and where they start.
fn args_text<'r>(c: &RunCommand<'r>, argv: &[Word]) -> Option<(&'r str, usize)> {
    let first = argv.get(1)?;
    let last = argv.last()?;
    let span = Span::new(first.span.start, last.span.end);
    Some((c.run.text.get(span.start..span.end)?, span.start))
}

/// `{0}`, `{1}`... and `{name}` for the groups of one match in `text`.
fn add_captures(values: &mut Values, re: &Pattern, text: &str, groups: &Groups) {
    for (i, name) in re.capture_names().enumerate() {
        let value = groups
            .get(i)
            .cloned()
            .flatten()
            .and_then(|r| text.get(r))
            .unwrap_or("");
        values.insert(i.to_string(), value.to_string());
        if let Some(name) = name {
            values.insert(name.to_string(), value.to_string());
        }
    }
}

/// The arguments of an instruction (after its flags) as BuildKit joins its lines, and the
/// joined-text offset they start at.
fn instruction_args(inst: &Instruction) -> (&str, usize) {
    let text = inst
        .line
        .text
        .get(inst.rest.start..inst.rest.end)
        .unwrap_or("");
    (text, inst.rest.start)
}

fn check_instruction(
    rule: &CustomRule,
    file: &Dockerfile,
    cx: &mut Context<'_>,
    kinds: &[Keyword],
    regex: Option<&Pattern>,
) {
    let sem = cx.semantic();
    for (i, inst) in file.instructions.iter().enumerate() {
        let stage = sem.states.get(i).and_then(|s| s.stage);
        if !kinds.contains(&inst.keyword) || !stage_selected(rule.stage, sem, stage) {
            continue;
        }
        let (args, start) = instruction_args(inst);
        let values = || {
            let mut values = Values::new();
            values.insert("instruction".into(), inst.keyword.as_str().to_string());
            values.insert("args".into(), args.to_string());
            values.insert("stage".into(), stage_label(sem, stage));
            values
        };
        let Some(re) = regex else {
            let span = inst.span;
            report(rule, cx, span, values(), |a| replacement(a, file, span));
            continue;
        };
        // Most instructions do not match: the plain search is much cheaper than captures.
        if !re.is_match(args) {
            continue;
        }
        for groups in re.matches(args) {
            let Some(Some(m)) = groups.first() else {
                continue;
            };
            let mut values = values();
            add_captures(&mut values, re, args, &groups);
            let span = inst
                .line
                .file_span(Span::new(start + m.start, start + m.end));
            report(rule, cx, span, values, |a| replacement(a, file, span));
        }
    }
}

fn check_missing(
    rule: &CustomRule,
    file: &Dockerfile,
    cx: &mut Context<'_>,
    kinds: &[Keyword],
    regex: Option<&Pattern>,
) {
    let sem = cx.semantic();
    let found_in = |stage: &Stage| {
        stage.body.clone().any(|i| {
            file.instructions.get(i).is_some_and(|inst| {
                kinds.contains(&inst.keyword)
                    && regex.is_none_or(|re| re.is_match(instruction_args(inst).0))
            })
        })
    };
    for stage in &sem.stages {
        if !stage_selected(rule.stage, sem, Some(stage.index)) {
            continue;
        }
        // What a stage inherits from the stages it is built FROM is in its image too.
        let mut chain = Some(stage);
        let mut seen = 0;
        let mut present = false;
        while let Some(s) = chain {
            if found_in(s) {
                present = true;
                break;
            }
            seen += 1;
            chain = s
                .base
                .stage
                .filter(|p| *p < s.index && seen <= sem.stages.len())
                .and_then(|p| sem.stages.get(p));
        }
        if present {
            continue;
        }
        let Some(from) = file.instructions.get(stage.from) else {
            continue;
        };
        let mut values = Values::new();
        values.insert(
            "instruction".into(),
            kinds
                .iter()
                .map(Keyword::as_str)
                .collect::<Vec<_>>()
                .join(" or "),
        );
        values.insert("stage".into(), stage_label(sem, Some(stage.index)));
        let span = from.span;
        let can_add = !ends_with_continuation(file, stage.from) && file.diagnostics.is_empty();
        report(rule, cx, span, values, |action| match action {
            FixAction::AddLine(line) if can_add => Some(insert_lines_after(file, span, line)),
            _ => None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{has_flag, resolved_reference};

    #[test]
    fn references_resolve_like_docker() {
        assert_eq!(
            resolved_reference("debian"),
            "docker.io/library/debian:latest"
        );
        assert_eq!(
            resolved_reference("debian:12"),
            "docker.io/library/debian:12"
        );
        assert_eq!(resolved_reference("org/app:1"), "docker.io/org/app:1");
        assert_eq!(
            resolved_reference("registry.acme.io:5000/team/app"),
            "registry.acme.io:5000/team/app:latest"
        );
        assert_eq!(
            resolved_reference("index.docker.io/library/alpine@sha256:abc"),
            "docker.io/library/alpine@sha256:abc"
        );
    }

    #[test]
    fn flags_are_found_in_clusters_and_long_forms() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(has_flag(&w("-sSL https://x"), "-f"), None);
        assert_eq!(has_flag(&w("-fsSL https://x"), "-f"), Some(0));
        assert_eq!(has_flag(&w("-sS --fail https://x"), "--fail"), Some(1));
        assert_eq!(has_flag(&w("--retry=3 x"), "--retry"), Some(0));
        assert_eq!(has_flag(&w("-- -f"), "-f"), None);
        assert_eq!(has_flag(&w("-o out.tgz x"), "-f"), None);
    }
}
