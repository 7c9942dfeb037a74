//! From an image's history to the Dockerfile: which instruction made each history entry (and
//! so each layer). BuildKit writes `RUN |1 V=1 /bin/sh -c make # buildkit`, `COPY a b #
//! buildkit`, `WORKDIR /app`; the classic builder `/bin/sh -c #(nop)  CMD ["sh"]` and `|1 V=1
//! /bin/sh -c make`. The image's history is the base image's history followed by one entry per
//! instruction of the chain of stages that ends in the built stage (`FROM build` continues
//! `build`'s history), so the entries are aligned with that instruction sequence from the end.

use crate::semantic::Semantic;
use crate::syntax::{Dockerfile, Keyword};

/// One entry of the config's `history`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    pub created_by: String,
    pub empty_layer: bool,
    pub comment: String,
}

/// A history entry read as an instruction: its keyword (upper case) and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub keyword: String,
    pub text: String,
}

/// Read a `created_by` in BuildKit's or the classic builder's form.
pub fn parse_created_by(created_by: &str) -> Option<Command> {
    let mut s = created_by.trim();
    s = s.strip_suffix("# buildkit").unwrap_or(s).trim_end();
    if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop)") {
        // Classic builder, a non-RUN instruction.
        let rest = rest.trim_start();
        let (kw, text) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        return Some(Command {
            keyword: kw.to_ascii_uppercase(),
            text: text.trim().to_string(),
        });
    }
    let (first, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
    let keyword = first.to_ascii_uppercase();
    if keyword == "RUN" {
        return Some(Command {
            keyword,
            text: strip_run_prefix(rest).to_string(),
        });
    }
    if first.starts_with('|') || first == "/bin/sh" || first.ends_with("/sh") {
        // Classic builder RUN (with or without build args).
        return Some(Command {
            keyword: "RUN".into(),
            text: strip_run_prefix(s).to_string(),
        });
    }
    if is_instruction(&keyword) {
        return Some(Command {
            keyword,
            text: rest.trim().to_string(),
        });
    }
    None
}

fn is_instruction(kw: &str) -> bool {
    matches!(
        kw,
        "ADD"
            | "ARG"
            | "CMD"
            | "COPY"
            | "ENTRYPOINT"
            | "ENV"
            | "EXPOSE"
            | "HEALTHCHECK"
            | "LABEL"
            | "MAINTAINER"
            | "ONBUILD"
            | "SHELL"
            | "STOPSIGNAL"
            | "USER"
            | "VOLUME"
            | "WORKDIR"
    )
}

