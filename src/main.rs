//! The `vitrine` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    vitrine::cli::main()
}
