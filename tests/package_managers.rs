//! The package-manager table parses, is complete for what each kind of manager needs, states the
//! facts rules rely on, and its helpers split command lines and version pins correctly.

use whittle::package_managers::{
    self as pm, Action, Kind, PinStatus, Sharing, by_command, by_name, is_local_artifact,
    is_pinned, parse_invocation, pin_status, split_version, table,
};

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

fn manager(name: &str) -> &'static pm::PackageManager {
    by_name(name).unwrap_or_else(|| panic!("{name} is in the table"))
}

#[test]
fn embedded_table_parses() {
    let parsed = pm::parse_table(pm::TABLE_YAML);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    assert!(table().managers.len() >= 20);
}

#[test]
fn every_required_manager_is_present() {
    for name in [
        "apt-get", "apt", "apk", "dnf", "yum", "microdnf", "tdnf", "zypper", "pip", "uv", "poetry",
        "pipenv", "npm", "yarn", "pnpm", "gem", "bundler", "composer", "go", "cargo", "conda",
    ] {
        assert!(by_name(name).is_some(), "{name} missing");
    }
}

#[test]
fn every_manager_has_the_fields_its_kind_needs() {
    let mut seen_commands = std::collections::HashSet::new();
    let mut seen_names = std::collections::HashSet::new();
    for m in &table().managers {
        assert!(seen_names.insert(m.name), "duplicate name {}", m.name);
        assert!(!m.commands.is_empty(), "{}: no commands", m.name);
        for c in &m.commands {
            assert!(seen_commands.insert(*c), "command {c} in two managers");
        }
        assert!(!m.install.is_empty(), "{}: no install subcommand", m.name);
        assert!(!m.cache_dirs.is_empty(), "{}: no cache dirs", m.name);
        assert!(!m.cleanup.is_empty(), "{}: no cleanup command", m.name);
        assert!(!m.cache_mounts.is_empty(), "{}: no cache mount", m.name);
        for mount in &m.cache_mounts {
            assert!(
                mount.target.starts_with('/'),
                "{}: relative mount target",
                m.name
            );
        }
        for d in &m.cache_dirs {
            assert!(
                d.starts_with('/') && !d.ends_with('/'),
                "{}: bad cache dir {d}",
                m.name
            );
        }
        if m.prompts {
            assert!(
                !m.yes_flags.is_empty() || !m.yes_global_flags.is_empty(),
                "{} prompts but has no yes flag",
                m.name
            );
        }
        if m.kind == Kind::System {
            assert!(
                !m.update.is_empty(),
                "{}: system manager without update",
                m.name
            );
            assert!(
                !m.remove.is_empty(),
                "{}: system manager without remove",
                m.name
            );
        }
        let pin = &m.pin;
        let has_pin_syntax = !pin.operators.is_empty() || pin.at_sign || pin.rpm_dash_version;
        assert!(
            has_pin_syntax || !m.version_flags.is_empty(),
            "{}: no way to pin a version",
            m.name
        );
        for d in &m.clean_covers {
            assert!(
                m.cache_dirs.contains(d),
                "{}: clean covers {d}, not a cache dir",
                m.name
            );
        }
        for f in &m.value_flags {
            assert!(
                f.starts_with('-'),
                "{}: value flag {f} is not an option",
                m.name
            );
        }
    }
}

#[test]
fn by_command_resolves_aliases_and_paths() {
    assert_eq!(by_command("pip3").map(|m| m.name), Some("pip"));
    assert_eq!(by_command("pip3.12").map(|m| m.name), Some("pip"));
    assert_eq!(
        by_command("/usr/local/bin/pip").map(|m| m.name),
        Some("pip")
    );
    assert_eq!(by_command("micromamba").map(|m| m.name), Some("conda"));
    assert_eq!(by_command("mamba").map(|m| m.name), Some("conda"));
    assert_eq!(by_command("bundle").map(|m| m.name), Some("bundler"));
    assert_eq!(by_command("yarnpkg").map(|m| m.name), Some("yarn"));
    assert_eq!(by_command("apt").map(|m| m.name), Some("apt"));
    assert_eq!(by_command("apt-get").map(|m| m.name), Some("apt-get"));
    assert!(by_command("curl").is_none());
    assert!(by_command("python3").is_none());
    assert!(by_command("").is_none());
    assert!(by_command("3.12").is_none());
}

