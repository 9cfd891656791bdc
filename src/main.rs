use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(scrubs::cli::main(std::env::args().collect()))
}
