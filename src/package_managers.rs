//! Package-manager knowledge, in one place: the rules and fixes read it from here.
//!
//! One table, `rules/package-managers.yaml`, embedded in the binary and parsed on first use.
//! Rules and fixes read install subcommands, non-interactive flags, cache directories, cleanup
//! commands, cache-mount targets and version-pin syntax from here and never keep their own copy.
//!
//! The module works on words that the shell parser already split and unquoted: callers strip
//! wrappers such as `sudo`, `env X=1` or `DEBIAN_FRONTEND=noninteractive` before calling
//! [`parse_invocation`]. `python -m pip` (and `python3.12 -m uv`, ...) is recognised by
//! [`parse_invocation`]; [`by_command`] only looks at an executable name.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded table. A parse failure is a bug caught by `tests/package_managers.rs`.
pub const TABLE_YAML: &str = include_str!("../rules/package-managers.yaml");

/// The whole table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "'de: 'static"))]
pub struct PackageManagers {
    pub managers: Vec<PackageManager>,
    pub local_artifacts: LocalArtifacts,
    /// Debian (bookworm) `-dev` package -> runtime libraries it links against; empty when the
    /// runtime needs nothing beyond the base image.
    pub dev_to_runtime: BTreeMap<&'static str, Vec<&'static str>>,
    /// Debian (bookworm): a toolchain package -> what a program it built needs at run time
    /// instead (a JDK -> the JRE); empty when nothing.
    #[serde(default)]
    pub toolchain_runtime: BTreeMap<&'static str, Vec<&'static str>>,
    pub build_toolchain: BuildToolchain,
    /// Executable name -> index in `managers`, filled when the table is loaded: every command
    /// of every RUN is looked up here.
    #[serde(skip)]
    by_command: BTreeMap<&'static str, usize>,
}

/// Operating-system package manager or language tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    System,
    Language,
}