#[test]
fn facts_apt() {
    let apt = manager("apt-get");
    for f in ["-y", "--yes", "--assume-yes", "-qq"] {
        assert!(apt.yes_flags.contains(&f), "apt-get {f}");
    }
    assert_eq!(
        apt.no_recommends_flags.first().copied(),
        Some("--no-install-recommends")
    );
    assert!(apt.cache_dirs.contains(&"/var/lib/apt/lists"));
    assert!(apt.cleanup.contains(&"rm -rf /var/lib/apt/lists/*"));
    let targets: Vec<_> = apt
        .cache_mounts
        .iter()
        .map(|m| (m.target, m.sharing))
        .collect();
    assert!(targets.contains(&("/var/cache/apt", Sharing::Locked)));
    assert!(targets.contains(&("/var/lib/apt", Sharing::Locked)));
    let caveat = apt.cache_mount_caveat.as_deref().unwrap_or("");
    assert!(caveat.contains("docker-clean"));
    let setup = apt.cache_mount_setup.as_deref().unwrap_or("");
    assert!(setup.contains("rm -f /etc/apt/apt.conf.d/docker-clean"));
    assert_eq!(manager("apt").prefer, Some("apt-get"));
}

#[test]
fn facts_other_managers() {
    let apk = manager("apk");
    assert!(apk.no_cache_flags.contains(&"--no-cache"));
    assert!(!apk.prompts);
    assert!(apk.cache_dirs.contains(&"/var/cache/apk"));

    let zypper = manager("zypper");
    assert!(zypper.yes_global_flags.contains(&"-n"));
    assert!(zypper.yes_global_flags.contains(&"--non-interactive"));
    assert!(zypper.yes_flags.contains(&"--no-confirm"));
    assert!(zypper.cleanup.contains(&"zypper clean -a"));

    let dnf = manager("dnf");
    assert!(dnf.yes_flags.contains(&"--assumeyes"));
    assert!(dnf.no_docs_flags.contains(&"--nodocs"));
    assert!(
        dnf.no_recommends_flags
            .contains(&"--setopt=install_weak_deps=False")
    );
    assert_eq!(
        manager("yum").cleanup.first().copied(),
        Some("yum clean all")
    );
    assert_eq!(
        manager("microdnf").cleanup.first().copied(),
        Some("microdnf clean all")
    );

    let pip = manager("pip");
    assert_eq!(pip.no_cache_flags.first().copied(), Some("--no-cache-dir"));
    assert!(pip.cache_dirs.contains(&"/root/.cache/pip"));
    assert_eq!(pip.python_module, Some("pip"));

    let gem = manager("gem");
    assert!(gem.no_docs_flags.contains(&"--no-document"));
    assert!(gem.no_docs_flags.contains(&"-N"));

    let npm = manager("npm");
    assert!(npm.cache_dirs.contains(&"/root/.npm"));
    assert!(npm.cleanup.contains(&"npm cache clean --force"));
    assert!(npm.lockfile_install.contains(&"ci"));

    assert!(
        manager("yarn")
            .cache_dirs
            .contains(&"/usr/local/share/.cache/yarn")
    );
    assert!(manager("go").cache_dirs.contains(&"/root/.cache/go-build"));
    assert!(
        manager("cargo")
            .cache_dirs
            .contains(&"/usr/local/cargo/registry")
    );
    assert!(manager("conda").cleanup.contains(&"conda clean -afy"));
    assert!(manager("conda").cache_dirs.contains(&"/opt/conda/pkgs"));
}

#[test]
fn pip_no_cache_dir_env_quirk() {
    let pip = manager("pip");
    assert!(pip.cache_disabled_by_env("PIP_NO_CACHE_DIR", "1"));
    assert!(pip.cache_disabled_by_env("PIP_NO_CACHE_DIR", "true"));
    // pip >= 19 disables the cache for false-ish values too
    assert!(pip.cache_disabled_by_env("PIP_NO_CACHE_DIR", "off"));
    assert!(pip.cache_disabled_by_env("PIP_NO_CACHE_DIR", "False"));
    assert!(!pip.cache_disabled_by_env("PIP_NO_CACHE_DIR", "banana"));
    assert!(!pip.cache_disabled_by_env("PIP_CACHE_DIR", "1"));
    let uv = manager("uv");
    assert!(uv.cache_disabled_by_env("UV_NO_CACHE", "1"));
    assert!(!uv.cache_disabled_by_env("UV_NO_CACHE", "0"));
}

