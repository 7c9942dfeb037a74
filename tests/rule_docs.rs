//! Every rule page is a test (architecture.md, "Every rule page is a test").
//!
//! For each rule, with the default rules and that rule enabled, counting only that rule's
//! diagnostics and applying only its fixes (so a page need not dodge every other rule):
//! - each `dockerfile bad` example gives at least one diagnostic of the rule;
//! - each `dockerfile good` example gives none;
//! - fixing a `bad` example (safe and unsafe fixes) gives the first `dockerfile fixed` block after
//!   it (before the next `bad`), byte for byte; a bad example whose fix changes the text must have
//!   one;
//! - the `fixed` text lints clean for the rule;
//! - examples of rules outside the syntax category parse without syntax errors.
//!
//! Rules that read the build context get one from the page: a `text context` block lists the
//! context's files (one path per line) and starts a new context; a `text dockerignore` block is
//! that context's `.dockerignore`; a `text file PATH` block is the content of that file of the
//! context (for fixes that read manifests). The examples after them are linted with that context; before
//! any, without one. A `yaml options` block sets the rule's options (what `rules: {ID: {options:
//! ...}}` in `.whittle.yaml` would) for the examples after it.
//!
//! And for the registry: IDs unique, sorted and well formed, names unique kebab-case, every rule
//! has a page with the required headings and every page a rule, and the rules reference
//! (`docs/rules.md`, generated from the pages) is current (`WHITTLE_BLESS=1 cargo test --test
//! rule_docs` rewrites it).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use whittle::build_context::BuildContext;
use whittle::fix::{Applicability, FixOutcome, fix_to_fixpoint};
use whittle::lint::{Settings, lint, lint_source, syntax_error_count};
use whittle::rules::{Category, FixKind, RuleMeta, all_rules, is_kebab_case, is_valid_id};
use whittle::syntax::parse;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tag {
    Bad,
    Good,
    Fixed,
}

#[derive(Debug)]
struct Example {
    tag: Tag,
    text: String,
    /// 1-based line of the opening fence, for messages.
    line: usize,
    /// The build context declared above it on the page.
    context: Option<Arc<BuildContext>>,
    /// The rule options declared above it on the page.
    options: Option<serde_json::Value>,
}

/// The `dockerfile bad|good|fixed` fenced blocks of a page, in order. Other fences are skipped.
fn examples(page: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut files: Option<Vec<String>> = None;
    let mut ignore: Option<String> = None;
    let mut contents: std::collections::HashMap<String, Vec<u8>> = Default::default();
    let mut context = None;
    let mut options: Option<serde_json::Value> = None;
    let mut lines = page.split_inclusive('\n').enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.trim_end().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        let tag = match (words.next(), words.next()) {
            (Some("dockerfile"), Some("bad")) => Some(Tag::Bad),
            (Some("dockerfile"), Some("good")) => Some(Tag::Good),
            (Some("dockerfile"), Some("fixed")) => Some(Tag::Fixed),
            _ => None,
        };
        let mut text = String::new();
        for (_, body) in lines.by_ref() {
            if body.trim_end() == "```" {
                break;
            }
            text.push_str(body);
        }
        let mut kind = info.split_whitespace();
        match (kind.next(), kind.next()) {
            (Some("text"), Some("context")) => {
                files = Some(text.lines().map(str::to_string).collect());
                ignore = None;
                contents.clear();
            }
            (Some("text"), Some("file")) => {
                let path = kind
                    .next()
                    .unwrap_or_else(|| panic!("line {}: `text file` needs a path", i + 1));
                contents.insert(path.to_string(), text.clone().into_bytes());
            }
            (Some("text"), Some("dockerignore")) => ignore = Some(text.clone()),
            (Some("yaml"), Some("options")) => {
                let value: serde_json::Value = serde_yaml::from_str(&text)
                    .unwrap_or_else(|e| panic!("line {}: bad options block: {e}", i + 1));
                options = Some(value);
            }
            _ => {}
        }
        if let Some(list) = &files {
            // A page's context that does not compile is a test failure, not a silent `None`.
            let mut cx = BuildContext::from_listing(list, ignore.as_deref())
                .unwrap_or_else(|e| panic!("line {}: bad dockerignore block: {e}", i + 1));
            if !contents.is_empty() {
                cx.files = Some(Arc::new(whittle::build_context::ListedContents {
                    files: contents.clone(),
                }));
            }
            context = Some(Arc::new(cx));
        }
        if let Some(tag) = tag {
            out.push(Example {
                tag,
                text,
                line: i + 1,
                context: context.clone(),
                options: options.clone(),
            });
        }
    }
    out
}

