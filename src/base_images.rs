//! Heavy official base images and their slimmer variants.
//!
//! One table, `rules/base-images.yaml`, embedded and parsed once. [`slim_variant`] turns an
//! image reference into a suggestion: the slim tag of the same image (`python:3.12-bookworm` ->
//! `python:3.12-slim-bookworm`), a JRE instead of a JDK, or, for toolchain images such as
//! `golang`, the image a runtime stage should use instead. It also says which tools the bigger
//! variant had, so a fix can add the ones the Dockerfile's commands need.
//!
//! Callers pass the tag as written after ARG expansion; a reference pinned by digest should get
//! no tag change (the digest names the old image), which is the caller's decision.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded table. A parse failure is a bug caught by `tests/base_images.rs`.
pub const TABLE_YAML: &str = include_str!("../rules/base-images.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseImages {
    pub default_codename: String,
    pub default_jdk: String,
    pub default_alpine: String,
    /// Registry prefixes of the official images (`docker.io/library/`).
    pub official_prefixes: Vec<String>,
    /// Debian and Ubuntu release codenames as they appear in tags.
    pub codenames: Vec<String>,
    /// Tag words that mark an already small variant (`slim`, `alpine`, `jre`).
    pub slim_markers: Vec<String>,
    pub tool_sets: BTreeMap<String, ToolSet>,
    /// Official images whose default user is root.
    #[serde(default)]
    pub root_by_default: Vec<String>,
    pub images: Vec<BaseImage>,
    pub families: Vec<Family>,
    pub users: Vec<ImageUser>,
    /// What fixes must know before they change or rely on an image.
    pub fix_facts: FixFacts,
    /// What images set in their configuration: default user, WORKDIR, environment.
    #[serde(default)]
    pub image_config: Vec<ImageConfig>,
}

/// The facts fixes check (operating system, tool versions, tags that exist, what slim strips).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixFacts {
    /// Tag words that decide the operating system (`alpine`, `windowsservercore`, `jammy`).
    pub os_tag_words: BTreeMap<String, String>,
    /// The operating system of a repository (official names, or a registry path).
    pub os_of_repository: BTreeMap<String, String>,
    /// The openjdk images are Oracle Linux from this Java version on.
    pub openjdk_oraclelinux_from: u32,
    /// eclipse-temurin JRE versions that have an image, per operating system.
    pub temurin_jre: BTreeMap<String, Vec<u32>>,
    /// node major version -> the npm major version its official image ships.
    pub node_npm: BTreeMap<String, u32>,
    /// node release codenames (`hydrogen`) -> node major version.
    pub node_codenames: BTreeMap<String, u32>,
    /// Debian/Ubuntu codename -> the npm major version of its `npm` package.
    pub distro_npm: BTreeMap<String, u32>,
    /// Debian/Ubuntu version tags (`12`, `22.04`) -> codename.
    pub distro_versions: BTreeMap<String, String>,
    /// Packages that need something a slim variant strips, and the step that restores it.
    pub slim_needs: Vec<SlimNeed>,
}

/// Packages whose install needs a path the slim variant lacks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlimNeed {
    /// Package names; `*` matches any run of characters (`openjdk-*-jre-headless`).
    pub packages: Vec<String>,
    pub path: String,
    /// The shell command that makes the install work on the slim variant.
    pub step: String,
}

/// `pattern` with `*` as a wildcard matches `name` whole.
fn glob_match(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len()
                && name.starts_with(head)
                && glob_match_rest(tail, &name[head.len()..])
        }
    }
}

fn glob_match_rest(pattern: &str, rest: &str) -> bool {
    if !pattern.contains('*') {
        return rest.ends_with(pattern);
    }
    (0..=rest.len())
        .filter(|i| rest.is_char_boundary(*i))
        .any(|i| glob_match(pattern, &rest[i..]))
}

