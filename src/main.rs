fn main() -> std::process::ExitCode {
    policyc::cli::run()
}