fn headings(page: &str) -> Vec<&str> {
    page.lines()
        .filter(|l| l.starts_with("## "))
        .map(str::trim_end)
        .collect()
}

fn check_page_shape(meta: &RuleMeta, errors: &mut Vec<String>) {
    let page = &*meta.doc;
    let title = format!("# {}: {}", meta.id, meta.name);
    if page.lines().next() != Some(title.as_str()) {
        errors.push(format!("{}: the first line must be `{title}`", meta.id));
    }
    let hs = headings(page);
    let mut required = vec!["## What it does", "## Why is this bad?", "## Example"];
    if meta.fix >= FixKind::Unsafe {
        required.push("## Fix safety");
    }
    for h in required {
        if !hs.contains(&h) {
            errors.push(format!("{}: missing heading `{h}`", meta.id));
        }
    }
    let allowed = [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Fix safety",
        "## Options",
        "## References",
    ];
    for h in &hs {
        if !allowed.contains(h) {
            errors.push(format!("{}: unexpected heading `{h}`", meta.id));
        }
    }
}

/// Every rule that is on by default, plus `meta`'s rule: suppression-aware rules need the others
/// to run, and counting only `meta`'s diagnostics keeps pages from dodging unrelated rules.
fn settings_for(meta: &RuleMeta) -> Settings {
    let mut ids: Vec<String> = all_rules()
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.default_enabled)
        .map(|m| m.id.to_string())
        .collect();
    ids.push(meta.id.to_string());
    Settings::only(ids)
}

/// Fix with `meta`'s fixes only (other rules still run, as in linting).
fn fix_with_rule(text: &str, meta: &RuleMeta, settings: &Settings) -> FixOutcome {
    let lint_own = |src: &str| {
        let mut result = lint_source(src, settings);
        result.diagnostics.retain(|d| d.rule_id == meta.id);
        result
    };
    fix_to_fixpoint(text, &lint_own, Applicability::Unsafe)
}

fn check_examples(meta: &'static RuleMeta, errors: &mut Vec<String>) {
    let settings = settings_for(meta);
    let examples = examples(&meta.doc);
    if !examples.iter().any(|e| e.tag == Tag::Bad) {
        errors.push(format!("{}: no `dockerfile bad` example", meta.id));
    }
    if !examples.iter().any(|e| e.tag == Tag::Good) {
        errors.push(format!("{}: no `dockerfile good` example", meta.id));
    }
    let count = |text: &str, settings: &Settings| {
        let file = parse(text);
        let own = lint(&file, settings)
            .iter()
            .filter(|d| d.rule_id == meta.id)
            .count();
        (own, syntax_error_count(&file))
    };
    for (i, ex) in examples.iter().enumerate() {
        let at = format!("{} (example at line {})", meta.id, ex.line);
        let mut settings = Settings {
            build_context: ex.context.clone(),
            ..settings.clone()
        };
        if let Some(o) = &ex.options {
            settings.options.insert(meta.id.to_string(), o.clone());
        }
        let (own, syntax) = count(&ex.text, &settings);
        if meta.category != Category::Syntax && syntax > 0 {
            errors.push(format!("{at}: the example has {syntax} syntax error(s)"));
        }
        match ex.tag {
            Tag::Bad => {
                if own == 0 {
                    errors.push(format!("{at}: `bad` gives no {} diagnostic", meta.id));
                }
                let fixed = fix_with_rule(&ex.text, meta, &settings);
                if let Some(e) = &fixed.error {
                    errors.push(format!("{at}: fixing failed: {e}"));
                }
                // The `fixed` block of a `bad` one: the first after it, before the next `bad`.
                let expected = examples[i + 1..]
                    .iter()
                    .take_while(|next| next.tag != Tag::Bad)
                    .find(|next| next.tag == Tag::Fixed);
                match expected {
                    Some(want) if want.text != fixed.text => errors.push(format!(
                        "{at}: fixing `bad` gives\n{}\nbut the page's `fixed` is\n{}",
                        fixed.text, want.text
                    )),
                    None if fixed.text != ex.text => errors.push(format!(
                        "{at}: the fix changes `bad` to\n{}\nbut no `dockerfile fixed` block follows",
                        fixed.text
                    )),
                    _ => {}
                }
            }
            Tag::Good => {
                if own > 0 {
                    errors.push(format!(
                        "{at}: `good` gives {own} {} diagnostic(s)",
                        meta.id
                    ));
                }
            }
            Tag::Fixed => {
                let follows_bad = examples[..i].iter().any(|p| p.tag == Tag::Bad);
                if !follows_bad {
                    errors.push(format!("{at}: a `fixed` block must come after a `bad` one"));
                }
                if own > 0 {
                    errors.push(format!("{at}: `fixed` still gives {own} diagnostic(s)"));
                }
                if meta.fix < FixKind::Unsafe {
                    errors.push(format!("{at}: `fixed` on a rule without applicable fixes"));
                }
            }
        }
    }
}