/// The operating system of `repository:tag` (`debian`, `ubuntu`, `alpine`, `rhel`, `windows`,
/// `busybox`), official prefixes allowed; `None` when the table does not know it.
pub fn os_of(repository: &str, tag: &str) -> Option<&'static str> {
    let facts = &table().fix_facts;
    let name = split_official(repository)
        .map(|(_, n)| n)
        .unwrap_or(repository.trim());
    for word in tag.split('-') {
        let word = word.to_ascii_lowercase();
        // `alpine3.20`, `ltsc2022`, `windowsservercore-1809`
        let key = if word.starts_with("alpine") {
            "alpine".to_string()
        } else {
            word
        };
        if let Some(os) = facts.os_tag_words.get(&key) {
            return Some(os.as_str());
        }
    }
    if name == "openjdk" {
        let major: Option<u32> = tag
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok());
        if major.is_some_and(|m| m >= facts.openjdk_oraclelinux_from) {
            return Some("rhel");
        }
    }
    facts
        .os_of_repository
        .get(name)
        .or_else(|| {
            // the longest registry path prefix (`mcr.microsoft.com/windows/servercore`)
            facts
                .os_of_repository
                .iter()
                .filter(|(r, _)| r.contains('/') && repository.starts_with(r.as_str()))
                .max_by_key(|(r, _)| r.len())
                .map(|(_, os)| os)
        })
        .map(String::as_str)
}

/// Whether `eclipse-temurin:{version}-jre` exists for operating system `os`.
pub fn temurin_jre_exists(version: u32, os: &str) -> bool {
    table()
        .fix_facts
        .temurin_jre
        .get(os)
        .is_some_and(|v| v.contains(&version))
}

/// The npm major version of the official node image `node:tag`: from the node version the tag
/// starts with or its release codename; aliases (`lts`, `current`, `latest`, none) are recent
/// releases (the newest npm known). `None` when the tag is not understood.
pub fn node_image_npm(tag: &str) -> Option<u32> {
    let facts = &table().fix_facts;
    let first = tag.split('-').next().unwrap_or("");
    let major = first.split('.').next().unwrap_or("");
    if let Some(npm) = facts.node_npm.get(major) {
        return Some(*npm);
    }
    if let Some(node) = facts.node_codenames.get(first) {
        return facts.node_npm.get(&node.to_string()).copied();
    }
    let newest = facts.node_npm.values().copied().max();
    match first {
        "" | "lts" | "current" | "latest" | "slim" | "alpine" | "bookworm" | "bullseye"
        | "trixie" => newest,
        _ => None,
    }
}

/// The npm major version of node `major` (`setup_14.x`, `nvm install 14`).
pub fn node_npm(major: u32) -> Option<u32> {
    table().fix_facts.node_npm.get(&major.to_string()).copied()
}

/// The npm major version `apt-get install npm` gives on `repository:tag` (Debian or Ubuntu,
/// by the codename or version in the tag; `None` when the tag names neither).
pub fn distro_npm(repository: &str, tag: &str) -> Option<u32> {
    let facts = &table().fix_facts;
    if !matches!(os_of(repository, tag), Some("debian" | "ubuntu")) {
        return None;
    }
    tag.split('-').find_map(|w| {
        let codename = facts
            .distro_versions
            .get(w)
            .map(String::as_str)
            .unwrap_or(w);
        facts.distro_npm.get(codename).copied()
    })
}

/// The steps a slim variant needs before installing `package`, with the path each restores.
pub fn slim_needs(package: &str) -> impl Iterator<Item = &'static SlimNeed> + '_ {
    table()
        .fix_facts
        .slim_needs
        .iter()
        .filter(move |n| n.packages.iter().any(|p| glob_match(p, package)))
}

/// The configuration an image gives every stage built on it (see the table's comments).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageConfig {
    #[serde(default)]
    pub repositories: Vec<String>,
    #[serde(default)]
    pub repository_prefixes: Vec<String>,
    /// The default user for every tag (`root` when the image sets none).
    pub user: String,
    /// Overrides of `user` for tags matching a glob.
    #[serde(default)]
    pub tag_users: Vec<TagUser>,
    /// The entrypoint or server starts as root and switches to its own user.
    #[serde(default)]
    pub drops_privileges: bool,
    #[serde(default)]
    pub workdir: Option<String>,
    #[serde(default)]
    pub env: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagUser {
    pub tags: Vec<String>,
    pub user: String,
}

impl ImageConfig {
    /// The user a container of `tag` runs as (an empty tag means `latest`).
    pub fn user_for(&self, tag: &str) -> &str {
        let tag = if tag.is_empty() { "latest" } else { tag };
        self.tag_users
            .iter()
            .find(|t| t.tags.iter().any(|g| glob_match(g, tag)))
            .map_or(self.user.as_str(), |t| t.user.as_str())
    }

