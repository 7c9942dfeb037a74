//! WH308 `heavy-base-image`: see `rules/WH308.md`.

use super::helpers::lines::insert_lines_after;
use super::helpers::run_commands::{
    ends_with_continuation, image_stages, instructions_in, layer_commands,
};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::base_images::{self, SuggestionKind};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::package_managers::{Action, Kind};
use crate::syntax::{CommandBody, Dockerfile, InstructionView};

pub struct HeavyBaseImage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH308"),
    name: SharedStr::new("heavy-base-image"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: false,
    context: ContextUse::Files,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH308.md")),
};

impl Rule for HeavyBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        // The stage at the root of the image's FROM chain names the base image.
        let Some(root) = stages.last().and_then(|&s| sem.stages.get(s)) else {
            return;
        };
        let base = &root.base;
        if !base.is_external() || base.digest.is_some() || !base.unresolved.is_empty() {
            return;
        }
        let Some(repository) = base.repository.as_deref() else {
            return;
        };
        let full = match &base.registry {
            Some(r) => format!("{r}/{repository}"),
            None => repository.to_string(),
        };
        let tag = base.tag.clone().unwrap_or_default();
        let Some(suggestion) = base_images::slim_variant(&full, &tag) else {
            return;
        };
        let Some(from) = file.instructions.get(root.from) else {
            return;
        };
        let InstructionView::From(view) = from.view() else {
            return;
        };
        let current = view.image.value.clone();
        let new = suggestion.image();
        // Tools the RUNs, CMD, ENTRYPOINT and HEALTHCHECK of the image use that the smaller
        // variant lacks, and whether a RUN installs language packages (which may compile
        // against headers only the bigger variant has).
        let mut missing: Vec<&'static base_images::Tool> = Vec::new();
        let mut add = |t: &'static base_images::Tool| {
            if !missing.iter().any(|m| m.command == t.command) {
                missing.push(t);
            }
        };
        let mut compiles = false;
        for c in layer_commands(sem) {
            if !stages.contains(&c.stage) {
                continue;
            }
            if let Some(t) = c.name().and_then(|n| suggestion.missing_tool(n)) {
                add(t);
            }
            if c.package()
                .is_some_and(|p| p.manager.kind == Kind::Language && p.action == Action::Install)
            {
                compiles = true;
            }
        }
        for (_, ins) in instructions_in(file, sem, &stages) {
            let body = match ins.view() {
                InstructionView::Cmd(v) | InstructionView::Entrypoint(v) => Some(&v.body),
                InstructionView::Healthcheck(h) => h.body.as_ref(),
                _ => None,
            };
            for name in body.map(program_names).unwrap_or_default() {
                if let Some(t) = suggestion.missing_tool(&name) {
                    add(t);
                }
            }
        }
        // Compilers on a base without headers: what else the build needs is unknown.
        let compiler = ["gcc", "cc", "g++", "c++", "make"];
        if suggestion.missing_headers
            && missing
                .iter()
                .any(|t| compiler.contains(&t.command.as_str()))
        {
            compiles = true;
        }
        // Language packages only matter when the smaller variant drops headers.
        let compiles = compiles && suggestion.missing_headers;
        let missing_names: Vec<String> = missing.iter().map(|t| t.command.clone()).collect();
        let installable = missing.iter().all(|t| !t.packages.is_empty());
        let mut lacks = if missing_names.is_empty() {
            String::new()
        } else {
            format!(
                " (it lacks {}, which the image runs{})",
                missing_names
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                match (installable, missing_names.len()) {
                    (false, _) => "",
                    (true, 1) => ": install it there",
                    (true, _) => ": install them there",
                }
            )
        };
        if compiles && suggestion.kind == SuggestionKind::Slim {
            lacks.push_str(
                "; a `RUN` installs language packages or compiles, which may need the compilers and headers the smaller variant drops",
            );
        }
        let message = match suggestion.kind {
            SuggestionKind::BuildOnly => format!(
                "`{current}` is a toolchain image; build in a separate stage and run from `{new}`{lacks}"
            ),
            SuggestionKind::Replace => {
                format!("`{current}` has a smaller replacement for the final image: `{new}`{lacks}")
            }
            SuggestionKind::Jre => {
                format!(
                    "`{current}` carries a JDK; the final image only needs a JRE: `{new}`{lacks}"
                )
            }
            SuggestionKind::Slim => {
                format!("`{current}` has a smaller variant: `{new}`{lacks}")
            }
        };
        let bc = cx.build_context();
        let builder = cx.report(view.image.span, message);
        // A toolchain image that the image itself runs on: the multi-stage split builds there
        // and runs from the runtime image (when the last stage is the one on the toolchain).
        if suggestion.kind == SuggestionKind::BuildOnly {
            if sem.stages.len().checked_sub(1) == Some(root.index)
                && let Some(fix) = super::helpers::stage_split::plan(file, sem, bc)
            {
                builder.fix(fix.title, fix.applicability, fix.edits);
            }
            return;
        }
        if current.contains('$') {
            return;
        }
        let mut edits = vec![Edit::replace(view.image.span, new.clone())];
        // Packages whose install needs what the slim variant strips (the JDK's man page
        // directory): the step that restores it goes first in the RUN that installs them.
        let mut slim_steps_ok = true;
        if suggestion.kind == SuggestionKind::Slim {
            let mut done: Vec<usize> = Vec::new();
            for c in layer_commands(sem) {
                if !stages.contains(&c.stage) || done.contains(&c.instruction) {
                    continue;
                }
                let Some(inv) = c.package() else { continue };
                if !matches!(inv.manager.name, "apt-get" | "apt") || inv.action != Action::Install {
                    continue;
                }
                let steps: Vec<&str> = inv
                    .operands
                    .iter()
                    .filter_map(|&i| c.words.get(i))
                    .flat_map(|p| base_images::slim_needs(p.split('=').next().unwrap_or(p)))
                    .map(|n| n.step.as_str())
                    .fold(Vec::new(), |mut acc, st| {
                        if !acc.contains(&st) {
                            acc.push(st);
                        }
                        acc
                    });
                if steps.is_empty() {
                    continue;
                }
                done.push(c.instruction);
                match c.script.items.first() {
                    Some(first)
                        if c.cmd
                            .argv
                            .first()
                            .is_none_or(|w| w.raw(&c.run.text) != "sudo") =>
                    {
                        edits.push(Edit::insert(
                            c.run.map.to_file(first.span.start),
                            format!("{} && ", steps.join(" && ")),
                        ));
                    }
                    _ => slim_steps_ok = false,
                }
            }
        }
        // Tools the image runs are installed explicitly on the smaller base, when the table
        // names their packages and the base installs with apt-get.
        let packages: Vec<String> = missing
            .iter()
            .flat_map(|t| t.packages.iter().cloned())
            .fold(Vec::new(), |mut acc, p| {
                if !acc.contains(&p) {
                    acc.push(p);
                }
                acc
            });
        let apt = base_images::family(&suggestion.new_repository, &suggestion.new_tag)
            .and_then(|f| f.package_manager.as_deref())
            == Some("apt-get");
        let addable = missing.iter().all(|t| !t.packages.is_empty()) && apt;
        let mut title = format!("Use `{new}`");
        if !missing.is_empty() && addable {
            if ends_with_continuation(file, root.from) || !file.diagnostics.is_empty() {
                builder.display_only_fix(title, edits);
                return;
            }
            let list = packages.join(" ");
            edits.push(insert_lines_after(
                file,
                from.span,
                &format!("RUN apt-get update && apt-get install -y --no-install-recommends {list} && rm -rf /var/lib/apt/lists/*"),
            ));
            title = format!("Use `{new}` and install {list}");
        }
        // Applied with --unsafe-fixes when the smaller variant lacks nothing the image uses (or
        // what it lacks is installed explicitly) and no RUN installs language packages that may
        // compile against headers only the bigger variant has. A JDK's tools, another image
        // (Replace) or a toolchain image: only shown.
        let applies = matches!(suggestion.kind, SuggestionKind::Slim | SuggestionKind::Jre)
            && !compiles
            && slim_steps_ok
            && (missing.is_empty() || addable);
        if applies {
            builder.unsafe_fix(title, edits);
        } else {
            builder.display_only_fix(title, edits);
        }
    }
}

/// The programs a CMD / ENTRYPOINT / HEALTHCHECK body starts: the first word, and in shell form
/// each word after `&&`, `||`, `;` and `|`.
fn program_names(body: &CommandBody) -> Vec<String> {
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    match body {
        CommandBody::Exec(args) => args.first().map(|a| base(&a.value)).into_iter().collect(),
        CommandBody::Shell(t) => {
            let mut out = Vec::new();
            let mut next_is_program = true;
            for w in t.text.split_whitespace() {
                if matches!(w, "&&" | "||" | ";" | "|") {
                    next_is_program = true;
                    continue;
                }
                if next_is_program {
                    out.push(base(w.trim_end_matches(';')));
                    next_is_program = w.ends_with(';');
                }
            }
            out
        }
    }
}