#[test]
fn every_rule_page_passes_its_examples() {
    let mut errors = Vec::new();
    for rule in all_rules() {
        check_page_shape(rule.meta(), &mut errors);
        check_examples(rule.meta(), &mut errors);
    }
    assert!(errors.is_empty(), "\n{}\n", errors.join("\n\n"));
}

#[test]
fn ids_and_names_are_unique_sorted_and_well_formed() {
    let metas: Vec<&RuleMeta> = all_rules().iter().map(|r| r.meta()).collect();
    for pair in metas.windows(2) {
        assert!(
            pair[0].id < pair[1].id,
            "{} then {}",
            pair[0].id,
            pair[1].id
        );
    }
    let mut names: Vec<&str> = metas.iter().map(|m| m.name.as_str()).collect();
    names.sort_unstable();
    for pair in names.windows(2) {
        assert_ne!(pair[0], pair[1], "duplicate rule name");
    }
    for m in &metas {
        assert!(is_valid_id(&m.id), "{}", m.id);
        assert!(is_kebab_case(&m.name), "{}: {}", m.id, m.name);
    }
}

#[test]
fn every_page_has_a_rule_and_every_rule_a_page() {
    let dir = root().join("rules");
    let mut pages: Vec<String> = fs::read_dir(&dir)
        .expect("rules/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    pages.sort();
    let ids: Vec<String> = all_rules()
        .iter()
        .map(|r| format!("{}.md", r.meta().id))
        .collect();
    let orphans: Vec<&String> = pages.iter().filter(|p| !ids.contains(p)).collect();
    assert!(orphans.is_empty(), "pages without a rule: {orphans:?}");
    for rule in all_rules() {
        let m = rule.meta();
        let on_disk = fs::read_to_string(dir.join(format!("{}.md", m.id)))
            .unwrap_or_else(|_| panic!("{}: rules/{}.md is missing", m.id, m.id));
        assert_eq!(on_disk, m.doc, "{}: `doc` must be the page", m.id);
    }
}

/// The rules reference (`docs/rules.md`), generated from the registry and the rule pages: one
/// table per category, each rule with its severity, fix, whether it is on by default, the first
/// paragraph of its page and its aliases.
fn rule_reference() -> String {
    use whittle::descriptor::Category;
    let mut t = String::new();
    for category in Category::ALL {
        let rules: Vec<_> = all_rules()
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.category == category)
            .collect();
        if rules.is_empty() {
            continue;
        }
        t.push_str(&format!(
            "\n## {category} (WH{}xx)\n\n| ID | Name | Severity | Fix | What it checks | Also known as |\n|---|---|---|---|---|---|\n",
            category.digit()
        ));
        for m in rules {
            let fix = match m.fix {
                FixKind::None => "",
                other => other.as_str(),
            };
            let aliases: Vec<String> = m.aliases.iter().map(|a| format!("`{a}`")).collect();
            let default = if m.default_enabled {
                ""
            } else {
                " (off by default)"
            };
            t.push_str(&format!(
                "| [{id}](../rules/{id}.md) | `{name}`{default} | {sev} | {fix} | {summary} | {aliases} |\n",
                id = m.id,
                name = m.name,
                sev = m.severity,
                summary = m.summary().replace('|', "\\|"),
                aliases = aliases.join(", "),
            ));
        }
    }
    t
}

