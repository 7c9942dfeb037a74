//! The argv helpers rules use: name, effective command, flags, flag values, positionals,
//! unconditional commands.

mod shell_common;

use shell_common::parse_ok;
use whittle::syntax::shell::SimpleCommand;

fn first(src: &str) -> SimpleCommand {
    parse_ok(src).cmds.into_iter().next().expect("a command")
}

#[test]
fn name_is_basename_without_quotes() {
    for (src, want) in [
        ("/usr/bin/apt-get install x", Some("apt-get")),
        ("\"pip\" install x", Some("pip")),
        ("'/opt/py/bin/pip3' install", Some("pip3")),
        ("$PIP install", None),
        ("sudo apt-get", Some("sudo")),
    ] {
        assert_eq!(first(src).name(src).as_deref(), want, "{src}");
    }
    let src = "A=1";
    assert_eq!(first(src).name(src), None);
}

#[test]
fn effective_command_skips_wrappers() {
    let cases = [
        ("sudo apt-get install -y x", "apt-get", 1),
        ("sudo -u root -E apt-get update", "apt-get", 4),
        ("sudo -- pip install x", "pip", 2),
        (
            "env DEBIAN_FRONTEND=noninteractive apt-get install",
            "apt-get",
            2,
        ),
        ("env -i -u HOME A=b /usr/bin/pip install", "pip", 5),
        ("command pip install x", "pip", 1),
        ("exec -a name gosu app:app node server.js", "node", 5),
        ("nohup time -p nice -n 10 make", "make", 6),
        ("timeout -s KILL 30 curl -f x", "curl", 4),
        ("xargs -n 1 -I {} rm {}", "rm", 5),
        ("su-exec www-data php-fpm", "php-fpm", 2),
        ("eatmydata apt-get install -y x", "apt-get", 1),
    ];
    for (src, name, index) in cases {
        let c = first(src);
        let inv = c.effective(src).expect("effective");
        assert_eq!(inv.name(src).as_deref(), Some(name), "{src}");
        assert_eq!(inv.index, index, "{src}");
    }
    // wrappers that run nothing, or whose arguments cannot be read, are the command themselves
    for (src, name) in [
        ("command -v pip", "command"),
        ("sudo", "sudo"),
        ("env", "env"),
        ("sudo $SUDO_OPTS apt-get install", "sudo"),
        ("env -S 'pip install'", "env"),
    ] {
        let c = first(src);
        let inv = c.effective(src).expect("effective");
        assert_eq!(inv.name(src).as_deref(), Some(name), "{src}");
    }
    let src = "A=1";
    assert!(first(src).effective(src).is_none());
}

#[test]
fn has_flag_understands_clusters_long_forms_and_double_dash() {
    let src = "apt-get -qy install --no-install-recommends=1 x -- -f";
    let c = first(src);
    assert!(c.has_flag(src, Some('y'), "yes"));
    assert!(c.has_flag(src, Some('q'), ""));
    assert!(c.has_flag(src, None, "no-install-recommends"));
    assert!(c.has_flag(src, None, "--no-install-recommends"));
    assert!(
        !c.has_flag(src, Some('f'), "fix-broken"),
        "-f after -- is an argument"
    );
    assert!(
        !c.has_flag(src, Some('n'), "no-install"),
        "long names match whole"
    );
    let src = "apt-get -o=Dpkg::Use-Pty=0 \"--yes\" install";
    let c = first(src);
    assert!(
        !c.has_flag(src, Some('y'), ""),
        "value of -o is not a flag cluster"
    );
    assert!(c.has_flag(src, Some('Y'), "yes"), "quoted flags count");
    let src = "pip install $FLAGS x";
    assert!(!first(src).has_flag(src, Some('U'), "upgrade"));
}

#[test]
fn flag_values_in_every_spelling() {
    for src in [
        "pip install -t /opt x",
        "pip install -t/opt x",
        "pip install -qt /opt x",
        "pip install --target /opt x",
        "pip install --target=/opt x",
        "pip install \"--target=/opt\" x",
    ] {
        let c = first(src);
        let v = c.flag_value(src, Some('t'), "target").expect(src);
        assert_eq!(v.text.as_deref(), Some("/opt"), "{src}");
        assert!(v.span.text(src).contains("/opt"), "{src}");
    }
    let src = "pip install --target=/opt";
    let v = first(src)
        .flag_value(src, Some('t'), "target")
        .expect("value");
    assert_eq!(v.span.text(src), "/opt");
    let src = "pip install --target \"$DIR\"";
    let v = first(src)
        .flag_value(src, Some('t'), "target")
        .expect("value");
    assert_eq!(v.text, None);
    assert_eq!(v.span.text(src), "\"$DIR\"");
    let src = "pip install x -- --target y";
    assert!(first(src).flag_value(src, Some('t'), "target").is_none());
    let src = "pip install -r req.txt";
    assert!(first(src).flag_value(src, Some('t'), "target").is_none());
}

