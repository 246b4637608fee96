//! The `loa` binary: sets up logging, reads the clock and the environment,
//! and hands over to the library.

use loa::clock::{Clock, SystemClock};

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LOA_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let ctx = loa::cli::Context {
        now: SystemClock.now(),
        lang_env: std::env::var("LANG").ok(),
    };
    let code = loa::cli::run(
        std::env::args_os(),
        &ctx,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
