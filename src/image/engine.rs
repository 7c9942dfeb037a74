//! The local Docker engine, through its command line client: export an image (`docker image
//! save`), build one, read its size. The CLI chooses the client program and where temporary
//! files go.

use super::ImageError;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A Docker client program (`docker`, or what `DOCKER` names).
#[derive(Debug, Clone)]
pub struct Engine {
    pub program: String,
}

impl Engine {
    pub fn new(program: impl Into<String>) -> Engine {
        Engine {
            program: program.into(),
        }
    }

    /// `Err` with a readable reason when no engine answers.
    pub fn check(&self) -> Result<(), ImageError> {
        let out = Command::new(&self.program)
            .args(["version", "--format", "{{.Server.Version}}"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| {
                ImageError::Engine(format!(
                    "no Docker client (`{}`: {e}); give a `docker save` archive or an OCI layout instead",
                    self.program
                ))
            })?;
        if !out.status.success() {
            return Err(ImageError::Engine(format!(
                "no Docker engine answers (`{} version` failed: {}); give a `docker save` archive or an OCI layout instead",
                self.program,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(())
    }

    /// `docker image save -o dest reference`.
    pub fn save(&self, reference: &str, dest: &Path) -> Result<(), ImageError> {
        self.check()?;
        let out = Command::new(&self.program)
            .args(["image", "save", "-o"])
            .arg(dest)
            .arg(reference)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| ImageError::Engine(format!("`{} image save`: {e}", self.program)))?;
        if !out.status.success() {
            return Err(ImageError::Engine(format!(
                "`{} image save {reference}` failed: {}",
                self.program,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(())
    }

    /// Build `dockerfile` in `context` as `tag` (BuildKit, host network) and return the wall
    /// time; the build's output goes to `log`.
    pub fn build(
        &self,
        context: &Path,
        dockerfile: &Path,
        tag: &str,
        log: &Path,
    ) -> Result<Duration, ImageError> {
        let log_file = std::fs::File::create(log)?;
        let start = Instant::now();
        let status = Command::new(&self.program)
            .args(["build", "--network=host", "--progress=plain", "-f"])
            .arg(dockerfile)
            .args(["-t", tag])
            .arg(context)
            .env("DOCKER_BUILDKIT", "1")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .status()
            .map_err(|e| ImageError::Engine(format!("`{} build`: {e}", self.program)))?;
        let took = start.elapsed();
        if !status.success() {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(ImageError::Engine(format!(
                "`docker build` of {} failed:\n{}",
                dockerfile.display(),
                tail.join("\n")
            )));
        }
        Ok(took)
    }

    /// The image's size as `docker image inspect` reports it.
    pub fn image_size(&self, tag: &str) -> Result<u64, ImageError> {
        let out = Command::new(&self.program)
            .args(["image", "inspect", "-f", "{{.Size}}", tag])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| ImageError::Engine(format!("`{} image inspect`: {e}", self.program)))?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| {
                ImageError::Engine(format!(
                    "`{} image inspect {tag}` gave no size",
                    self.program
                ))
            })
    }

    /// Run `argv` in a fresh container of `tag` without network; `Ok(true)` when it exits 0.
    pub fn run(&self, tag: &str, shell: bool, command: &str) -> Result<bool, ImageError> {
        let mut cmd = Command::new(&self.program);
        cmd.args(["run", "--rm", "--network=none"]);
        if shell {
            cmd.args(["--entrypoint", "/bin/sh", tag, "-c", command]);
        } else {
            let words: Vec<&str> = command.split_whitespace().collect();
            let Some((first, rest)) = words.split_first() else {
                return Ok(true);
            };
            cmd.args(["--entrypoint", first, tag]).args(rest);
        }
        let status = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| ImageError::Engine(format!("`{} run`: {e}", self.program)))?;
        Ok(status.success())
    }

    /// Remove an image tag (errors ignored: it may be in use or gone).
    pub fn remove(&self, tag: &str) {
        let _ = Command::new(&self.program)
            .args(["image", "rm", "-f", tag])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
