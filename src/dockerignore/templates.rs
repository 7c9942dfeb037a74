//! The ecosystem templates of `.dockerignore.templates/`, embedded in the binary. Every pattern
//! is written for Docker's semantics (anchored at the root: `**/` for any depth).

/// `(name, text)` in the order they are composed (`common` first).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "common",
        include_str!("../../.dockerignore.templates/common"),
    ),
    ("node", include_str!("../../.dockerignore.templates/node")),
    (
        "python",
        include_str!("../../.dockerignore.templates/python"),
    ),
    ("go", include_str!("../../.dockerignore.templates/go")),
    ("rust", include_str!("../../.dockerignore.templates/rust")),
    (
        "java-maven",
        include_str!("../../.dockerignore.templates/java-maven"),
    ),
    (
        "java-gradle",
        include_str!("../../.dockerignore.templates/java-gradle"),
    ),
    ("ruby", include_str!("../../.dockerignore.templates/ruby")),
    ("php", include_str!("../../.dockerignore.templates/php")),
    (
        "dotnet",
        include_str!("../../.dockerignore.templates/dotnet"),
    ),
    (
        "terraform",
        include_str!("../../.dockerignore.templates/terraform"),
    ),
];

/// The template text for an ecosystem name.
pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerignore::Matcher;

    #[test]
    fn every_template_compiles_and_comments_its_patterns() {
        for (name, text) in TEMPLATES {
            assert!(
                Matcher::from_ignore_text(text).is_ok(),
                "{name} must compile"
            );
            let mut commented = false;
            for line in text.lines() {
                if line.starts_with('#') {
                    commented = true;
                } else if !line.trim().is_empty() {
                    assert!(commented, "{name}: {line:?} has no comment above it");
                }
            }
        }
    }
}