    /// Whether a container of `tag` runs as root (user `root` or uid 0).
    pub fn runs_as_root(&self, tag: &str) -> bool {
        matches!(self.user_for(tag), "root" | "0" | "0:0" | "root:root")
    }
}

/// The configuration entry of an image (`registry/repository` as written after ARG
/// expansion; official prefixes such as `docker.io/library/` allowed).
pub fn image_config(repository: &str) -> Option<&'static ImageConfig> {
    let repository = repository.trim();
    let official = split_official(repository).map(|(_, n)| n);
    table().image_config.iter().find(|c| {
        c.repositories
            .iter()
            .any(|r| Some(r.as_str()) == official || r == repository)
            || c.repository_prefixes
                .iter()
                .any(|p| repository.starts_with(p.as_str()))
    })
}

/// What a bigger variant carries that the smaller one lacks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolSet {
    /// The bigger variant has `-dev` header packages installed.
    pub headers: bool,
    pub tools: Vec<Tool>,
}

/// A command and the Debian packages that provide it (empty when no package can restore it).
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub command: String,
    pub packages: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    SlimSuffix,
    SlimBeforeCodename,
    JdkToJre,
    MinimalSuffix,
    Replace,
    BuildOnly,
    None,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseImage {
    pub repository: String,
    pub style: Style,
    /// The slim tag for `latest` (or no tag); none means no suggestion for `latest`.
    #[serde(default)]
    pub latest_tag: Option<String>,
    /// Tag words for which no smaller variant exists (`backports`).
    #[serde(default)]
    pub no_slim_words: Vec<String>,
    /// Runtime image template for `replace` and `build_only`.
    #[serde(default)]
    pub runtime: Option<String>,
    /// Runtime template when the tag is an Alpine one.
    #[serde(default)]
    pub alpine_runtime: Option<String>,
    /// Other runtime images worth naming (distroless).
    #[serde(default)]
    pub alternatives: Vec<String>,
    /// Name of the tool set (in `tool_sets`) the smaller variant lacks.
    #[serde(default)]
    pub missing: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// What kind of change a suggestion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionKind {
    /// The same image, slim (or minimal) tag.
    Slim,
    /// The same image, JRE instead of JDK.
    Jre,
    /// Another image (deprecated or build-environment base).
    Replace,
    /// A toolchain image: keep it for a build stage; the runtime stage uses the new image.
    BuildOnly,
}

/// A slimmer base for a final stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// Repository as the Dockerfile should spell it (the original prefix kept for the same image).
    pub new_repository: String,
    pub new_tag: String,
    /// Other runtime images worth naming in a message.
    pub alternatives: Vec<String>,
    /// Tools the current image has and the suggested one lacks.
    pub missing_tools: &'static [Tool],
    /// The current image has `-dev` headers the suggested one lacks.
    pub missing_headers: bool,
    pub note: Option<String>,
}

impl Suggestion {
    /// `repository:tag`.
    pub fn image(&self) -> String {
        format!("{}:{}", self.new_repository, self.new_tag)
    }

    /// The tool behind `command`, when the current image had it and the suggested one lacks it.
    pub fn missing_tool(&self, command: &str) -> Option<&'static Tool> {
        self.missing_tools.iter().find(|t| t.command == command)
    }
}

static TABLE: OnceLock<BaseImages> = OnceLock::new();

/// Parse a table (the embedded one, or another for tests).
pub fn parse_table(yaml: &str) -> Result<BaseImages, serde_yaml::Error> {
    serde_yaml::from_str(yaml)
}

/// The embedded table, parsed once.
pub fn table() -> &'static BaseImages {
    TABLE
        // The same table as JSON (build.rs converts it): an order of magnitude faster to parse.
        .get_or_init(|| {
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/base-images.json")))
                .expect("rules/base-images.yaml is tested to parse")
        })
}

/// The table entry for a repository, official prefixes (`docker.io/library/`) allowed.
pub fn lookup(repository: &str) -> Option<&'static BaseImage> {
    let (_, name) = split_official(repository)?;
    table().images.iter().find(|i| i.repository == name)
}

