//! "Did you mean ...?" suggestions for misspelt names, the way BuildKit's `suggest.Search`
//! makes them: the closest option at an edit distance below 3, none for an exact match.

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
}
