//! `loa play-now CLIP [--level emergency]`: asks the running daemon to play
//! a clip at once, through the local control socket.

use std::io::Write;
use std::path::Path;

use crate::lang::Lang;
use crate::station::Station;

pub(super) fn run(
    config: &Path,
    clip: &str,
    emergency: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let station = match Station::load(config) {
        Ok(s) => s,
        Err(errors) => {
            super::print_errors(&errors, lang, err)?;
            return Ok(1);
        }
    };
    let socket = crate::control::socket_path(&station.data_dir);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(crate::control::play_now(&socket, clip, emergency)) {
        Ok((true, message)) => {
            writeln!(out, "{message}")?;
            Ok(0)
        }
        Ok((false, message)) => {
            writeln!(err, "{message}")?;
            Ok(1)
        }
        Err(e) => {
            writeln!(
                err,
                "{} ({}: {e})",
                lang.pick(
                    "Không liên lạc được với loa run: chương trình có đang chạy không?",
                    "Cannot reach loa run: is it running?"
                ),
                socket.display()
            )?;
            Ok(1)
        }
    }
}