#[test]
fn cache_paths_and_mount_targets() {
    let apt = manager("apt-get");
    assert!(apt.is_cache_path("/var/lib/apt/lists/*"));
    assert!(apt.is_cache_path("/var/lib/apt/lists"));
    assert!(apt.is_cache_path("/var/cache/apt/archives/partial"));
    assert!(!apt.is_cache_path("/var/lib/apt/listsx"));
    assert!(!apt.is_cache_path("/tmp"));
    assert!(apt.is_cache_mount_target("/var/cache/apt"));
    assert!(apt.is_cache_mount_target("/var/lib/apt/"));
    assert!(!apt.is_cache_mount_target("/var/cache/apk"));
    assert!(!apt.is_cache_mount_target("/"));
    let pip = manager("pip");
    assert!(pip.is_cache_mount_target("/root/.cache/pip"));
    assert!(pip.is_cache_mount_target("/root/.cache"));
    assert!(!pip.is_cache_mount_target("/root/.cache/uv"));
}

#[test]
fn invocation_apt_get() {
    let w =
        words("apt-get -o Acquire::Retries=3 install -yq --no-install-recommends curl=7.88.* git");
    let inv = parse_invocation(&w).expect("apt-get");
    assert_eq!(inv.manager.name, "apt-get");
    assert_eq!(inv.action, Action::Install);
    assert_eq!(inv.subcommand_text(&w).as_deref(), Some("install"));
    assert_eq!(inv.operand_words(&w), vec!["curl=7.88.*", "git"]);
    assert!(inv.is_non_interactive(&w));
    assert!(inv.has_flag(&w, &inv.manager.no_recommends_flags));
    assert_eq!(inv.unpinned_packages(&w), vec![7]);

    let w = words("apt-get install curl");
    let inv = parse_invocation(&w).expect("apt-get");
    assert!(!inv.is_non_interactive(&w));
    let w = words("apt-get -qq install curl");
    assert!(parse_invocation(&w).is_some_and(|i| i.is_non_interactive(&w)));
    let w = words("apt-get -o APT::Get::Assume-Yes=true install curl");
    assert!(parse_invocation(&w).is_some_and(|i| i.is_non_interactive(&w)));
    let w = words("apt-get -o APT::Get::Assume-Yes=false install curl");
    assert!(parse_invocation(&w).is_some_and(|i| !i.is_non_interactive(&w)));
    let w = words("apt-get install -q curl");
    assert!(parse_invocation(&w).is_some_and(|i| !i.is_non_interactive(&w)));
    let w = words("apt-get update");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Update));
    let w = words("apt-get -t bookworm-backports install foo");
    let inv = parse_invocation(&w).expect("apt-get");
    assert_eq!(inv.operand_words(&w), vec!["foo"]);
    assert_eq!(inv.global_options, 1);
    let w = words("apt-get clean");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Clean));
    let w = words("apt-get purge -y --auto-remove gcc");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Remove));
}

#[test]
fn invocation_apk_virtual_is_not_a_package() {
    let w = words("apk add --no-cache --virtual .build-deps gcc musl-dev");
    let inv = parse_invocation(&w).expect("apk");
    assert_eq!(inv.operand_words(&w), vec!["gcc", "musl-dev"]);
    assert!(inv.has_flag(&w, &inv.manager.no_cache_flags));
    assert!(inv.is_non_interactive(&w));
    let w = words("apk add -t .deps make");
    let inv = parse_invocation(&w).expect("apk");
    assert_eq!(inv.operand_words(&w), vec!["make"]);
    let w = words("apk del .build-deps");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Remove));
}

