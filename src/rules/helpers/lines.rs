//! Edits that work on whole lines: the lines an instruction covers, and inserting new
//! instructions on lines of their own before or after one, in the file's layout (the fix engine
//! turns `\n` into the file's line ending).

use crate::fix::Edit;
use crate::syntax::{Dockerfile, Span};

/// An instruction's line range, as a span to delete or to insert after: from the start of its
/// first line to the start of the line after it (its comment lines above are the caller's
/// business).
pub fn whole_lines(file: &Dockerfile, span: Span) -> Span {
    let idx = file.line_index();
    let start = idx.line_start(idx.line_of(span.start));
    let src = file.source();
    let end = match src.get(span.end..).and_then(|r| r.find('\n')) {
        Some(k) => span.end + k + 1,
        None => src.len(),
    };
    Span::new(start, end)
}

/// An edit that puts `lines` (one or more lines, without a final line ending) on lines of their
/// own right after the instruction at `span`. When that instruction ends the file without a final
/// line ending, the new lines go after a line break and the file still ends without one.
pub fn insert_lines_after(file: &Dockerfile, span: Span, lines: &str) -> Edit {
    let at = whole_lines(file, span).end;
    let at_line_start = file.source().get(..at).unwrap_or("").ends_with('\n');
    if at_line_start {
        Edit::insert(at, format!("{lines}\n"))
    } else {
        Edit::insert(at, format!("\n{lines}"))
    }
}

/// An edit that puts `line` (without a line ending) on a line of its own right before the line
/// where `span` starts.
pub fn insert_line_before(file: &Dockerfile, span: Span, line: &str) -> Edit {
    let index = file.line_index();
    Edit::insert(
        index.line_start(index.line_of(span.start)),
        format!("{line}\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserted_lines_keep_the_files_layout() {
        let apply = |src: &str, e: Edit| {
            let mut out = src.to_string();
            out.replace_range(e.span.start..e.span.end, &e.text);
            out
        };
        let src = "FROM a\nRUN b \\\n  c\nCMD d\n";
        let file = crate::syntax::parse(src);
        let run = file.instructions[1].span;
        assert_eq!(
            apply(src, insert_lines_after(&file, run, "USER x\nENV y=1")),
            "FROM a\nRUN b \\\n  c\nUSER x\nENV y=1\nCMD d\n"
        );
        assert_eq!(
            apply(src, insert_line_before(&file, run, "SHELL [\"bash\"]")),
            "FROM a\nSHELL [\"bash\"]\nRUN b \\\n  c\nCMD d\n"
        );
        // no final line ending: still none after the insertion
        let src = "FROM a";
        let file = crate::syntax::parse(src);
        let from = file.instructions[0].span;
        assert_eq!(
            apply(src, insert_lines_after(&file, from, "USER x")),
            "FROM a\nUSER x"
        );
    }
}
