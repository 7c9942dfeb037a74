//! The multi-stage split behind WH307's fix: turn the image's stage, which installs a build
//! toolchain, into a build stage and append a runtime stage that gets only what the program
//! needs at run time.
//!
//! The plan is deliberately narrow. It is applied (an unsafe fix) only when every RUN of the
//! stage is understood: package installs, a recognised build (`go build -o`, `make install`,
//! `cmake --install`, `gcc -o`, `pip install` into a virtualenv, `cargo install --root`),
//! user creation, and commands that only touch the build's own files. Anything else (a
//! `curl | sh`, a `sed -i` on a system file, an npm build) could have set up something the
//! program needs at run time that the plan would leave behind, so the proposed structure is
//! shown as a display-only suggestion and nothing changes.
//!
//! [`analysis`] reads the stage, [`runtime`] decides the runtime stage's base and packages,
//! [`edits`] turns both into the fix.

mod analysis;
mod edits;
mod runtime;

pub use edits::plan;