/// One package manager. Lists of flags hold exact spellings; the first entry is the canonical
/// one a fix inserts. Subcommand lists hold word sequences (`"pip install"` for uv).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageManager {
    pub name: &'static str,
    pub kind: Kind,
    /// debian, alpine, rhel, photon, suse, python, node, ruby, php, go, rust, conda.
    pub family: &'static str,
    /// Executable names.
    pub commands: Vec<&'static str>,
    /// Name when run as `python -m NAME`.
    #[serde(default)]
    pub python_module: Option<&'static str>,
    /// The bare command installs (`yarn`, `bundle`).
    #[serde(default)]
    pub bare_is_install: bool,
    pub install: Vec<&'static str>,
    /// Refresh the package index (`apt-get update`, `yum makecache`).
    /// Subcommands that download the project's dependencies while building (`cargo build`).
    #[serde(default)]
    pub fetch: Vec<&'static str>,
    /// Flags that keep a `fetch` subcommand from downloading (`--no-restore`, `--offline`).
    #[serde(default)]
    pub no_fetch_flags: Vec<&'static str>,
    /// Every invocation without a listed subcommand fetches (gradle's tasks).
    #[serde(default)]
    pub bare_is_fetch: bool,
    /// Words after `--` are passed on (`gem install x -- --with-cflags`), not packages.
    #[serde(default)]
    pub passes_args_after_dashes: bool,
    #[serde(default)]
    pub update: Vec<&'static str>,
    #[serde(default)]
    pub upgrade: Vec<&'static str>,
    #[serde(default)]
    pub remove: Vec<&'static str>,
    /// Subcommands that clean caches (`apt-get clean`, `npm cache clean`).
    #[serde(default)]
    pub clean: Vec<&'static str>,
    /// The cache directories the `clean` subcommands empty (`apt-get clean`: the archives, not
    /// the lists).
    #[serde(default)]
    pub clean_covers: Vec<&'static str>,
    /// Whether an install asks for confirmation unless told not to.
    pub prompts: bool,
    /// Flags that answer yes / turn off prompts, anywhere on the command line.
    #[serde(default)]
    pub yes_flags: Vec<&'static str>,
    /// Non-interactive flags that must come before the subcommand (zypper `-n`).
    #[serde(default)]
    pub yes_global_flags: Vec<&'static str>,
    /// Environment variables that answer yes (`CONDA_ALWAYS_YES`).
    #[serde(default)]
    pub yes_env: Vec<&'static str>,
    /// Install flags that refresh the index first (apk `--update`).
    #[serde(default)]
    pub update_flags: Vec<&'static str>,
    #[serde(default)]
    pub no_recommends_flags: Vec<&'static str>,
    /// Packages that only Recommend what their usual use needs (`curl` -> `ca-certificates`):
    /// installed explicitly when recommends are turned off.
    #[serde(default)]
    pub needed_recommends: BTreeMap<&'static str, Vec<&'static str>>,
    #[serde(default)]
    pub no_docs_flags: Vec<&'static str>,
    /// Flags that keep the download cache out of the image (`--no-cache-dir`, `--no-cache`).
    #[serde(default)]
    pub no_cache_flags: Vec<&'static str>,
    /// Environment variables that turn the cache off, with the values that do it.
    #[serde(default)]
    pub no_cache_env: Vec<EnvSwitch>,
    /// Environment variables that move the cache directory elsewhere.
    #[serde(default)]
    pub cache_dir_env: Vec<&'static str>,
    /// Options that take the next word as their value.
    #[serde(default)]
    pub value_flags: Vec<&'static str>,
    /// Options whose value is the version of every package (`gem install -v 1.2`).
    #[serde(default)]
    pub version_flags: Vec<&'static str>,
    /// Options whose value is a manifest (`pip install -r requirements.txt`).
    #[serde(default)]
    pub manifest_flags: Vec<&'static str>,
    /// The tool accepts `-yq` for `-y -q`.
    pub short_bundling: bool,
    #[serde(default)]
    pub cache_dirs: Vec<&'static str>,
    /// Shell commands that remove the cache; a fix appends them in order.
    #[serde(default)]
    pub cleanup: Vec<&'static str>,
    /// Other cleanup commands that also count as cleaning.
    #[serde(default)]
    pub cleanup_extra: Vec<&'static str>,
    #[serde(default)]
    pub cache_mounts: Vec<CacheMount>,
    /// Shell command to run in the same RUN so a cache mount actually keeps files.
    #[serde(default)]
    /// Owned: prose and shell text may hold quotes, which JSON escapes (no borrowing).
    pub cache_mount_setup: Option<String>,
    #[serde(default)]
    /// Owned: prose and shell text may hold quotes, which JSON escapes (no borrowing).
    pub cache_mount_caveat: Option<String>,
    /// Dependency manifests and lock files (for "copy manifests first").
    #[serde(default)]
    pub manifests: Vec<&'static str>,
    /// Manifests of development and test dependencies (`requirements-dev.txt`).
    #[serde(default)]
    pub dev_manifests: Vec<&'static str>,
    /// Subcommands that install exactly the lock file (`npm ci`).
    #[serde(default)]
    pub lockfile_install: Vec<&'static str>,
    /// Flags that make an install follow the lock file (`--frozen-lockfile`).
    #[serde(default)]
    pub lockfile_flags: Vec<&'static str>,
    /// Flags that leave development dependencies out (`--omit=dev`); may be two words.
    #[serde(default)]
    pub production_flags: Vec<&'static str>,
    #[serde(default)]
    pub production_env: Vec<&'static str>,
    /// A manager to use instead in Dockerfiles (`apt` -> `apt-get`).
    #[serde(default)]
    pub prefer: Option<&'static str>,
    #[serde(default)]
    pub pin: PinSyntax,
    #[serde(default)]
    /// Owned: prose and shell text may hold quotes, which JSON escapes (no borrowing).
    pub notes: Option<String>,
}

/// An environment variable that turns a cache off when set to one of `values`
/// (compared without regard to ASCII case).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvSwitch {
    pub name: &'static str,
    pub values: Vec<&'static str>,
}

/// BuildKit `--mount=type=cache` target and its `sharing=` mode.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheMount {
    pub target: &'static str,
    pub sharing: Sharing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sharing {
    Shared,
    Private,
    Locked,
}

