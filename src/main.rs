//! The `vitrine` binary: everything lives in the library.

/// Rendering allocates many small strings and vectors on every thread;
/// mimalloc serves them faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vitrine::commands::main()
}