#[test]
fn positionals_skip_flags_and_their_values() {
    let src = "apt-get -o Dpkg::Options::=--force-confold -qq install -y --no-install-recommends curl \"$PKG\" -- -weird";
    let c = first(src);
    let values = ["-o", "-c", "--option"];
    let pos: Vec<&str> = c
        .invocation()
        .positionals(src, &values)
        .map(|w| w.raw(src))
        .collect();
    assert_eq!(pos, vec!["install", "curl", "\"$PKG\"", "-weird"]);
    assert_eq!(
        c.invocation().subcommand(src, &values).as_deref(),
        Some("install")
    );
    assert_eq!(
        c.positional(src, 1, &values).map(|w| w.raw(src)),
        Some("curl")
    );
    assert_eq!(c.positional(src, 9, &values), None);
    // without knowing -o takes a value, its value looks positional
    assert_eq!(
        c.invocation().subcommand(src, &[]).as_deref(),
        Some("Dpkg::Options::=--force-confold")
    );
    // a value flag at the end of a short cluster takes the next word; inside it, the rest
    let src = "tar -xzf a.tgz -C/opt b";
    let pos: Vec<&str> = first(src)
        .invocation()
        .positionals(src, &["-f", "-C"])
        .map(|w| w.raw(src))
        .collect();
    assert_eq!(pos, vec!["b"]);
}

#[test]
fn effective_invocation_reads_its_own_flags() {
    let src = "sudo -E apt-get install -y curl";
    let c = first(src);
    let inv = c.effective(src).expect("effective");
    assert!(inv.has_flag(src, Some('y'), "yes"));
    assert!(
        !inv.has_flag(src, Some('E'), ""),
        "sudo's flag is not apt-get's"
    );
    assert_eq!(inv.subcommand(src, &[]).as_deref(), Some("install"));
    assert_eq!(
        inv.positional(src, 1, &[]).map(|w| w.raw(src)),
        Some("curl")
    );
}

#[test]
fn unconditional_commands() {
    let src = "a && (b; { c; }) | d; e || f; if g; then h; fi; for i in 1; do j; done; k=$(l); m &";
    let s = parse_ok(src);
    let uncond: Vec<&str> = s
        .cmds
        .iter()
        .filter(|c| c.is_unconditional())
        .filter_map(|c| c.argv.first().map(|w| w.raw(src)))
        .collect();
    assert_eq!(uncond, vec!["a", "b", "c", "d", "e", "m"]);
}

#[test]
fn shell_c_scripts_map_back() {
    let src = "sudo bash -ec 'apt-get update && apt-get install -y curl' && sh -c \"ls\"";
    let s = parse_ok(src);
    let inv = s.cmds[0].effective(src).expect("effective");
    let word = inv.shell_c_script(src).expect("script");
    let inner = word.literal(src).expect("literal");
    let offset = word.verbatim_start(src).expect("verbatim");
    let nested = parse_ok(&inner);
    let install = &nested.cmds[1];
    let at = install.argv[1].span.offset(offset);
    assert_eq!(at.text(src), "install");
    let ls = s.cmds[1].effective(src).and_then(|i| i.shell_c_script(src));
    assert_eq!(ls.map(|w| w.raw(src)), Some("\"ls\""));
    assert_eq!(ls.and_then(|w| w.verbatim_start(src)), Some(src.len() - 3));
    // not a shell, or no -c
    let src = "python3 -c 'print(1)'; bash x.sh; bash -c \"echo \\\"$x\\\"\"";
    let s = parse_ok(src);
    assert!(s.cmds[0].invocation().shell_c_script(src).is_none());
    assert!(s.cmds[1].invocation().shell_c_script(src).is_none());
    let w = s.cmds[2].invocation().shell_c_script(src).expect("script");
    assert_eq!(
        w.verbatim_start(src),
        None,
        "escapes and expansions do not map verbatim"
    );
}