impl Sharing {
    pub fn as_str(self) -> &'static str {
        match self {
            Sharing::Shared => "shared",
            Sharing::Private => "private",
            Sharing::Locked => "locked",
        }
    }
}

/// How a version is attached to a package argument.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "'de: 'static"))]
pub struct PinSyntax {
    /// `name OP version` (`=`, `==`, `>=`, `:` ...).
    #[serde(default)]
    pub operators: Vec<&'static str>,
    /// `name@version`; a leading `@` is an npm scope, not a version.
    #[serde(default)]
    pub at_sign: bool,
    /// RPM `name-version[-release]`: a dash followed by a digit.
    #[serde(default)]
    pub rpm_dash_version: bool,
    /// `user/repo` (no leading `@`) is a GitHub shorthand, not a registry package (npm).
    #[serde(default)]
    pub github_shorthand: bool,
    /// Versions that float and so do not pin (`latest`, `*`, an empty version).
    #[serde(default)]
    pub floating: Vec<&'static str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "'de: 'static"))]
pub struct LocalArtifacts {
    pub exact: Vec<&'static str>,
    pub prefixes: Vec<&'static str>,
    pub contains: Vec<&'static str>,
    pub suffixes: Vec<&'static str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "'de: 'static"))]
pub struct BuildToolchain {
    pub names: Vec<&'static str>,
    pub suffixes: Vec<&'static str>,
    /// Packages only a build needs that are not compilers or headers (`python3-pip`): the
    /// multi-stage split leaves them in the build stage.
    #[serde(default)]
    pub build_only: Vec<&'static str>,
}

static TABLE: OnceLock<PackageManagers> = OnceLock::new();

/// Parse a table (the embedded one, or another for tests).
///
/// The table's strings borrow from the text they are read from (no allocation per string,
/// which was a third of a one-file run), so a table read from YAML goes through JSON text that
/// lives for the rest of the process: fine for tests and the one embedded table.
pub fn parse_table(yaml: &str) -> Result<PackageManagers, String> {
    let value: serde_json::Value = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    let json: &'static str = Box::leak(value.to_string().into_boxed_str());
    serde_json::from_str(json)
        .map(PackageManagers::indexed)
        .map_err(|e| e.to_string())
}

impl PackageManagers {
    /// The table with its command index filled in.
    fn indexed(mut self) -> Self {
        for (i, m) in self.managers.iter().enumerate() {
            for c in &m.commands {
                // The first manager listing a command keeps it, as a search in order would.
                self.by_command.entry(c).or_insert(i);
            }
        }
        self
    }
}

/// The embedded table, parsed once.
pub fn table() -> &'static PackageManagers {
    // The same table as JSON (build.rs converts it): an order of magnitude faster to parse.
    TABLE.get_or_init(|| {
        serde_json::from_str::<PackageManagers>(include_str!(concat!(
            env!("OUT_DIR"),
            "/package-managers.json"
        )))
        .expect("rules/package-managers.yaml is tested to parse")
        .indexed()
    })
}

/// The manager an executable belongs to: `apt-get`, `/usr/bin/pip3`, `pip3.12`, `mamba`.
/// Does not look at `python -m pip`: use [`parse_invocation`] for whole command lines.
pub fn by_command(name: &str) -> Option<&'static PackageManager> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let t = table();
    let find = |n: &str| t.by_command.get(n).and_then(|&i| t.managers.get(i));
    if let Some(m) = find(base) {
        return Some(m);
    }
    // `pip3.12`, `pip3.11` -> `pip`
    let trimmed = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if !trimmed.is_empty() && trimmed != base {
        return find(trimmed);
    }
    None
}

/// The manager by its table name (`"apt-get"`, `"pip"`).
pub fn by_name(name: &str) -> Option<&'static PackageManager> {
    table().managers.iter().find(|m| m.name == name)
}

/// The manager run as `python -m MODULE`.
pub fn by_python_module(module: &str) -> Option<&'static PackageManager> {
    table()
        .managers
        .iter()
        .find(|m| m.python_module == Some(module))
}

/// What a command line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Install,
    /// Refresh the package index.
    Update,
    Upgrade,
    Remove,
    Clean,
    /// A build that downloads the project's dependencies first (`cargo build`, `mvn package`).
    Fetch,
    /// A subcommand the table does not classify (`npm run`, `pip list`), or none.
    Other,
}

