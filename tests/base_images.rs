//! The base-image table parses and turns heavy bases into the right slimmer references.

use whittle::base_images::{self as bi, SuggestionKind, slim_variant};

fn image(repo: &str, tag: &str) -> Option<String> {
    slim_variant(repo, tag).map(|s| s.image())
}

#[test]
fn embedded_table_parses_and_is_consistent() {
    let parsed = bi::parse_table(bi::TABLE_YAML);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    let t = bi::table();
    for img in &t.images {
        if let Some(set) = &img.missing {
            assert!(
                t.tool_sets.contains_key(set),
                "{}: unknown tool set {set}",
                img.repository
            );
        }
        match img.style {
            bi::Style::Replace | bi::Style::BuildOnly => {
                assert!(img.runtime.is_some(), "{} needs a runtime", img.repository)
            }
            bi::Style::None => assert!(img.note.is_some(), "{} needs a note", img.repository),
            _ => {}
        }
    }
}

#[test]
fn debian() {
    assert_eq!(
        image("debian", "bookworm").as_deref(),
        Some("debian:bookworm-slim")
    );
    assert_eq!(image("debian", "12").as_deref(), Some("debian:12-slim"));
    assert_eq!(
        image("debian", "bookworm-20240110").as_deref(),
        Some("debian:bookworm-20240110-slim")
    );
    assert_eq!(image("debian", "").as_deref(), Some("debian:stable-slim"));
    assert_eq!(
        image("debian", "latest").as_deref(),
        Some("debian:stable-slim")
    );
    assert_eq!(image("debian", "bookworm-slim"), None);
    assert_eq!(image("debian", "bookworm-backports"), None);
    assert_eq!(
        image("docker.io/library/debian", "bookworm").as_deref(),
        Some("docker.io/library/debian:bookworm-slim")
    );
    assert_eq!(image("ubuntu", "22.04"), None);
    assert!(bi::lookup("ubuntu").is_some_and(|i| i.note.is_some()));
    assert_eq!(image("myorg/debian", "bookworm"), None);
    assert_eq!(image("ghcr.io/x/python", "3.12"), None);
}

#[test]
fn python_node_ruby() {
    assert_eq!(image("python", "3.12").as_deref(), Some("python:3.12-slim"));
    assert_eq!(
        image("python", "3.12-bookworm").as_deref(),
        Some("python:3.12-slim-bookworm")
    );
    assert_eq!(
        image("python", "3.12.1-bullseye").as_deref(),
        Some("python:3.12.1-slim-bullseye")
    );
    assert_eq!(
        image("python", "bookworm").as_deref(),
        Some("python:slim-bookworm")
    );
    assert_eq!(image("python", "latest").as_deref(), Some("python:slim"));
    assert_eq!(image("python", "3.12-slim"), None);
    assert_eq!(image("python", "3.12-alpine"), None);
    assert_eq!(image("python", "3.12-alpine3.19"), None);
    assert_eq!(image("python", "3.12-windowsservercore-ltsc2022"), None);
    assert_eq!(image("python", "${PY}"), None);
    assert_eq!(image("node", "20").as_deref(), Some("node:20-slim"));
    assert_eq!(
        image("node", "20-bookworm").as_deref(),
        Some("node:20-bookworm-slim")
    );
    assert_eq!(image("node", "lts").as_deref(), Some("node:lts-slim"));
    assert_eq!(image("node", "20-bookworm-slim"), None);
    assert_eq!(
        image("ruby", "3.3-bookworm").as_deref(),
        Some("ruby:3.3-slim-bookworm")
    );
    assert_eq!(image("php", "8.3-cli"), None);
}

#[test]
fn python_slim_lacks_build_tools() {
    let s = slim_variant("python", "3.12").expect("python is heavy");
    assert_eq!(s.kind, SuggestionKind::Slim);
    assert!(s.missing_headers);
    for cmd in ["gcc", "g++", "make", "git", "curl", "wget"] {
        assert!(s.missing_tool(cmd).is_some(), "{cmd}");
    }
    let curl = s
        .missing_tool("curl")
        .map(|t| t.packages.clone())
        .unwrap_or_default();
    assert!(curl.contains(&"curl".to_string()) && curl.contains(&"ca-certificates".to_string()));
    assert!(s.missing_tool("python").is_none());
    let d = slim_variant("debian", "bookworm").expect("debian is heavy");
    assert!(!d.missing_headers);
    assert!(d.missing_tool("gcc").is_none());
}