/// Whether an official image runs as root unless told otherwise (`None`: not known).
pub fn runs_as_root(repository: &str) -> Option<bool> {
    let (_, name) = split_official(repository)?;
    table()
        .root_by_default
        .iter()
        .any(|r| r == name)
        .then_some(true)
}

/// (`prefix`, `name`) when `repository` is an official image, possibly behind a known prefix.
fn split_official(repository: &str) -> Option<(&str, &str)> {
    let t = table();
    let repository = repository.trim();
    for p in &t.official_prefixes {
        if let Some(name) = repository.strip_prefix(p.as_str()) {
            if !name.contains('/') && !name.is_empty() {
                return Some((&repository[..p.len()], name));
            }
        }
    }
    // Images of other registries that the table names by their full path (the .NET images).
    if repository.contains('/') && t.images.iter().any(|i| i.repository == repository) {
        return Some(("", repository));
    }
    if repository.contains('/') || repository.is_empty() {
        return None;
    }
    Some(("", repository))
}

/// A slimmer base for `repository:tag` (an empty tag means `latest`), or `None` when the image
/// is not in the table, is already small, has no smaller official variant, or the tag holds an
/// unexpanded variable.
pub fn slim_variant(repository: &str, tag: &str) -> Option<Suggestion> {
    let suggestion = slim_variant_unchecked(repository, tag)?;
    checked(
        repository,
        if tag.is_empty() { "latest" } else { tag },
        suggestion,
    )
}

/// A suggestion only when it exists and keeps the operating system: an Alpine image gets an
/// Alpine runtime, a Windows image none (no Linux image can replace it), a JRE only for the
/// Java versions that have one on that system. Debian and Ubuntu both install with apt: a move
/// between them is kept, and the note says so.
fn checked(repository: &str, tag: &str, mut s: Suggestion) -> Option<Suggestion> {
    let from = os_of(repository, tag);
    let to = os_of(&s.new_repository, &s.new_tag);
    match (from, to) {
        (Some("windows"), _) | (_, Some("windows")) if from != to => return None,
        (Some(a), Some(b)) if a != b => {
            if !matches!((a, b), ("debian", "ubuntu") | ("ubuntu", "debian")) {
                return None;
            }
            let moved = format!(
                "`{}` is {}-based, the current image {}-based.",
                s.image(),
                title(b),
                title(a)
            );
            s.note = Some(match s.note.take() {
                Some(n) => format!("{n} {moved}"),
                None => moved,
            });
        }
        (Some("windows"), _) => return None,
        _ => {}
    }
    // A Temurin JRE of a version that has none.
    let temurin = split_official(&s.new_repository).map(|(_, n)| n) == Some("eclipse-temurin");
    if temurin && s.new_tag.split('-').any(|w| w == "jre") {
        let version: u32 = s
            .new_tag
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|v| v.parse().ok())?;
        if !temurin_jre_exists(version, to.unwrap_or("ubuntu")) {
            return None;
        }
    }
    Some(s)
}

