//! The officer's web page, served by `loa run`.

pub mod auth;