const START: &str = "<!-- rules:start -->\n";
const END: &str = "<!-- rules:end -->";

#[test]
fn the_rules_reference_is_current() {
    let path: &Path = &root().join("docs/rules.md");
    let doc = fs::read_to_string(path).expect("docs/rules.md");
    let table = rule_reference();
    let (Some(s), Some(e)) = (doc.find(START), doc.find(END)) else {
        panic!("docs/rules.md needs the markers `{START}` and `{END}` around the rule tables");
    };
    let current = &doc[s + START.len()..e];
    if current == table {
        return;
    }
    if std::env::var("WHITTLE_BLESS").as_deref() == Ok("1") {
        let updated = format!("{}{table}{}", &doc[..s + START.len()], &doc[e..]);
        fs::write(path, updated).expect("write docs/rules.md");
        return;
    }
    panic!(
        "docs/rules.md is stale; run `WHITTLE_BLESS=1 cargo test --test rule_docs` to regenerate it"
    );
}

#[test]
fn example_fences_are_read() {
    let page = "# X\n\n```dockerfile bad\nFROM a\n```\n\n```text\nnot me\n```\n```dockerfile fixed\nFROM b\n\n```\n";
    let ex = examples(page);
    assert_eq!(ex.len(), 2);
    assert_eq!(
        (ex[0].tag.clone(), ex[0].text.as_str(), ex[0].line),
        (Tag::Bad, "FROM a\n", 3)
    );
    assert_eq!(
        (ex[1].tag.clone(), ex[1].text.as_str()),
        (Tag::Fixed, "FROM b\n\n")
    );
}

/// The text of a page's `## name` section (to the next `## ` heading).
fn section<'p>(page: &'p str, name: &str) -> Option<&'p str> {
    let heading = format!("\n## {name}\n");
    let start = page.find(&heading)? + heading.len();
    let end = page[start..]
        .find("\n## ")
        .map_or(page.len(), |e| start + e);
    Some(&page[start..end])
}

#[test]
fn every_option_is_typed_defaulted_and_documented_on_the_page() {
    let mut errors = Vec::new();
    for rule in all_rules() {
        let m = rule.meta();
        let section = section(&m.doc, "Options");
        match (m.options.is_empty(), section) {
            (true, Some(_)) => errors.push(format!(
                "{}: the page has `## Options` but the descriptor declares none",
                m.id
            )),
            (false, None) => errors.push(format!("{}: no `## Options` section", m.id)),
            _ => {}
        }
        for o in m.options {
            if !is_kebab_case(o.name) {
                errors.push(format!("{}: option `{}` is not kebab-case", m.id, o.name));
            }
            match serde_json::from_str::<serde_json::Value>(o.default) {
                Ok(v) => {
                    if let Err(e) = o.kind.check(&v) {
                        errors.push(format!("{}: default of `{}`: {e}", m.id, o.name));
                    }
                }
                Err(e) => errors.push(format!("{}: default of `{}`: {e}", m.id, o.name)),
            }
            if o.doc.trim().is_empty() {
                errors.push(format!("{}: option `{}` has no doc", m.id, o.name));
            }
            if !section.is_some_and(|s| s.contains(&format!("`{}`", o.name))) {
                errors.push(format!(
                    "{}: option `{}` is not described under `## Options`",
                    m.id, o.name
                ));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