fn title(os: &str) -> String {
    match os {
        "rhel" => "RHEL".to_string(),
        _ => {
            let mut c = os.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn slim_variant_unchecked(repository: &str, tag: &str) -> Option<Suggestion> {
    let t = table();
    let (prefix, name) = split_official(repository)?;
    let image = t.images.iter().find(|i| i.repository == name)?;
    let tag = if tag.is_empty() { "latest" } else { tag };
    if tag.contains('$') {
        return None;
    }
    let tokens: Vec<&str> = tag.split('-').collect();
    if tokens
        .iter()
        .any(|tok| image.no_slim_words.iter().any(|w| w == tok))
    {
        return None;
    }
    let (missing_tools, missing_headers) =
        match image.missing.as_deref().and_then(|m| t.tool_sets.get(m)) {
            Some(set) => (set.tools.as_slice(), set.headers),
            None => (&[][..], false),
        };
    let same_image = |kind: SuggestionKind, new_tag: String| Suggestion {
        kind,
        new_repository: repository.trim().to_string(),
        new_tag,
        alternatives: image.alternatives.clone(),
        missing_tools,
        missing_headers,
        note: image.note.clone(),
    };
    let latest = tag == "latest";
    let is_small = tokens.iter().any(|tok| {
        t.slim_markers.iter().any(|m| {
            tok == m
                || (m == "alpine" && tok.starts_with("alpine"))
                || tok.starts_with("windowsservercore")
                || tok.starts_with("nanoserver")
        })
    });
    match image.style {
        Style::None => None,
        Style::SlimSuffix | Style::MinimalSuffix => {
            if is_small {
                return None;
            }
            let word = if image.style == Style::SlimSuffix {
                "slim"
            } else {
                "minimal"
            };
            let new_tag = if latest {
                image.latest_tag.clone()?
            } else {
                format!("{tag}-{word}")
            };
            Some(same_image(SuggestionKind::Slim, new_tag))
        }
        Style::SlimBeforeCodename => {
            if is_small {
                return None;
            }
            if latest {
                return Some(same_image(SuggestionKind::Slim, image.latest_tag.clone()?));
            }
            let mut out: Vec<&str> = Vec::with_capacity(tokens.len() + 1);
            let mut inserted = false;
            for tok in &tokens {
                if !inserted && t.codenames.iter().any(|c| c == tok) {
                    out.push("slim");
                    inserted = true;
                }
                out.push(tok);
            }
            if !inserted {
                out.push("slim");
            }
            Some(same_image(SuggestionKind::Slim, out.join("-")))
        }
        Style::JdkToJre => {
            if is_small || latest {
                return None;
            }
            let new_tag = if tokens.contains(&"jdk") {
                tokens
                    .iter()
                    .map(|tok| if *tok == "jdk" { "jre" } else { tok })
                    .collect::<Vec<_>>()
                    .join("-")
            } else {
                let mut out = tokens.clone();
                out.insert(1.min(out.len()), "jre");
                out.join("-")
            };
            Some(same_image(SuggestionKind::Jre, new_tag))
        }
        Style::Replace | Style::BuildOnly => {
            let alpine = alpine_version(&tokens);
            let template = match (&alpine, &image.alpine_runtime) {
                (Some(_), Some(a)) => a,
                _ => image.runtime.as_ref()?,
            };
            let runtime = expand(template, tag, &tokens, alpine.as_deref())?;
            let (repo, new_tag) = split_reference(&runtime)?;
            Some(Suggestion {
                kind: if image.style == Style::Replace {
                    SuggestionKind::Replace
                } else {
                    SuggestionKind::BuildOnly
                },
                // an official image keeps the registry prefix the Dockerfile used
                new_repository: if repo.contains('/') {
                    repo.to_string()
                } else {
                    format!("{prefix}{repo}")
                },
                new_tag: new_tag.to_string(),
                alternatives: image.alternatives.clone(),
                missing_tools,
                missing_headers,
                note: image
                    .note
                    .as_ref()
                    .and_then(|n| expand(n, tag, &tokens, alpine.as_deref())),
            })
        }
    }
}

/// `alpine3.19` -> `3.19`; a bare `alpine` -> the default.
fn alpine_version(tokens: &[&str]) -> Option<String> {
    let tok = tokens.iter().find(|t| t.starts_with("alpine"))?;
    let v = tok.trim_start_matches("alpine");
    if v.is_empty() {
        Some(table().default_alpine.clone())
    } else {
        Some(v.to_string())
    }
}

/// Fill `{tag}`, `{major}`, `{codename}`, `{jdk}` and `{alpine}`; `None` when `{major}` is needed
/// and the tag has no leading number.
fn expand(template: &str, tag: &str, tokens: &[&str], alpine: Option<&str>) -> Option<String> {
    let t = table();
    let mut out = template.replace("{tag}", tag);
    if out.contains("{major}") {
        let first = tokens.first().copied().unwrap_or("");
        let major: String = first.chars().take_while(|c| c.is_ascii_digit()).collect();
        if major.is_empty() {
            return None;
        }
        out = out.replace("{major}", &major);
    }
    if out.contains("{codename}") {
        let codename = tokens
            .iter()
            .find(|tok| t.codenames.iter().any(|c| c == *tok))
            .map(|s| s.to_string())
            .unwrap_or_else(|| t.default_codename.clone());
        out = out.replace("{codename}", &codename);
    }
    if out.contains("{jdk}") {
        let jdk = jdk_version(tokens).unwrap_or_else(|| t.default_jdk.clone());
        out = out.replace("{jdk}", &jdk);
    }
    if out.contains("{alpine}") {
        let a = alpine
            .map(str::to_string)
            .unwrap_or_else(|| t.default_alpine.clone());
        out = out.replace("{alpine}", &a);
    }
    Some(out)
}

/// The JDK version named in a build tool's tag: `3.9-eclipse-temurin-17` -> 17,
/// `8.5-jdk21-jammy` -> 21, `3-amazoncorretto-21` -> 21.
fn jdk_version(tokens: &[&str]) -> Option<String> {
    let vendors = [
        "temurin",
        "openjdk",
        "corretto",
        "amazoncorretto",
        "sapmachine",
        "jdk",
        "graalvm",
        "semeru",
    ];
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    for (k, tok) in tokens.iter().enumerate() {
        if let Some(rest) = tok.strip_prefix("jdk") {
            if all_digits(rest) {
                return Some(rest.to_string());
            }
        }
        if k > 0 && all_digits(tok) && tokens.get(k - 1).is_some_and(|p| vendors.contains(p)) {
            return Some(tok.to_string());
        }
    }
    None
}

/// `debian:bookworm-slim` -> (`debian`, `bookworm-slim`); `None` without a tag.
fn split_reference(image: &str) -> Option<(&str, &str)> {
    let tag = crate::syntax::image_ref::split(image).tag?;
    Some((&image[..tag.start - 1], &image[tag]))
}

/// An operating-system family of base images (`debian`, `alpine`, `rhel`, `rhel-minimal`,
/// `distroless`, `scratch`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub name: String,
    #[serde(default)]
    pub repositories: Vec<String>,
    #[serde(default)]
    pub repository_prefixes: Vec<String>,
    /// Tag words that put an image in this family (`alpine`).
    #[serde(default)]
    pub tag_words: Vec<String>,
    /// The system package manager (a name in `rules/package-managers.yaml`).
    #[serde(default)]
    pub package_manager: Option<String>,
    /// Whether RUN has a shell.
    pub shell: bool,
    /// Shell command that creates the non-root user `app` (uid 10001).
    #[serde(default)]
    pub create_user: Option<String>,
}

/// A non-root user an image already has.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageUser {
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub repository_prefix: Option<String>,
    pub user: String,
    pub uid: u32,
}

/// The family of `repository:tag` (official prefixes allowed): a tag word first
/// (`python:3.12-alpine` is alpine), then the repository.
pub fn family(repository: &str, tag: &str) -> Option<&'static Family> {
    let t = table();
    let name = split_official(repository)
        .map(|(_, n)| n)
        .unwrap_or(repository.trim());
    let words: Vec<&str> = tag.split('-').collect();
    let by_tag = t.families.iter().find(|f| {
        f.tag_words.iter().any(|w| {
            words
                .iter()
                .any(|tok| tok == w || (w == "alpine" && tok.starts_with("alpine")))
        })
    });
    by_tag.or_else(|| {
        t.families.iter().find(|f| {
            f.repositories.iter().any(|r| r == name)
                || f.repository_prefixes
                    .iter()
                    .any(|p| repository.starts_with(p.as_str()))
        })
    })
}

/// A non-root user `repository` already has (`node` in the node images, `nonroot` in
/// distroless), with its uid.
pub fn existing_user(repository: &str) -> Option<&'static ImageUser> {
    let name = split_official(repository)
        .map(|(_, n)| n)
        .unwrap_or(repository.trim());
    table().users.iter().find(|u| {
        u.repository.as_deref() == Some(name)
            || u.repository_prefix
                .as_deref()
                .is_some_and(|p| repository.starts_with(p))
    })
}

/// Whether an image reference names a Windows image (Windows Server Core, Nano Server, or a
/// tag of a Windows variant): its RUN commands go to `cmd /S /C`, not a POSIX shell.
pub fn is_windows(repository: &str, tag: &str) -> bool {
    let repo = repository.to_ascii_lowercase();
    let tag = tag.to_ascii_lowercase();
    repo.starts_with("mcr.microsoft.com/windows")
        || repo.contains("/windows/")
        || repo.contains("nanoserver")
        || repo.contains("servercore")
        || [
            "windowsservercore",
            "nanoserver",
            "servercore",
            "windows-",
            "ltsc20",
        ]
        .iter()
        .any(|w| tag.contains(w))
}
