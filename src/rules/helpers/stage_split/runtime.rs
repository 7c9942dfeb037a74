//! The runtime stage's base image and the packages the program needs in it.

use super::analysis::{Findings, Runtime};
use crate::base_images::{self, SuggestionKind};
use crate::package_managers;
use crate::semantic::Stage;
use crate::syntax::Dockerfile;

pub(super) fn runtime_for(file: &Dockerfile, stage: &Stage) -> Option<Runtime> {
    let base = &stage.base;
    if !base.is_external() || !base.unresolved.is_empty() {
        return None;
    }
    let repository = base.repository.as_deref()?;
    let full = match &base.registry {
        Some(r) => format!("{r}/{repository}"),
        None => repository.to_string(),
    };
    let tag = base.tag.clone().unwrap_or_default();
    let family = base_images::family(&full, &tag)?;
    let family_name: &'static str = match family.name.as_str() {
        "debian" => "debian",
        "alpine" => "alpine",
        _ => return None,
    };
    let name = full.rsplit('/').next().unwrap_or(&full);
    let as_written = stage
        .from_view(file)
        .map(|f| f.image.value.to_string())
        .unwrap_or_else(|| base.raw.clone());
    // A digest pins exactly one image: keep it (no slim variant can keep the pin).
    // A reference built from ARGs stays as written, so a `--build-arg` moves both stages.
    let suggestion = if base.digest.is_some() || as_written.contains('$') {
        None
    } else {
        base_images::slim_variant(&full, &tag)
    };
    let (image, missing) = match &suggestion {
        Some(s)
            if matches!(
                s.kind,
                SuggestionKind::Slim | SuggestionKind::BuildOnly | SuggestionKind::Replace
            ) =>
        {
            let missing = s
                .missing_tools
                .iter()
                .map(|t| (t.command.as_str(), t.packages.as_slice()))
                .collect();
            (s.image(), missing)
        }
        _ => (as_written, Vec::new()),
    };
    Some(Runtime {
        image,
        family: family_name,
        os_image: matches!(name, "debian" | "ubuntu" | "alpine"),
        missing,
        python_image: name == "python",
        golang_image: name == "golang",
    })
}

/// The packages the runtime stage installs: what the stage installed minus compilers, headers
/// and build-only helpers, plus the runtime library of each `-dev` package.
pub(super) fn runtime_packages(f: &Findings, runtime: &Runtime) -> Vec<String> {
    let table = package_managers::table();
    // `pkg=1.2`, `pkg>=1`, `pkg/bookworm` -> `pkg`.
    fn name(w: &str) -> &str {
        let end = w.find(['=', '<', '>', '~']).unwrap_or(w.len());
        w[..end].split('/').next().unwrap_or("")
    }
    let mut out: Vec<String> = Vec::new();
    // Names already listed: a set, not a scan of `out` per package (quadratic on long lists).
    let mut listed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut push = |p: &str, out: &mut Vec<String>| {
        if !listed.contains(name(p)) {
            listed.insert(name(p).to_string());
            out.push(p.to_string());
        }
    };
    for p in &f.packages {
        let n = name(p);
        if runtime.family != "debian" && (table.is_build_toolchain(n) || table.is_build_only(n)) {
            continue;
        }
        if let Some(libs) = table.dev_to_runtime.get(n) {
            for l in libs {
                push(l, &mut out);
            }
        } else if let Some(runtime_pkgs) = table.toolchain_runtime.get(n) {
            for l in runtime_pkgs {
                push(l, &mut out);
            }
        } else if table.is_build_toolchain(n) || table.is_build_only(n) {
            continue;
        } else {
            push(p, &mut out);
        }
    }
    if f.python && runtime.os_image {
        push("python3", &mut out);
    }
    out
}

/// The text that installs `packages` on the runtime base.
pub(super) fn install_run(family: &str, packages: &[String]) -> String {
    let list = packages.join(" ");
    // What a slim base strips that a package's install needs (the JRE's man page directory).
    let mut steps: Vec<&str> = Vec::new();
    for p in packages {
        for n in base_images::slim_needs(p.split('=').next().unwrap_or(p)) {
            if !steps.contains(&n.step.as_str()) {
                steps.push(n.step.as_str());
            }
        }
    }
    let first = if steps.is_empty() {
        String::new()
    } else {
        format!("{} \\\n && ", steps.join(" \\\n && "))
    };
    match family {
        "alpine" => format!("RUN apk add --no-cache {list}\n"),
        _ => format!(
            "RUN {first}apt-get update \\\n && apt-get install -y --no-install-recommends {list} \\\n && rm -rf /var/lib/apt/lists/*\n"
        ),
    }
}
