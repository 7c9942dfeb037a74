//! WH150 `secret-sent-by-copy`: see `rules/WH150.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::build_context::local_sources;
use crate::diagnostic::Severity;
use crate::dockerignore::Matcher;
use crate::syntax::Dockerfile;
use std::collections::BTreeSet;

pub struct SecretSentByCopy;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH150"),
    name: SharedStr::new("secret-sent-by-copy"),
    category: Category::Security,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DS-0031"],
    default_enabled: true,
    context: ContextUse::SentFilesWhenCopyingDirectory,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH150.md")),
};

/// How many names a message lists before "and N more".
const LISTED: usize = 3;

/// Directories whose whole content is secret: reported once, as `dir/`.
const SECRET_DIRS: [&str; 3] = [".git", ".aws", ".ssh"];

/// Template files that are meant to be committed (`.env.example`).
const TEMPLATE_SUFFIXES: [&str; 5] = [".example", ".sample", ".template", ".dist", ".defaults"];

/// Directories of test data and examples: their keys and certificates are fixtures.
const FIXTURE_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "test-data",
    "fixtures",
    "__fixtures__",
    "__tests__",
    "spec",
    "e2e",
    "example",
    "examples",
    "testing",
];

/// Extensions of source and documentation files: `credentials.py` is code about credentials.
const SOURCE_EXTENSIONS: &[&str] = &[
    ".py", ".js", ".ts", ".tsx", ".jsx", ".go", ".rb", ".java", ".kt", ".rs", ".php", ".cs", ".md",
    ".rst", ".html", ".vue", ".svelte", ".c", ".h", ".cpp", ".swift", ".scala", ".ex", ".exs",
    ".mjs", ".cjs", ".snap",
];

/// The name to report for `path` (relative to the context) when it looks like a secret: the
/// path itself, or its secret directory (`.git/`).
pub fn secret_name(path: &str) -> Option<String> {
    let mut parts = path.split('/').peekable();
    let mut prefix_len = 0;
    while let Some(part) = parts.next() {
        prefix_len += part.len() + 1;
        let is_last = parts.peek().is_none();
        if !is_last && SECRET_DIRS.contains(&part) {
            return path.get(..prefix_len).map(str::to_string);
        }
        if !is_last && FIXTURE_DIRS.iter().any(|d| part.eq_ignore_ascii_case(d)) {
            return None;
        }
        if is_last && secret_file_name(part) {
            return Some(path.to_string());
        }
    }
    None
}

/// `needle` (lower case) anywhere in `name`, ignoring ASCII case.
fn contains(name: &str, needle: &str) -> bool {
    name.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn secret_file_name(name: &str) -> bool {
    // Case-insensitive without allocating: this runs for every file of the build context.
    let starts = |p: &str| {
        name.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    let ends = |p: &str| {
        name.len() >= p.len()
            && name
                .get(name.len() - p.len()..)
                .is_some_and(|t| t.eq_ignore_ascii_case(p))
    };
    let key_pair = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|k| starts(k))
        && !ends(".pub");
    let env = (name.eq_ignore_ascii_case(".env") || starts(".env."))
        && !TEMPLATE_SUFFIXES.iter().any(|s| ends(s));
    // A certificate, CA bundle or public key is public by design.
    let public = [
        "cert", "ca.", "cacert", "bundle", "chain", "root", "pub", "public",
    ]
    .iter()
    .any(|w| contains(name, w));
    let source = SOURCE_EXTENSIONS.iter().any(|e| ends(e));
    env || key_pair
        || (ends(".pem") && !public)
        || (ends(".key") && !public)
        || name.eq_ignore_ascii_case(".npmrc")
        || name.eq_ignore_ascii_case(".pypirc")
        || (starts("credentials") && !source)
}

impl Rule for SecretSentByCopy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let Some(bc) = cx.build_context().and_then(|b| b.located()) else {
            return;
        };
        // Only copies into the stages that make the image: what a build stage copies is not
        // published (only what it produces, copied out with COPY --from).
        let sem = cx.semantic();
        let image = super::helpers::run_commands::image_stages(sem);
        let in_image = |span: crate::syntax::Span| {
            file.instructions
                .iter()
                .position(|i| i.keyword_span == span)
                .and_then(|i| sem.stage_of(i))
                .is_some_and(|s| image.contains(&s.index))
        };
        for src in local_sources(file) {
            // `COPY .` without any ignore file is WH350's finding (the whole context goes in,
            // secrets included): one report, not two.
            let whole_without_ignore = src.path == "." && bc.ignore_name.is_none();
            if src.wildcard || !in_image(src.keyword_span) || whole_without_ignore {
                continue;
            }
            // Secret-looking files under a directory source (a file source names its file on
            // purpose); the names are found once per context, not once per Dockerfile.
            let Some(secrets) = bc.secrets_under(&src.path, secret_name) else {
                return; // the context was not walked
            };
            let excludes = Matcher::new(&src.excludes).ok();
            let mut names = BTreeSet::new();
            for (f, name) in secrets {
                let rel = if src.path == "." {
                    f
                } else {
                    f.get(src.path.len() + 1..).unwrap_or(f)
                };
                if excludes.as_ref().is_some_and(|m| m.is_excluded(rel)) {
                    continue;
                }
                // In a git repository only the untracked files are private: a committed
                // `.env.production` or test key is already public.
                if bc.local_secrets.as_ref().is_some_and(|l| !l.contains(name)) {
                    continue;
                }
                names.insert(name);
            }
            if names.is_empty() {
                continue;
            }
            let mut list: Vec<String> = names
                .iter()
                .take(LISTED)
                .map(|n| format!("`{n}`"))
                .collect();
            if names.len() > LISTED {
                list.push(format!("and {} more", names.len() - LISTED));
            }
            let verb = if src.is_add { "ADD" } else { "COPY" };
            cx.report(
                src.span,
                format!(
                    "`{verb} {}` sends secret-looking files into the image: {}; exclude them in {}",
                    src.path,
                    list.join(", "),
                    bc.ignore_name(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::secret_name;

    #[test]
    fn secret_names() {
        assert_eq!(secret_name(".env").as_deref(), Some(".env"));
        assert_eq!(
            secret_name("app/.env.local").as_deref(),
            Some("app/.env.local")
        );
        assert_eq!(secret_name(".env.example"), None);
        assert_eq!(secret_name(".git/HEAD").as_deref(), Some(".git/"));
        assert_eq!(
            secret_name("home/.ssh/config").as_deref(),
            Some("home/.ssh/")
        );
        assert_eq!(
            secret_name("certs/tls.PEM").as_deref(),
            Some("certs/tls.PEM")
        );
        assert_eq!(secret_name("id_rsa").as_deref(), Some("id_rsa"));
        assert_eq!(secret_name("id_rsa.pub"), None);
        assert_eq!(secret_name("src/main.rs"), None);
        assert_eq!(secret_name("lib/certifi/cacert.pem"), None);
        assert_eq!(secret_name("cmd/util/testdata/test.key.pem"), None);
        assert_eq!(secret_name("src/prefect_aws/credentials.py"), None);
        assert_eq!(secret_name("roots/distsign-prod-root-1-pub.pem"), None);
        assert_eq!(
            secret_name("deploy/server.key").as_deref(),
            Some("deploy/server.key")
        );
        assert_eq!(secret_name(".gitignore"), None);
        assert_eq!(
            secret_name(".git"),
            None,
            "a file named .git (worktree link)"
        );
    }
}