/// An option word and, when it takes one, the index of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    pub index: usize,
    pub value: Option<usize>,
}

/// A package-manager command line split into its parts. Indices point into the `words` given
/// to [`parse_invocation`]; pass the same words to the methods.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub manager: &'static PackageManager,
    /// Words naming the tool: 1, or 3 for `python -m pip`.
    pub command_words: usize,
    pub subcommand: Option<Range<usize>>,
    pub action: Action,
    /// Every option, before and after the subcommand.
    pub options: Vec<Opt>,
    /// Options that came before the subcommand (global options).
    pub global_options: usize,
    /// Positional words after the subcommand: the packages of an install or remove.
    pub operands: Vec<usize>,
}

/// Split a command line (`words[0]` is the executable) into manager, subcommand, options and
/// operands. `None` when it is not a package manager from the table.
pub fn parse_invocation<S: AsRef<str>>(words: &[S]) -> Option<Invocation> {
    let first = words.first()?.as_ref();
    let (manager, command_words) = match python_module_of(words) {
        Some((module, len)) => (by_python_module(module)?, len),
        None => (by_command(first)?, 1),
    };
    let word = |i: usize| words.get(i).map(|w| w.as_ref());
    let mut options = Vec::new();
    let mut operands = Vec::new();
    let mut subcommand = None;
    let mut action = Action::Other;
    let mut i = command_words;
    let mut end_of_options = false;
    let mut saw_positional = false;

    while let Some(w) = word(i) {
        if !end_of_options && w == "--" {
            if manager.passes_args_after_dashes {
                break;
            }
            end_of_options = true;
            i += 1;
            continue;
        }
        if !end_of_options && is_option(w) {
            let value = if takes_value(manager, w) && word(i + 1).is_some() {
                Some(i + 1)
            } else {
                None
            };
            options.push(Opt { index: i, value });
            i += if value.is_some() { 2 } else { 1 };
            continue;
        }
        if subcommand.is_none() && !saw_positional {
            saw_positional = true;
            match match_subcommand(manager, words, i) {
                Some((a, len)) => {
                    action = a;
                    subcommand = Some(i..i + len);
                    i += len;
                }
                None => {
                    action = Action::Other;
                    subcommand = Some(i..i + 1);
                    i += 1;
                }
            }
            continue;
        }
        operands.push(i);
        i += 1;
    }
    // `yarn` alone installs; `yarn --version` or `yarn --help` only asks.
    let asks = options
        .iter()
        .any(|o| word(o.index).is_some_and(|w| INFO_FLAGS.contains(&w)));
    if subcommand.is_none() && manager.bare_is_install && !asks {
        action = Action::Install;
    }
    if action == Action::Other && manager.bare_is_fetch && !asks {
        action = Action::Fetch;
    }
    if action == Action::Fetch
        && options
            .iter()
            .any(|o| word(o.index).is_some_and(|w| manager.no_fetch_flags.contains(&w)))
    {
        action = Action::Other;
    }
    let global_options = match &subcommand {
        Some(r) => options.iter().filter(|o| o.index < r.start).count(),
        None => 0,
    };
    Some(Invocation {
        manager,
        command_words,
        subcommand,
        action,
        options,
        global_options,
        operands,
    })
}

/// `python -m pip ...`, `python3.12 -u -m uv ...`: the module name and how many words the
/// command takes.
fn python_module_of<S: AsRef<str>>(words: &[S]) -> Option<(&str, usize)> {
    let first = words.first()?.as_ref();
    let base = first.rsplit('/').next().unwrap_or(first);
    let stem = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if stem != "python" {
        return None;
    }
    let mut i = 1;
    while let Some(w) = words.get(i).map(|w| w.as_ref()) {
        if w == "-m" {
            let module = words.get(i + 1)?.as_ref();
            return Some((module, i + 2));
        }
        // interpreter flags such as -u, -B, -I; `-c` runs code: not a module
        if w.starts_with('-') && w != "-c" && w.len() > 1 {
            i += 1;
            continue;
        }
        return None;
    }
    None
}

