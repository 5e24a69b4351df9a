//! The `feedhook` binary: everything lives in the library; see `feedhook::cli`.

/// jemalloc rather than the system allocator: glibc's per-thread arenas keep the high-water mark
/// of a burst (the first round of polls) resident for good, whatever the operator's environment;
/// jemalloc hands freed pages back (docs/performance.md, "Memory").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    feedhook::cli::main()
}
