//! Message templates of custom rules: text with `{placeholder}`s filled from the match
//! (`{image}`, `{command}`, `{0}`, `{1}`, `{version}` for a named group); `{{` and `}}` are
//! literal braces. Read once when the rule is compiled, so an unknown placeholder is a
//! configuration error, not a message with a hole in it.

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(String),
}

impl Template {
    /// Read `text`; `known` says which placeholder names exist. `Err` names the problem.
    pub fn parse(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(ch) => name.push(ch),
                            None => return Err(format!("unclosed `{{{name}` in the message")),
                        }
                    }
                    let name = name.trim().to_string();
                    if !known(&name) {
                        return Err(format!(
                            "the message has an unknown placeholder `{{{name}}}`"
                        ));
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Var(name));
                }
                '}' => return Err("a lone `}` in the message (write `}}`)".to_string()),
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template { parts })
    }

    /// The text with every placeholder replaced by `value(name)` (empty when it has none).
    pub fn render(&self, value: &dyn Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Var(v) => out.push_str(&value(v).unwrap_or_default()),
            }
        }
        out
    }

    /// The template as written, placeholders in braces (for generated docs).
    pub fn source(&self) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(&t.replace('{', "{{").replace('}', "}}")),
                Part::Var(v) => {
                    out.push('{');
                    out.push_str(v);
                    out.push('}');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Template;

    #[test]
    fn placeholders_are_checked_and_filled() {
        let known = |n: &str| matches!(n, "image" | "0");
        let t =
            Template::parse("base image {image} is not {{allowed}} ({0})", &known).expect("parses");
        let out = t.render(&|n| match n {
            "image" => Some("debian:12".to_string()),
            _ => None,
        });
        assert_eq!(out, "base image debian:12 is not {allowed} ()");
        assert_eq!(t.source(), "base image {image} is not {{allowed}} ({0})");
        assert_eq!(
            Template::parse("{imag}", &known),
            Err("the message has an unknown placeholder `{imag}`".to_string())
        );
        assert!(Template::parse("{image", &known).is_err());
        assert!(Template::parse("a } b", &known).is_err());
    }
}
