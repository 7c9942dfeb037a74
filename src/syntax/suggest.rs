//! "Did you mean ...?" suggestions for misspelt names, the one place that makes them: the way
//! BuildKit's `suggest.Search` does for its messages ([`closest`]), and a stricter typo check
//! for fixes that rewrite the word ([`unambiguous_typo`]).

/// The option closest to `name` (Levenshtein distance 1 or 2), first one on a tie; `None` when
/// nothing is close or when `name` itself is among the options.
pub fn closest<'a>(name: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for option in options {
        if option == name {
            return None;
        }
        let distance = levenshtein(name, option);
        if distance < 3 && best.is_none_or(|(_, d)| distance < d) {
            best = Some((option, distance));
        }
    }
    best.map(|(option, _)| option)
}

/// Edit distance in characters (insertions, deletions, substitutions).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate `word` is a typo of, strictly enough to offer a fix (rules that replace the word
/// use it; messages that mirror BuildKit use [`closest`]): the closest candidate, ASCII case
/// ignored, when no other is as close and the edit distance (with transpositions) at most 1 when both
/// are up to 4 letters long, at most 2 otherwise.
pub fn unambiguous_typo<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let word = word.to_ascii_lowercase();
    let limit = |c: &str| {
        if word.chars().count().max(c.chars().count()) <= 4 {
            1
        } else {
            2
        }
    };
    let mut best: Option<(usize, &'c str)> = None;
    let mut tie = false;
    for &c in candidates {
        let d = edit_distance(&word, &c.to_ascii_lowercase());
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    match best {
        Some((d, c)) if d <= limit(c) && d > 0 && !tie => Some(c),
        _ => None,
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
/// transpositions each cost 1 (`FORM` -> `FROM` is 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("PAHT", "PATH"), 2);
        assert_eq!(levenshtein("DIR_ASSET", "DIR_ASSETS"), 1);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("é", "e"), 1);
    }

    #[test]
    fn closest_prefers_the_nearest_and_rejects_exact() {
        let opts = ["DIR_BINARIES", "DIR_ASSETS", "DIR_CONFIG"];
        assert_eq!(closest("DIR_ASSET", opts), Some("DIR_ASSETS"));
        assert_eq!(
            closest("BULIDPLATFORM", ["BUILDPLATFORM"]),
            Some("BUILDPLATFORM")
        );
        assert_eq!(closest("VERSION", ["VERSION", "VERSIO"]), None);
        assert_eq!(closest("SOMETHING_ELSE", opts), None);
    }

    #[test]
    fn unambiguous_typos_only() {
        let kws = ["RUN", "FROM", "COPY", "CMD", "ENV", "ADD"];
        assert_eq!(unambiguous_typo("RUNN", &kws), Some("RUN"));
        assert_eq!(unambiguous_typo("form", &kws), Some("FROM"));
        assert_eq!(unambiguous_typo("COPPY", &kws), Some("COPY"));
        assert_eq!(unambiguous_typo("ENVIRONMENT", &kws), None);
        assert_eq!(
            unambiguous_typo("RUN", &kws),
            None,
            "an exact match is no typo"
        );
        // `AND` is one edit from both ADD and ... only ADD here; `CDD` ties CMD and ADD.
        assert_eq!(unambiguous_typo("CDD", &kws), None);
        assert_eq!(
            unambiguous_typo("own", &["chown", "from", "chmod"]),
            Some("chown")
        );
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