#[test]
fn jdk_and_build_only_images() {
    assert_eq!(
        image("eclipse-temurin", "21-jdk-jammy").as_deref(),
        Some("eclipse-temurin:21-jre-jammy")
    );
    assert_eq!(
        image("eclipse-temurin", "17").as_deref(),
        Some("eclipse-temurin:17-jre")
    );
    assert_eq!(
        image("eclipse-temurin", "17-jammy").as_deref(),
        Some("eclipse-temurin:17-jre-jammy")
    );
    assert_eq!(image("eclipse-temurin", "17-jre"), None);
    assert_eq!(
        image("openjdk", "17-jdk-slim").as_deref(),
        Some("eclipse-temurin:17-jre")
    );
    assert_eq!(image("openjdk", "11-jre-slim"), None);
    assert_eq!(image("openjdk", "latest"), None);

    let go = slim_variant("golang", "1.22-bookworm").expect("golang");
    assert_eq!(go.kind, SuggestionKind::BuildOnly);
    assert_eq!(go.image(), "debian:bookworm-slim");
    assert!(
        go.alternatives
            .iter()
            .any(|a| a.contains("distroless/static"))
    );
    assert_eq!(
        image("golang", "1.22").as_deref(),
        Some("debian:bookworm-slim")
    );
    assert_eq!(
        image("golang", "1.22-alpine3.19").as_deref(),
        Some("alpine:3.19")
    );
    assert_eq!(
        image("golang", "1.22-bullseye").as_deref(),
        Some("debian:bullseye-slim")
    );
    assert_eq!(
        image("rust", "1.75").as_deref(),
        Some("debian:bookworm-slim")
    );
    assert_eq!(
        image("maven", "3.9.6-eclipse-temurin-17").as_deref(),
        Some("eclipse-temurin:17-jre")
    );
    assert_eq!(
        image("gradle", "8.5-jdk21-jammy").as_deref(),
        Some("eclipse-temurin:21-jre")
    );
    assert_eq!(
        image("maven", "3.9").as_deref(),
        Some("eclipse-temurin:21-jre")
    );
    assert_eq!(
        image("buildpack-deps", "bullseye-curl").as_deref(),
        Some("debian:bullseye-slim")
    );
    assert_eq!(
        image("rockylinux", "9").as_deref(),
        Some("rockylinux:9-minimal")
    );
    assert_eq!(image("rockylinux", "9-minimal"), None);
}

#[test]
fn families_and_users() {
    let fam = |r: &str, t: &str| bi::family(r, t).map(|f| f.name.as_str());
    assert_eq!(fam("python", "3.12-slim"), Some("debian"));
    assert_eq!(fam("python", "3.12-alpine3.19"), Some("alpine"));
    assert_eq!(fam("alpine", "3.20"), Some("alpine"));
    assert_eq!(fam("docker.io/library/node", "20"), Some("debian"));
    assert_eq!(fam("rockylinux", "9-minimal"), Some("rhel-minimal"));
    assert_eq!(fam("rockylinux", "9"), Some("rhel"));
    assert_eq!(
        fam("gcr.io/distroless/static-debian12", "nonroot"),
        Some("distroless")
    );
    assert_eq!(fam("scratch", ""), Some("scratch"));
    assert_eq!(fam("myorg/app", "1.0"), None);
    let debian = bi::family("debian", "bookworm").expect("debian");
    assert_eq!(debian.package_manager.as_deref(), Some("apt-get"));
    assert!(
        debian
            .create_user
            .as_deref()
            .is_some_and(|c| c.contains("useradd"))
    );
    let alpine = bi::family("alpine", "3").expect("alpine");
    assert!(
        alpine
            .create_user
            .as_deref()
            .is_some_and(|c| c.contains("adduser") && !c.contains("useradd"))
    );
    assert!(!bi::family("scratch", "").expect("scratch").shell);
    // every family's package manager is in the package-manager table
    for f in &bi::table().families {
        if let Some(pm) = &f.package_manager {
            assert!(whittle::package_managers::by_name(pm).is_some(), "{pm}");
        }
        assert_eq!(f.shell, f.create_user.is_some(), "{}", f.name);
    }
    assert_eq!(
        bi::existing_user("node").map(|u| (u.user.as_str(), u.uid)),
        Some(("node", 1000))
    );
    assert_eq!(
        bi::existing_user("gcr.io/distroless/base-debian12").map(|u| u.user.as_str()),
        Some("nonroot")
    );
    assert!(bi::existing_user("python").is_none());
}

