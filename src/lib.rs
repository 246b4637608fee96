//! `loa`: the autopilot of a Vietnamese commune loudspeaker station. It reads
//! the station's windows and the directives' quotas, catalogs the clips, and
//! plans a calendar that meets the quotas inside the allowed windows.
//!
//! See `ARCHITECTURE.md` for the map. The planning core ([`planner`]) is
//! pure; files are read at the edges ([`station`], [`directive`],
//! [`catalog`], [`inputs`]) and the command line lives in [`cli`].

pub mod airing_log;
pub mod calendar;
pub mod calendar_store;
pub mod catalog;
pub mod cli;
pub mod clip;
pub mod clock;
pub mod control;
pub mod deadline;
pub mod directive;
pub mod directive_import;
pub mod error;
pub mod fixed;
pub mod fsutil;
pub mod ics;
pub mod inputs;
pub mod lang;
pub mod library;
pub mod planner;
pub mod player;
pub mod playout;
pub mod probe;
pub mod quota;
pub mod report;
pub mod report_docx;
pub mod report_file;
pub mod report_format;
pub mod report_xlsx;
pub mod source;
pub mod station;
pub mod watch;
pub mod web;
pub mod window;