/// Options that make a package manager print something and exit (a version probe).
const INFO_FLAGS: &[&str] = &["--version", "-v", "-V", "--help", "-h"];

fn is_option(w: &str) -> bool {
    w.len() > 1 && w.starts_with('-')
}

/// Whether option word `w` consumes the next word as its value.
fn takes_value(pm: &PackageManager, w: &str) -> bool {
    if w.contains('=') {
        return false;
    }
    if pm.value_flags.contains(&w) {
        return true;
    }
    // `-yt NAME`: in a bundle of short options the last one may take the next word; one in the
    // middle takes the rest of the bundle as its value
    if pm.short_bundling && !w.starts_with("--") && w.len() > 2 {
        let mut chars = w.chars().skip(1).peekable();
        while let Some(c) = chars.next() {
            if is_short_value_flag(pm, c) {
                return chars.peek().is_none();
            }
        }
    }
    false
}

/// Whether `-c` is one of the manager's value-taking options (no allocation: hot path).
fn is_short_value_flag(pm: &PackageManager, c: char) -> bool {
    pm.value_flags.iter().any(|f| {
        let mut it = f.chars();
        it.next() == Some('-') && it.next() == Some(c) && it.next().is_none()
    })
}

/// The longest subcommand from the table that starts at `words[i]`.
fn match_subcommand<S: AsRef<str>>(
    pm: &PackageManager,
    words: &[S],
    i: usize,
) -> Option<(Action, usize)> {
    let lists: [(Action, &Vec<&'static str>); 6] = [
        (Action::Install, &pm.install),
        (Action::Fetch, &pm.fetch),
        (Action::Update, &pm.update),
        (Action::Upgrade, &pm.upgrade),
        (Action::Remove, &pm.remove),
        (Action::Clean, &pm.clean),
    ];
    let mut best: Option<(Action, usize)> = None;
    for (action, list) in lists {
        for sub in list {
            let len = sub.split_whitespace().count();
            let matches = sub
                .split_whitespace()
                .enumerate()
                .all(|(k, p)| words.get(i + k).map(|w| w.as_ref()) == Some(p));
            if matches && best.is_none_or(|(_, l)| len > l) {
                best = Some((action, len));
            }
        }
    }
    best
}

impl Invocation {
    /// The subcommand words joined by a space (`"install"`, `"pip install"`).
    pub fn subcommand_text<S: AsRef<str>>(&self, words: &[S]) -> Option<String> {
        let range = self.subcommand.clone()?;
        let parts: Vec<&str> = words.get(range)?.iter().map(|w| w.as_ref()).collect();
        Some(parts.join(" "))
    }

    /// Whether any option matches one of `flags` (see [`flag_matches`] for the spellings).
    pub fn has_flag<S: AsRef<str>>(&self, words: &[S], flags: &[&str]) -> bool {
        self.options.iter().any(|o| {
            flags
                .iter()
                .any(|f| flag_matches(self.manager, words, *o, f))
        })
    }

    /// Whether an option before the subcommand matches one of `flags`.
    pub fn has_global_flag<S: AsRef<str>>(&self, words: &[S], flags: &[&str]) -> bool {
        self.options[..self.global_options].iter().any(|o| {
            flags
                .iter()
                .any(|f| flag_matches(self.manager, words, *o, f))
        })
    }

    /// The command line will not stop for a confirmation prompt. Environment variables
    /// (`yes_env`) are the caller's to check.
    pub fn is_non_interactive<S: AsRef<str>>(&self, words: &[S]) -> bool {
        let pm = self.manager;
        !pm.prompts
            || self.has_flag(words, &pm.yes_flags)
            || self.has_global_flag(words, &pm.yes_global_flags)
    }

    /// Operand words.
    pub fn operand_words<'w, S: AsRef<str>>(&self, words: &'w [S]) -> Vec<&'w str> {
        self.operands
            .iter()
            .filter_map(|&i| words.get(i).map(|w| w.as_ref()))
            .collect()
    }

    /// A version option pins every package (`gem install -v 1.2 rails`).
    pub fn pinned_by_flag<S: AsRef<str>>(&self, words: &[S]) -> bool {
        self.has_flag(words, &self.manager.version_flags)
    }

    /// Indices of registry packages installed without a version.
    pub fn unpinned_packages<S: AsRef<str>>(&self, words: &[S]) -> Vec<usize> {
        if self.action != Action::Install || self.pinned_by_flag(words) {
            return Vec::new();
        }
        self.operands
            .iter()
            .copied()
            .filter(|&i| {
                words
                    .get(i)
                    .is_some_and(|w| pin_status(self.manager, w.as_ref()) == PinStatus::Unpinned)
            })
            .collect()
    }
}