#[test]
fn invocation_zypper_global_and_local_yes() {
    let w = words("zypper -n install curl");
    let inv = parse_invocation(&w).expect("zypper");
    assert!(inv.is_non_interactive(&w));
    let w = words("zypper install -y curl");
    assert!(parse_invocation(&w).is_some_and(|i| i.is_non_interactive(&w)));
    // -n after the subcommand is not the global non-interactive flag
    let w = words("zypper install -n curl");
    assert!(parse_invocation(&w).is_some_and(|i| !i.is_non_interactive(&w)));
    let w = words("zypper ref");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Update));
}

#[test]
fn invocation_pip_forms() {
    let w = words("python3 -m pip install --no-cache-dir -r requirements.txt flask==3.0 requests");
    let inv = parse_invocation(&w).expect("python -m pip");
    assert_eq!(inv.manager.name, "pip");
    assert_eq!(inv.command_words, 3);
    assert_eq!(inv.action, Action::Install);
    assert_eq!(inv.operand_words(&w), vec!["flask==3.0", "requests"]);
    assert!(inv.has_flag(&w, &inv.manager.no_cache_flags));
    assert!(inv.has_flag(&w, &inv.manager.manifest_flags));
    let w = words("/usr/bin/python3.12 -u -m pip install -e . pytest");
    let inv = parse_invocation(&w).expect("python -m pip");
    assert_eq!(inv.operand_words(&w), vec!["pytest"]);
    let w = words("python -c print(1)");
    assert!(parse_invocation(&w).is_none());
    let w = words("pip3 install -U pip");
    let inv = parse_invocation(&w).expect("pip3");
    assert_eq!(inv.operand_words(&w), vec!["pip"]);
    let w = words("uv pip install --system ruff");
    let inv = parse_invocation(&w).expect("uv");
    assert_eq!(inv.action, Action::Install);
    assert_eq!(inv.subcommand_text(&w).as_deref(), Some("pip install"));
    assert_eq!(inv.operand_words(&w), vec!["ruff"]);
}

#[test]
fn invocation_node_and_others() {
    let w = words("npm ci --omit=dev");
    let inv = parse_invocation(&w).expect("npm");
    assert_eq!(inv.action, Action::Install);
    assert!(inv.has_flag(&w, &inv.manager.production_flags));
    let w = words("npm ci --omit dev");
    let inv = parse_invocation(&w).expect("npm");
    assert!(inv.has_flag(&w, &inv.manager.production_flags));
    assert!(inv.operands.is_empty());
    let w = words("npm run build");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Other));
    let w = words("npm cache clean --force");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Clean));
    let w = words("yarn --frozen-lockfile");
    assert_eq!(
        parse_invocation(&w).map(|i| i.action),
        Some(Action::Install)
    );
    let w = words("yarn build");
    assert_eq!(parse_invocation(&w).map(|i| i.action), Some(Action::Other));
    // a version probe is not an install (a cleanup appended after it would need yarn)
    for probe in ["yarn --version", "yarn -v", "yarnpkg --help", "bundle -v"] {
        let w = words(probe);
        assert_eq!(
            parse_invocation(&w).map(|i| i.action),
            Some(Action::Other),
            "{probe}"
        );
    }
    let w = words("bundle");
    assert_eq!(
        parse_invocation(&w).map(|i| i.action),
        Some(Action::Install)
    );
    let w = words("go mod download");
    assert_eq!(
        parse_invocation(&w).map(|i| i.action),
        Some(Action::Install)
    );
    let w = words("conda env create -f environment.yml");
    let inv = parse_invocation(&w).expect("conda");
    assert_eq!(inv.subcommand_text(&w).as_deref(), Some("env create"));
    assert!(inv.operands.is_empty());
    let w = words("gem install -N -v 7.1 rails");
    let inv = parse_invocation(&w).expect("gem");
    assert!(inv.has_flag(&w, &inv.manager.no_docs_flags));
    assert!(inv.pinned_by_flag(&w));
    assert!(inv.unpinned_packages(&w).is_empty());
    let w = words("dnf install -y --setopt install_weak_deps=False nginx");
    let inv = parse_invocation(&w).expect("dnf");
    assert!(inv.has_flag(&w, &inv.manager.no_recommends_flags));
    assert_eq!(inv.operand_words(&w), vec!["nginx"]);
    let w = words("npm install -- --weird-name");
    let inv = parse_invocation(&w).expect("npm");
    assert_eq!(inv.operand_words(&w), vec!["--weird-name"]);
    let none: Vec<&str> = Vec::new();
    assert!(parse_invocation(&none).is_none());
}

