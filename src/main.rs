//! The `loa` binary: sets up logging, reads the clock and the environment,
//! and hands over to the library.

use loa::clock::{Clock, SystemClock};

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LOA_LOG")
                .unwrap_or_else(|_| "warn,symphonia=off".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let ctx = loa::cli::Context {
        now: SystemClock.now(),
        lang_env: std::env::var("LANG").ok(),
    };
    // Unlocked handles: decoding threads log through tracing to stderr, and
    // holding the stderr lock for the whole run would deadlock them.
    let code = loa::cli::run(
        std::env::args_os(),
        &ctx,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
