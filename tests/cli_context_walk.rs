//! The build-context snapshot in big directories: excluded directories are not entered, only
//! the copied directories are read, and a walk that meets more entries than its limit stops
//! with a note instead of taking its time (the limit is lowered here so that the test stays
//! small; `whittle check` uses `WALK_LIMIT`).

use std::fs;
use std::path::Path;
use whittle::cli::context::{ContextNeeds, WalkCache, build_context_with};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const NEEDS: ContextNeeds = ContextNeeds {
    any: true,
    walk_for_directories: true,
    walk_for_wildcards: true,
};

fn sent(dockerfile: &Path, walks: &WalkCache) -> Option<Vec<String>> {
    let file = whittle::syntax::parse(&fs::read_to_string(dockerfile).unwrap());
    let context = build_context_with(dockerfile, &file, NEEDS, walks)?;
    context.sent_files.map(|s| s.files.clone())
}

#[test]
fn big_contexts_are_pruned_or_cut_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for d in 0..20 {
        for f in 0..10 {
            write(&root.join(format!("big/d{d}/f{f}")), "");
        }
    }
    write(&root.join(".env"), "TOKEN=x\n");
    write(&root.join("src/id_rsa"), "key\n");
    let all = root.join("Dockerfile");
    write(&all, "FROM alpine:3.20\nCOPY . /app\n");
    let src = root.join("src.Dockerfile");
    write(&src, "FROM alpine:3.20\nCOPY src/ /app/\n");

    // The big directory is excluded: never entered, so 50 entries are enough.
    write(&root.join(".dockerignore"), "big\n");
    let walks = WalkCache::with_limit(50);
    let files = sent(&all, &walks).expect("a complete walk");
    assert!(files.contains(&".env".to_string()), "{files:?}");
    assert!(walks.notes().is_empty());

    // Sent: the walk stops at the limit, says so once, and gives no file list (the rules
    // that need it stay silent instead of guessing).
    fs::remove_file(root.join(".dockerignore")).unwrap();
    let walks = WalkCache::with_limit(50);
    assert_eq!(sent(&all, &walks), None);
    assert_eq!(sent(&all, &walks), None);
    let notes = walks.notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("more than 50 entries"), "{notes:?}");

    // Copying one directory reads that directory only.
    let files = sent(&src, &walks).expect("src/ alone is small");
    assert_eq!(files, ["src/id_rsa"]);
}