/// Whether option `opt` is spelled as `flag`. Accepts: the exact word; `--flag=value` when
/// `flag` is `--flag=value` and the value was given as the next word; `--long=VALUE` for a
/// bare `--long` flag unless VALUE turns it off; a short `-y` inside a bundle like `-qy` when
/// the manager bundles; two-word flags (`--omit dev`, `--without development test`).
pub fn flag_matches<S: AsRef<str>>(pm: &PackageManager, words: &[S], opt: Opt, flag: &str) -> bool {
    let Some(w) = words.get(opt.index).map(|w| w.as_ref()) else {
        return false;
    };
    if flag.contains(' ') {
        let parts: Vec<&str> = flag.split_whitespace().collect();
        return parts
            .iter()
            .enumerate()
            .all(|(k, p)| words.get(opt.index + k).map(|w| w.as_ref()) == Some(*p));
    }
    if w == flag {
        return true;
    }
    if let Some(v) = opt.value.and_then(|v| words.get(v)) {
        // `--setopt x=y` spelled as the table's `--setopt=x=y`
        if flag
            .strip_prefix(w)
            .and_then(|rest| rest.strip_prefix('='))
            .is_some_and(|rest| rest == v.as_ref())
        {
            return true;
        }
    }
    if flag.starts_with("--") && !flag.contains('=') {
        if let Some(value) = w.strip_prefix(flag).and_then(|rest| rest.strip_prefix('=')) {
            let off = ["false", "0", "no", "off"];
            return !off.iter().any(|o| value.eq_ignore_ascii_case(o));
        }
    }
    if pm.short_bundling && flag.len() == 2 && flag.starts_with('-') && flag != "--" {
        if w.starts_with("--") || w.len() <= 2 {
            return false;
        }
        let Some(wanted) = flag.chars().nth(1) else {
            return false;
        };
        for c in w.chars().skip(1) {
            if c == wanted {
                return true;
            }
            // the rest of the bundle is this option's value
            if is_short_value_flag(pm, c) {
                return false;
            }
        }
    }
    false
}

/// The package-manager cache directories one command removes, as (manager, directory) pairs:
/// `rm` of a cache directory, its contents (`dir/*`) or an ancestor of it, or a manager's clean
/// subcommand (the table's `clean_covers`). `~/` and `$HOME/` are read as `/root/` (the default
/// user of the images the table describes).
pub fn cleaned_cache_dirs<S: AsRef<str>>(
    words: &[S],
) -> Vec<(&'static PackageManager, &'static str)> {
    let mut out = Vec::new();
    let Some(first) = words.first().map(|w| w.as_ref()) else {
        return out;
    };
    if first.rsplit('/').next() == Some("rm") {
        let mut options_done = false;
        for w in words.iter().skip(1).map(|w| w.as_ref()) {
            if !options_done && w == "--" {
                options_done = true;
                continue;
            }
            if !options_done && is_option(w) {
                continue;
            }
            let path = home_to_root(w);
            let path = path.trim_end_matches(['*', '/']);
            if path.is_empty() {
                continue;
            }
            for m in &table().managers {
                for d in &m.cache_dirs {
                    let covered = *d == path
                        || d.strip_prefix(path)
                            .is_some_and(|rest| rest.starts_with('/'));
                    if covered
                        && !out.iter().any(|(om, od): &(&PackageManager, &str)| {
                            om.name == m.name && *od == *d
                        })
                    {
                        out.push((m, d));
                    }
                }
            }
        }
        return out;
    }
    if let Some(inv) = parse_invocation(words) {
        if inv.action == Action::Clean {
            for d in &inv.manager.clean_covers {
                out.push((inv.manager, d));
            }
        }
    }
    out
}

