//! The `feedhook` binary: everything lives in the library; see `feedhook::cli`.

fn main() -> std::process::ExitCode {
    feedhook::cli::main()
}