#[test]
fn flag_false_value_does_not_count() {
    let w = words("npm install --production=false");
    let inv = parse_invocation(&w).expect("npm");
    assert!(!inv.has_flag(&w, &inv.manager.production_flags));
    let w = words("npm install --production=true");
    let inv = parse_invocation(&w).expect("npm");
    assert!(inv.has_flag(&w, &inv.manager.production_flags));
}

fn pin(name: &str, arg: &str) -> PinStatus {
    pin_status(manager(name), arg)
}

#[test]
fn pins_apt_apk_rpm_zypper() {
    assert!(is_pinned(manager("apt-get"), "curl=7.88.1-10"));
    assert!(is_pinned(manager("apt-get"), "curl=7.88.*"));
    assert!(!is_pinned(manager("apt-get"), "curl"));
    assert!(!is_pinned(manager("apt-get"), "curl/bookworm-backports"));
    assert!(!is_pinned(manager("apt-get"), "curl="));
    assert!(is_pinned(manager("apk"), "curl=8.5.0-r0"));
    assert!(is_pinned(manager("apk"), "curl~8.5"));
    assert!(is_pinned(manager("apk"), "curl>=8"));
    assert!(!is_pinned(manager("apk"), "curl"));
    for m in ["dnf", "yum", "microdnf", "tdnf"] {
        assert!(is_pinned(manager(m), "nginx-1.20.1"), "{m}");
        assert!(is_pinned(manager(m), "nginx-1.20.1-1.el8"), "{m}");
        assert!(!is_pinned(manager(m), "nginx"), "{m}");
        assert!(!is_pinned(manager(m), "java-11-openjdk"), "{m}");
        assert!(is_pinned(manager(m), "java-11-openjdk-11.0.20"), "{m}");
    }
    assert_eq!(
        split_version(manager("dnf"), "nginx-1.20.1-1.el8"),
        ("nginx", Some("1.20.1-1.el8"))
    );
    assert!(is_pinned(manager("zypper"), "curl=8.0"));
    assert!(is_pinned(manager("zypper"), "curl>=8.0"));
    assert!(!is_pinned(manager("zypper"), "curl"));
}