fn home_to_root(w: &str) -> String {
    for home in ["~/", "$HOME/", "${HOME}/"] {
        if let Some(rest) = w.strip_prefix(home) {
            return format!("/root/{rest}");
        }
    }
    w.to_string()
}

/// Whether a package argument names a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinStatus {
    Pinned,
    Unpinned,
    /// A file, directory, URL or VCS reference: nothing to pin in a registry.
    NotRegistry,
}

/// Whether `arg` is a local file, directory or URL rather than a registry package: `./x.deb`,
/// `*.whl`, `.`, `/tmp/pkg.tar.gz`, `git+https://...`, `https://...`.
pub fn is_local_artifact(arg: &str) -> bool {
    let la = &table().local_artifacts;
    la.exact.contains(&arg)
        || la.prefixes.iter().any(|p| arg.starts_with(p))
        || la.contains.iter().any(|c| arg.contains(c))
        || la.suffixes.iter().any(|s| arg.ends_with(s))
}

/// Split a package argument into name and version (`None` when no version is attached).
/// `apt-get`: `curl=7.88.*` -> (`curl`, `7.88.*`); npm `@types/node@20` -> (`@types/node`, `20`);
/// dnf `nginx-1.20.1-1.el8` -> (`nginx`, `1.20.1-1.el8`).
pub fn split_version<'a>(pm: &PackageManager, arg: &'a str) -> (&'a str, Option<&'a str>) {
    let pin = &pm.pin;
    let mut best: Option<(usize, usize)> = None; // (position, operator length)
    if !pin.operators.is_empty() {
        'outer: for (pos, _) in arg.char_indices().skip(1) {
            let rest = &arg[pos..];
            let mut found = 0;
            for op in &pin.operators {
                if rest.starts_with(op) && op.len() > found {
                    found = op.len();
                }
            }
            if found > 0 {
                best = Some((pos, found));
                break 'outer;
            }
        }
    }
    if pin.at_sign {
        // skip a scope's leading `@`
        if let Some(pos) = arg.get(1..).and_then(|s| s.find('@')).map(|p| p + 1) {
            if best.is_none_or(|(b, _)| pos < b) {
                best = Some((pos, 1));
            }
        }
    }
    if let Some((pos, len)) = best {
        return (&arg[..pos], Some(arg[pos + len..].trim()));
    }
    if pin.rpm_dash_version {
        for (pos, _) in arg.match_indices('-') {
            let tail = &arg[pos + 1..];
            // A version is digits, or a variable that holds them (`nginx-${NGINX_VERSION}`).
            let versionish = |s: &str| s.starts_with(|c: char| c.is_ascii_digit() || c == '$');
            if pos == 0 || !versionish(tail) {
                continue;
            }
            let segments: Vec<&str> = tail.split('-').collect();
            if segments.len() <= 2 && segments.iter().all(|s| versionish(s)) {
                return (&arg[..pos], Some(tail));
            }
        }
    }
    (arg, None)
}

/// Whether a package argument for `pm` is pinned, unpinned, or not a registry package.
pub fn pin_status(pm: &PackageManager, arg: &str) -> PinStatus {
    // A quoted word whose value is not known here (`"/dist/app.tar.gz${EXTRAS}"`) as written.
    if is_local_artifact(arg) || is_local_artifact(arg.trim_start_matches(['"', '\''])) {
        return PinStatus::NotRegistry;
    }
    if pm.pin.github_shorthand && !arg.starts_with('@') && arg.contains('/') {
        return PinStatus::NotRegistry;
    }
    match split_version(pm, arg).1 {
        Some(v) if !v.is_empty() && !pm.pin.floating.contains(&v) => PinStatus::Pinned,
        _ => PinStatus::Unpinned,
    }
}

/// A registry package argument carries a version that does not float. Local artifacts are not
/// pinned (check [`is_local_artifact`] or use [`pin_status`] first). Version options
/// (`gem -v`) are seen by [`Invocation::pinned_by_flag`], not here.
pub fn is_pinned(pm: &PackageManager, arg: &str) -> bool {
    pin_status(pm, arg) == PinStatus::Pinned
}