/// Suggestions keep the operating system and name only tags that exist.
#[test]
fn suggestions_keep_the_os_and_exist() {
    // An Alpine image that runs `apk` never gets an Ubuntu JRE.
    assert_eq!(image("openjdk", "17-jdk-alpine"), None);
    assert_eq!(image("openjdk", "17-alpine"), None);
    assert_eq!(
        image("maven", "3.9-eclipse-temurin-17-alpine").as_deref(),
        Some("eclipse-temurin:17-jre-alpine")
    );
    // Java versions without a Temurin JRE.
    for v in ["13", "12", "7", "14-jdk", "15-jdk-slim", "10"] {
        assert_eq!(image("openjdk", v), None, "openjdk:{v}");
    }
    assert_eq!(image("eclipse-temurin", "16-jdk"), None);
    // A Windows image gets no Linux suggestion.
    for tag in [
        "11-windowsservercore",
        "17-jdk-nanoserver",
        "11-jdk-windowsservercore-ltsc2022",
    ] {
        assert_eq!(image("openjdk", tag), None, "openjdk:{tag}");
        assert_eq!(image("eclipse-temurin", tag), None, "eclipse-temurin:{tag}");
    }
    // openjdk 18 and later are Oracle Linux: Temurin (Ubuntu) would change the system.
    assert_eq!(image("openjdk", "21-jdk"), None);
    // Debian to Ubuntu (both apt) is kept and said.
    let s = slim_variant("openjdk", "17-jdk-slim").expect("a JRE");
    assert!(
        s.note
            .as_deref()
            .is_some_and(|n| n.contains("Ubuntu-based") && n.contains("Debian-based")),
        "{:?}",
        s.note
    );
}

/// Every entry of the fix facts table, checked through the functions that read it.
#[test]
fn fix_facts_entries() {
    let facts = &bi::table().fix_facts;
    for (word, os) in &facts.os_tag_words {
        assert_eq!(
            bi::os_of("debian", &format!("1-{word}")),
            Some(os.as_str()),
            "{word}"
        );
    }
    assert_eq!(bi::os_of("python", "3.12-alpine3.20"), Some("alpine"));
    for (repo, os) in &facts.os_of_repository {
        assert_eq!(bi::os_of(repo, ""), Some(os.as_str()), "{repo}");
    }
    assert_eq!(bi::os_of("docker.io/library/node", "20"), Some("debian"));
    assert_eq!(bi::os_of("openjdk", "17"), Some("debian"));
    assert_eq!(
        bi::os_of("openjdk", &facts.openjdk_oraclelinux_from.to_string()),
        Some("rhel")
    );
    assert_eq!(
        bi::os_of("mcr.microsoft.com/windows/servercore", "ltsc2022"),
        Some("windows")
    );
    assert_eq!(bi::os_of("example.com/team/app", "1"), None);
    for (os, versions) in &facts.temurin_jre {
        for v in versions {
            assert!(bi::temurin_jre_exists(*v, os), "{v} on {os}");
            let (repo, tag) = if os == "alpine" {
                ("maven", format!("3.9-eclipse-temurin-{v}-alpine"))
            } else {
                ("eclipse-temurin", format!("{v}-jdk"))
            };
            assert!(image(repo, &tag).is_some(), "{repo}:{tag} has a JRE");
        }
    }
    assert!(!bi::temurin_jre_exists(13, "ubuntu"));
    for (node, npm) in &facts.node_npm {
        assert_eq!(bi::node_image_npm(node), Some(*npm), "node:{node}");
        assert_eq!(bi::node_image_npm(&format!("{node}-alpine")), Some(*npm));
        assert_eq!(bi::node_npm(node.parse().unwrap()), Some(*npm));
    }
    for (codename, node) in &facts.node_codenames {
        assert_eq!(
            bi::node_image_npm(codename),
            facts.node_npm.get(&node.to_string()).copied(),
            "node:{codename}"
        );
    }
    assert_eq!(bi::node_image_npm("14.21.3-bullseye"), Some(6));
    assert!(bi::node_image_npm("lts").is_some_and(|n| n >= 7));
    assert_eq!(bi::node_image_npm("weird-tag"), None);
    for (codename, npm) in &facts.distro_npm {
        let repo = if ["bionic", "focal", "jammy", "noble"].contains(&codename.as_str()) {
            "ubuntu"
        } else {
            "debian"
        };
        assert_eq!(
            bi::distro_npm(repo, codename),
            Some(*npm),
            "{repo}:{codename}"
        );
    }
    for (version, codename) in &facts.distro_versions {
        let repo = if version.contains('.') {
            "ubuntu"
        } else {
            "debian"
        };
        assert_eq!(
            bi::distro_npm(repo, version),
            facts.distro_npm.get(codename).copied(),
            "{repo}:{version}"
        );
    }
    assert_eq!(bi::distro_npm("alpine", "3.20"), None);
    for need in &facts.slim_needs {
        for p in &need.packages {
            let sample = p.replace('*', "17");
            assert!(
                bi::slim_needs(&sample).any(|n| n.path == need.path),
                "{sample}"
            );
        }
    }
    assert_eq!(bi::slim_needs("openjdk-17-jre-headless").count(), 1);
    assert_eq!(bi::slim_needs("jq").count(), 0);
}

