//! The htx binary: parse the command line, run it, print errors in Vietnamese.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    htx::cli::main()
}