/// Whether `path` is, or is inside, `dir` (both absolute, compared lexically; a trailing `/*`
/// or `/` on either is ignored, so `rm -rf /var/lib/apt/lists/*` covers `/var/lib/apt/lists`).
pub fn path_within(path: &str, dir: &str) -> bool {
    let path = path.trim_end_matches('*').trim_end_matches('/');
    let dir = dir.trim_end_matches('*').trim_end_matches('/');
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The manager whose cache an `rm` of `path` removes: an absolute path at least two levels deep
/// (not `/` or `/var`) inside one of its cache directories or containing one; the first such
/// manager of the table.
pub fn cache_owner(path: &str) -> Option<&'static PackageManager> {
    let depth = path
        .trim_matches(|c| c == '/' || c == '*')
        .split('/')
        .count();
    if !path.starts_with('/') || depth < 2 {
        return None;
    }
    table()
        .managers
        .iter()
        .find(|m| m.removing_clears_cache(path))
}

impl PackageManager {
    /// Whether removing `path` (an absolute path an `rm` names, `/` excluded) removes this
    /// manager's cache: it is inside one of the cache directories, or contains one.
    pub fn removing_clears_cache(&self, path: &str) -> bool {
        // `~/.npm`, `$HOME/.npm`: the home of whoever runs it, as the table's `/root/...` are.
        let path = home_to_root(path);
        let path = path.as_str();
        path.len() > 1
            && path.starts_with('/')
            && self
                .cache_dirs
                .iter()
                .any(|d| path_within(path, d) || path_within(d, path))
    }

    /// Whether `NAME=value` in the environment turns this manager's cache off.
    pub fn cache_disabled_by_env(&self, name: &str, value: &str) -> bool {
        self.no_cache_env.iter().any(|e| {
            e.name == name
                && e.values
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case(value.trim()))
        })
    }

    /// Whether a manifest path (`-r requirements/dev.txt`, `./requirements-dev.txt`) lists
    /// development or test dependencies.
    pub fn is_dev_manifest(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./");
        self.dev_manifests
            .iter()
            .any(|m| path == *m || path.strip_suffix(m).is_some_and(|head| head.ends_with('/')))
    }

    /// Whether `path` is one of this manager's cache directories or inside one.
    pub fn is_cache_path(&self, path: &str) -> bool {
        let path = path.trim_end_matches(['/', '*']);
        self.cache_dirs.iter().any(|d| {
            path == *d
                || path
                    .strip_prefix(d)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Whether a cache mount on `target` covers this manager's cache (the target is a cache
    /// directory or one of the recommended mount targets, or contains one).
    pub fn is_cache_mount_target(&self, target: &str) -> bool {
        let target = target.trim_end_matches('/');
        if target.is_empty() {
            return false;
        }
        let covers = |d: &str| {
            d == target
                || d.strip_prefix(target)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        self.cache_mounts.iter().any(|m| covers(m.target))
            || self.cache_dirs.iter().any(|d| covers(d))
    }
}

impl PackageManagers {
    /// Runtime libraries for a Debian `-dev` package (`libpq-dev` -> `libpq5`). `None` when the
    /// table does not know the package; `Some(&[])` when nothing is needed at runtime.
    pub fn runtime_packages(&self, dev: &str) -> Option<&[&'static str]> {
        self.dev_to_runtime.get(dev).map(|v| v.as_slice())
    }

    /// A compiler, build tool or header package (`build-essential`, `gcc`, `libpq-dev`); every
    /// key of `dev_to_runtime` counts.
    /// A package only a build needs (see [`BuildToolchain::build_only`]).
    pub fn is_build_only(&self, package: &str) -> bool {
        self.build_toolchain.build_only.contains(&package)
    }

    pub fn is_build_toolchain(&self, package: &str) -> bool {
        let bt = &self.build_toolchain;
        bt.names.contains(&package)
            || self.dev_to_runtime.contains_key(package)
            || bt
                .suffixes
                .iter()
                .any(|s| package.len() > s.len() && package.ends_with(s))
    }
}