#[test]
fn pins_language_managers() {
    for m in ["pip", "uv", "pipenv"] {
        assert_eq!(pin(m, "flask==3.0.0"), PinStatus::Pinned, "{m}");
        assert_eq!(pin(m, "flask>=3"), PinStatus::Pinned, "{m}");
        assert_eq!(pin(m, "flask~=3.0"), PinStatus::Pinned, "{m}");
        assert_eq!(pin(m, "flask[async]==3.0"), PinStatus::Pinned, "{m}");
        assert_eq!(pin(m, "flask"), PinStatus::Unpinned, "{m}");
        assert_eq!(pin(m, "flask!=3.0"), PinStatus::Unpinned, "{m}");
        assert_eq!(
            pin(m, "./dist/app-1.0-py3-none-any.whl"),
            PinStatus::NotRegistry,
            "{m}"
        );
        assert_eq!(
            pin(m, "git+https://example.com/x.git"),
            PinStatus::NotRegistry,
            "{m}"
        );
        assert_eq!(
            pin(m, "flask@https://example.com/f.tar.gz"),
            PinStatus::NotRegistry,
            "{m}"
        );
    }
    assert_eq!(
        split_version(manager("pip"), "flask>=3"),
        ("flask", Some("3"))
    );
    assert_eq!(pin("poetry", "flask@^3.0"), PinStatus::Pinned);
    assert_eq!(pin("poetry", "flask@latest"), PinStatus::Unpinned);
    for m in ["npm", "yarn", "pnpm"] {
        assert_eq!(pin(m, "express@4.18.2"), PinStatus::Pinned, "{m}");
        assert_eq!(pin(m, "@types/node@20"), PinStatus::Pinned, "{m}");
        assert_eq!(pin(m, "@types/node"), PinStatus::Unpinned, "{m}");
        assert_eq!(pin(m, "express"), PinStatus::Unpinned, "{m}");
        assert_eq!(pin(m, "express@latest"), PinStatus::Unpinned, "{m}");
        assert_eq!(pin(m, "expressjs/express"), PinStatus::NotRegistry, "{m}");
    }
    assert_eq!(
        split_version(manager("npm"), "@types/node@20"),
        ("@types/node", Some("20"))
    );
    assert_eq!(pin("gem", "rails:7.1.0"), PinStatus::Pinned);
    assert_eq!(pin("gem", "rails"), PinStatus::Unpinned);
    assert_eq!(
        pin("go", "golang.org/x/tools/gopls@v0.14.2"),
        PinStatus::Pinned
    );
    assert_eq!(
        pin("go", "golang.org/x/tools/gopls@latest"),
        PinStatus::Unpinned
    );
    assert_eq!(pin("go", "golang.org/x/tools/gopls"), PinStatus::Unpinned);
    assert_eq!(pin("go", "./cmd/server"), PinStatus::NotRegistry);
    assert_eq!(pin("cargo", "ripgrep@14.1.0"), PinStatus::Pinned);
    assert_eq!(pin("cargo", "ripgrep"), PinStatus::Unpinned);
    assert_eq!(pin("composer", "monolog/monolog:^3.5"), PinStatus::Pinned);
    assert_eq!(pin("composer", "monolog/monolog"), PinStatus::Unpinned);
    assert_eq!(pin("conda", "numpy=1.26"), PinStatus::Pinned);
    assert_eq!(pin("conda", "numpy>=1.26"), PinStatus::Pinned);
    assert_eq!(pin("conda", "numpy 1.26"), PinStatus::Pinned);
    assert_eq!(pin("conda", "numpy"), PinStatus::Unpinned);
}

#[test]
fn local_artifacts() {
    for a in [
        ".",
        "./app.deb",
        "../x",
        "/tmp/pkg.rpm",
        "dist/app-1.0.whl",
        "app.tar.gz",
        "https://x.org/a",
        "git+ssh://git@x/y.git",
        "file:../lib",
        "$PKG",
    ] {
        assert!(is_local_artifact(a), "{a}");
    }
    for a in [
        "curl",
        "flask==3.0",
        "@types/node",
        "golang.org/x/tools/gopls@v0.1",
    ] {
        assert!(!is_local_artifact(a), "{a}");
    }
}

#[test]
fn dev_to_runtime_and_toolchain() {
    let t = table();
    assert_eq!(t.runtime_packages("libpq-dev"), Some(&["libpq5"][..]));
    assert_eq!(t.runtime_packages("libssl-dev"), Some(&["libssl3"][..]));
    assert_eq!(t.runtime_packages("zlib1g-dev"), Some(&["zlib1g"][..]));
    assert_eq!(t.runtime_packages("libffi-dev"), Some(&["libffi8"][..]));
    assert_eq!(
        t.runtime_packages("libjpeg-dev"),
        Some(&["libjpeg62-turbo"][..])
    );
    assert_eq!(
        t.runtime_packages("default-libmysqlclient-dev"),
        Some(&["libmariadb3"][..])
    );
    assert_eq!(t.runtime_packages("python3-dev"), Some(&[][..]));
    assert_eq!(t.runtime_packages("curl"), None);
    assert!(t.is_build_toolchain("libmariadb-dev-compat"));
    for (dev, runtimes) in &t.dev_to_runtime {
        for r in runtimes {
            assert!(
                !t.is_build_toolchain(r),
                "{r} (runtime of {dev}) counted as toolchain"
            );
        }
    }
    for p in [
        "build-essential",
        "gcc",
        "g++",
        "make",
        "cmake",
        "golang",
        "cargo",
        "rustc",
        "libpq-dev",
        "openssl-devel",
        "linux-headers",
    ] {
        assert!(t.is_build_toolchain(p), "{p}");
    }
    for p in ["curl", "ca-certificates", "libpq5", "git", "-dev"] {
        assert!(!t.is_build_toolchain(p), "{p}");
    }
}

