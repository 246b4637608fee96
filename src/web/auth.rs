//! Logins for the web page (filled in below).