/// Every `image_config` entry is the one found for its own names, and says what the images
/// really set (default user by tag, WORKDIR, a variable of their environment).
#[test]
fn image_config_entries() {
    let t = bi::table();
    for (i, c) in t.image_config.iter().enumerate() {
        for r in &c.repositories {
            let found = bi::image_config(r).expect("entry found by its repository");
            assert!(
                std::ptr::eq(found, &t.image_config[i]),
                "{r}: found another entry"
            );
        }
        for p in &c.repository_prefixes {
            let name = format!("{p}x");
            let found = bi::image_config(&name).expect("entry found by its prefix");
            assert!(
                std::ptr::eq(found, &t.image_config[i]),
                "{p}: found another entry"
            );
        }
        assert!(!c.user.is_empty());
    }
    // (reference, tag, runs as root, drops privileges, WORKDIR, a variable it sets)
    type Fact = (
        &'static str,
        &'static str,
        bool,
        bool,
        Option<&'static str>,
        Option<&'static str>,
    );
    let facts: &[Fact] = &[
        (
            "debian",
            "bookworm-slim",
            true,
            false,
            None,
            Some("container"),
        ),
        (
            "docker.io/library/alpine",
            "3.20",
            true,
            false,
            None,
            Some("container"),
        ),
        ("golang", "1.23", true, false, Some("/go"), Some("GOPATH")),
        ("node", "20-slim", true, false, None, Some("NODE_VERSION")),
        (
            "python",
            "3.12-slim",
            true,
            false,
            None,
            Some("PYTHON_VERSION"),
        ),
        ("rust", "1.80", true, false, None, Some("CARGO_HOME")),
        ("ruby", "3.3", true, false, None, Some("GEM_HOME")),
        (
            "eclipse-temurin",
            "21-jre",
            true,
            false,
            None,
            Some("JAVA_HOME"),
        ),
        (
            "maven",
            "3-eclipse-temurin-21",
            true,
            false,
            None,
            Some("MAVEN_HOME"),
        ),
        (
            "gradle",
            "8-jdk21",
            true,
            false,
            Some("/home/gradle"),
            Some("GRADLE_HOME"),
        ),
        (
            "tomcat",
            "10",
            true,
            false,
            Some("/usr/local/tomcat"),
            Some("CATALINA_HOME"),
        ),
        (
            "php",
            "8.3-apache",
            true,
            true,
            Some("/var/www/html"),
            Some("PHP_INI_DIR"),
        ),
        (
            "composer",
            "2",
            true,
            false,
            Some("/app"),
            Some("COMPOSER_HOME"),
        ),
        ("nginx", "1.27", true, true, None, Some("NGINX_VERSION")),
        (
            "httpd",
            "2.4",
            true,
            true,
            Some("/usr/local/apache2"),
            Some("HTTPD_PREFIX"),
        ),
        ("postgres", "16", true, true, None, Some("PGDATA")),
        (
            "redis",
            "7",
            true,
            true,
            Some("/data"),
            Some("REDIS_VERSION"),
        ),
        ("mysql", "8", true, true, None, Some("MYSQL_VERSION")),
        ("mongo", "7", true, true, None, None),
        (
            "haproxy",
            "2.9",
            false,
            false,
            Some("/var/lib/haproxy"),
            Some("HAPROXY_VERSION"),
        ),
        (
            "haproxy",
            "2.2-alpine",
            true,
            false,
            Some("/var/lib/haproxy"),
            None,
        ),
        ("memcached", "1.6", false, false, None, None),
        ("solr", "9", false, false, None, None),
        ("odoo", "17", false, false, None, None),
        ("sonarqube", "10-community", false, false, None, None),
        (
            "docker.elastic.co/elasticsearch/elasticsearch",
            "8.15.0",
            false,
            false,
            None,
            None,
        ),
        ("jenkins/jenkins", "lts", false, false, None, None),
        ("grafana/grafana", "11.2.0", false, false, None, None),
        (
            "nginxinc/nginx-unprivileged",
            "1.27",
            false,
            false,
            None,
            None,
        ),
        (
            "quay.io/keycloak/keycloak",
            "25.0",
            false,
            false,
            None,
            None,
        ),
        ("bitnami/postgresql", "16", false, false, None, None),
        (
            "quay.io/jupyter/base-notebook",
            "latest",
            false,
            false,
            None,
            None,
        ),
        (
            "selenium/standalone-chrome",
            "latest",
            false,
            false,
            None,
            None,
        ),
        ("gitpod/workspace-full", "latest", false, false, None, None),
        (
            "registry.access.redhat.com/ubi9/nodejs-20",
            "latest",
            false,
            false,
            None,
            None,
        ),
        (
            "mcr.microsoft.com/dotnet/aspnet",
            "8.0",
            true,
            false,
            None,
            Some("APP_UID"),
        ),
        (
            "mcr.microsoft.com/dotnet/aspnet",
            "8.0-jammy-chiseled",
            false,
            false,
            None,
            None,
        ),
        (
            "mcr.microsoft.com/dotnet/runtime-deps",
            "10.0.0-noble-chiseled",
            false,
            false,
            None,
            None,
        ),
        (
            "gcr.io/distroless/static-debian12",
            "latest",
            true,
            false,
            None,
            None,
        ),
        (
            "gcr.io/distroless/static-debian12",
            "nonroot",
            false,
            false,
            None,
            None,
        ),
        (
            "gcr.io/distroless/cc-debian12",
            "debug-nonroot",
            false,
            false,
            None,
            None,
        ),
        (
            "cgr.dev/chainguard/python",
            "latest",
            false,
            false,
            None,
            None,
        ),
        (
            "cgr.dev/chainguard/python",
            "latest-dev",
            true,
            false,
            None,
            None,
        ),
    ];
    for &(reference, tag, root, drops, workdir, var) in facts {
        let c = bi::image_config(reference).unwrap_or_else(|| panic!("{reference}: no entry"));
        assert_eq!(c.runs_as_root(tag), root, "{reference}:{tag} root");
        assert_eq!(c.drops_privileges, drops, "{reference} drops privileges");
        assert_eq!(c.workdir.as_deref(), workdir, "{reference} WORKDIR");
        if let Some(v) = var {
            assert!(c.env.iter().any(|e| e == v), "{reference} sets {v}");
        }
    }
    assert!(bi::image_config("myorg/app").is_none());
    assert!(bi::is_windows(
        "mcr.microsoft.com/windows/servercore",
        "ltsc2022"
    ));
    assert!(bi::is_windows("python", "3.12-windowsservercore-ltsc2022"));
    assert!(!bi::is_windows("python", "3.12-slim"));
}