/// `|2 A=1 B=2 /bin/sh -c make` -> `make`.
fn strip_run_prefix(s: &str) -> &str {
    let mut s = s.trim_start();
    if let Some(rest) = s.strip_prefix('|') {
        let (count, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        let n: usize = count.parse().unwrap_or(0);
        let mut rest = rest;
        for _ in 0..n {
            // Build-arg values may hold spaces only when quoted, which BuildKit does not do:
            // one word per argument.
            rest = rest.split_once(' ').map(|(_, r)| r).unwrap_or("");
        }
        s = rest.trim_start();
    }
    for shell in ["/bin/sh -c ", "/bin/bash -c ", "/bin/sh -o pipefail -c "] {
        if let Some(rest) = s.strip_prefix(shell) {
            return rest;
        }
    }
    s
}

/// Whitespace runs as one space, line continuations removed: how both sides are compared.
pub fn normalize(text: &str) -> String {
    let joined = text
        .replace("\\\r\n", " ")
        .replace("\\\n", " ")
        .replace("`\r\n", " ")
        .replace("`\n", " ");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The instructions (indices into `file.instructions`) whose history entries end the image's
/// history: the chain of stages from the one the built stage starts from to the built stage
/// (the last one, or `target`), without the FROMs.
pub fn expected_instructions(
    file: &Dockerfile,
    semantic: &Semantic,
    target: Option<usize>,
) -> Vec<usize> {
    let Some(last) = target.or_else(|| semantic.stages.len().checked_sub(1)) else {
        return Vec::new();
    };
    let mut chain = vec![last];
    let mut current = last;
    for _ in 0..semantic.stages.len() {
        match semantic.stages[current].base.stage {
            Some(p) if p < current => {
                chain.push(p);
                current = p;
            }
            _ => break,
        }
    }
    chain.reverse();
    let mut out = Vec::new();
    for s in chain {
        for i in semantic.stages[s].body.clone() {
            if i < file.instructions.len() && file.instructions[i].keyword != Keyword::From {
                out.push(i);
            }
        }
    }
    out
}

/// How well a history entry matches an instruction: 3 same keyword and text, 1 same keyword,
/// 0 no match.
fn match_score(file: &Dockerfile, instruction: usize, cmd: &Command) -> u32 {
    let ins = &file.instructions[instruction];
    let kw = ins.keyword.as_str().to_ascii_uppercase();
    if kw != cmd.keyword {
        return 0;
    }
    let rest = normalize(file.text(ins.rest_span));
    let text = normalize(&cmd.text);
    if rest == text || (!text.is_empty() && (rest.ends_with(&text) || text.ends_with(&rest))) {
        3
    } else {
        1
    }
}

/// For each history entry, the instruction that made it (`None`: the base image's, or not
/// recognised). A best-scoring monotone alignment of the entries with `expected`, preferring the
/// latest entries when scores tie.
pub fn align(
    file: &Dockerfile,
    history: &[HistoryEntry],
    expected: &[usize],
) -> Vec<Option<usize>> {
    let n = history.len();
    let m = expected.len();
    let cmds: Vec<Option<Command>> = history
        .iter()
        .map(|h| parse_created_by(&h.created_by))
        .collect();
    // best[i][j]: best score aligning history[i..] with expected[j..].
    let mut best = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut b = best[i + 1][j].max(best[i][j + 1]);
            if let Some(cmd) = &cmds[i] {
                let s = match_score(file, expected[j], cmd);
                if s > 0 {
                    b = b.max(s + best[i + 1][j + 1]);
                }
            }
            best[i][j] = b;
        }
    }
    let mut out = vec![None; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let here = best[i][j];
        // Prefer skipping an early history entry (base image) when that loses nothing.
        if best[i + 1][j] == here {
            i += 1;
            continue;
        }
        if let Some(cmd) = &cmds[i] {
            let s = match_score(file, expected[j], cmd);
            if s > 0 && s + best[i + 1][j + 1] == here {
                out[i] = Some(expected[j]);
                i += 1;
                j += 1;
                continue;
            }
        }
        j += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_buildkit_and_classic_forms() {
        let c = parse_created_by("RUN |1 VER=1 /bin/sh -c echo $VER > /v # buildkit").unwrap();
        assert_eq!(
            (c.keyword.as_str(), c.text.as_str()),
            ("RUN", "echo $VER > /v")
        );
        let c = parse_created_by("COPY /v /w # buildkit").unwrap();
        assert_eq!((c.keyword.as_str(), c.text.as_str()), ("COPY", "/v /w"));
        let c = parse_created_by("/bin/sh -c #(nop)  CMD [\"bash\"]").unwrap();
        assert_eq!((c.keyword.as_str(), c.text.as_str()), ("CMD", "[\"bash\"]"));
        let c = parse_created_by("|2 A=1 B=2 /bin/sh -c make all").unwrap();
        assert_eq!((c.keyword.as_str(), c.text.as_str()), ("RUN", "make all"));
        assert_eq!(parse_created_by("# debian.sh --arch 'amd64'"), None);
    }

    #[test]
    fn aligns_the_final_stage_chain_after_the_base_history() {
        let src = "FROM debian AS build\nARG VER=1\nRUN echo hi > /x && \\\n    echo there\nFROM build\nRUN rm /x\nCOPY --from=build /x /y\nCMD [\"sh\"]\n";
        let file = crate::syntax::parse(src);
        let sem = Semantic::new(&file);
        let expected = expected_instructions(&file, &sem, None);
        let h = |c: &str| HistoryEntry {
            created_by: c.into(),
            ..Default::default()
        };
        let history = [
            h("# debian.sh"),
            h("CMD [\"bash\"]"),
            h("ARG VER=1"),
            h("RUN |1 VER=1 /bin/sh -c echo hi > /x &&     echo there # buildkit"),
            h("RUN /bin/sh -c rm /x # buildkit"),
            h("COPY /x /y # buildkit"),
            h("CMD [\"sh\"]"),
        ];
        let got = align(&file, &history, &expected);
        let lines: Vec<Option<usize>> = got
            .iter()
            .map(|g| g.map(|i| file.instructions[i].start_line))
            .collect();
        assert_eq!(
            lines,
            [None, None, Some(2), Some(3), Some(6), Some(7), Some(8)]
        );
    }
}
