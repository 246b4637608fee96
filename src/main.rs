//! The `loa` binary: sets up logging, reads the clock and the environment,
//! and hands over to the library.

use loa::clock::{Clock, SystemClock};

fn main() {
    // symphonia reports problems that the catalog reports better, in the
    // officer's language; keep its own log lines out unless asked for.
    let filter = match std::env::var("LOA_LOG") {
        Ok(spec) if spec.contains("symphonia") => spec,
        Ok(spec) => format!("{spec},symphonia=off"),
        Err(_) => "info,symphonia=off".to_string(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
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