fn cleaned(cmd: &str) -> Vec<(String, String)> {
    pm::cleaned_cache_dirs(&words(cmd))
        .into_iter()
        .map(|(m, d)| (m.name.to_string(), d.to_string()))
        .collect()
}

fn pair(m: &str, d: &str) -> (String, String) {
    (m.to_string(), d.to_string())
}

#[test]
fn cleanup_commands() {
    assert!(
        cleaned("rm -rf /var/lib/apt/lists/*").contains(&pair("apt-get", "/var/lib/apt/lists"))
    );
    assert!(cleaned("rm -rf /var/lib/apt/lists").contains(&pair("apt", "/var/lib/apt/lists")));
    // an ancestor covers both apt directories under it
    let var_lib = cleaned("rm -rf /var/lib/apt");
    assert!(var_lib.contains(&pair("apt-get", "/var/lib/apt/lists")));
    assert!(!var_lib.contains(&pair("apt-get", "/var/cache/apt/archives")));
    // a subdirectory does not clean the whole cache
    assert!(cleaned("rm -rf /var/cache/apt/archives/partial").is_empty());
    assert!(cleaned("rm -rf ~/.cache/pip").contains(&pair("pip", "/root/.cache/pip")));
    assert!(cleaned("rm -rf $HOME/.npm").contains(&pair("npm", "/root/.npm")));
    assert!(cleaned("rm -rf /tmp/* /var/cache/apk/*").contains(&pair("apk", "/var/cache/apk")));
    assert!(cleaned("rm -rf /*").is_empty());
    // apt-get clean empties the archives, not the lists
    assert_eq!(
        cleaned("apt-get clean"),
        vec![pair("apt-get", "/var/cache/apt/archives")]
    );
    assert_eq!(
        cleaned("yum clean all"),
        vec![pair("yum", "/var/cache/yum")]
    );
    assert_eq!(
        cleaned("npm cache clean --force"),
        vec![pair("npm", "/root/.npm")]
    );
    assert!(cleaned("conda clean -afy").contains(&pair("conda", "/opt/conda/pkgs")));
    assert!(cleaned("apt-get install -y curl").is_empty());
    assert!(cleaned("echo rm -rf /var/lib/apt/lists").is_empty());
    let none: Vec<&str> = Vec::new();
    assert!(pm::cleaned_cache_dirs(&none).is_empty());
}

#[test]
fn dev_manifests() {
    let pip = manager("pip");
    assert!(pip.is_dev_manifest("requirements-dev.txt"));
    assert!(pip.is_dev_manifest("./requirements/dev.txt"));
    assert!(pip.is_dev_manifest("/app/requirements/test.txt"));
    assert!(!pip.is_dev_manifest("requirements.txt"));
    assert!(!pip.is_dev_manifest("myrequirements-dev.txt"));
    let w = words("pip install -r requirements-dev.txt");
    let inv = parse_invocation(&w).expect("pip");
    let dev = inv.options.iter().any(|o| {
        o.value
            .and_then(|v| w.get(v))
            .is_some_and(|v| pip.is_dev_manifest(v))
    });
    assert!(dev);
}

#[test]
fn builds_that_download_dependencies_are_fetches() {
    for (line, action) in [
        ("cargo build --release", Action::Fetch),
        ("cargo build --release --offline", Action::Other),
        ("go build -o /app ./cmd/app", Action::Fetch),
        ("mvn -B package -DskipTests", Action::Fetch),
        ("mvn -B dependency:go-offline", Action::Install),
        ("./gradlew installDist", Action::Fetch),
        ("gradle build -x test", Action::Fetch),
        ("gradle --version", Action::Other),
        ("dotnet restore app.csproj", Action::Install),
        ("dotnet publish -c Release -o /app", Action::Fetch),
        (
            "dotnet publish -c Release -o /app --no-restore",
            Action::Other,
        ),
        ("mix deps.get --only prod", Action::Install),
        ("yarn --version", Action::Other),
        ("yarn --frozen-lockfile", Action::Install),
        ("bundle -v", Action::Other),
    ] {
        let w = words(line);
        let inv = parse_invocation(&w).unwrap_or_else(|| panic!("{line}: not read"));
        assert_eq!(inv.action, action, "{line}");
    }
}
