fn main() -> std::process::ExitCode {
    whittle::cli::run()
}
