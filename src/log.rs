//! Minimal logging to stderr, for the server and the CLI.
//!
//! Privacy rule: nothing logged may contain document text. Log messages name files, rule codes,
//! versions, counts and positions — never the words of a document. The level comes from
//! `SCRUBS_LOG` (`error`, `warn` — the default —, `info`, `debug`).

use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Warn as u8);

/// Reads `SCRUBS_LOG`; an unknown value keeps the default and says so.
pub fn init_from_env() {
    if let Ok(value) = std::env::var("SCRUBS_LOG") {
        let level = match value.to_ascii_lowercase().as_str() {
            "error" => Level::Error,
            "warn" | "warning" => Level::Warn,
            "info" => Level::Info,
            "debug" | "trace" => Level::Debug,
            _ => {
                eprintln!("scrubs: warning: SCRUBS_LOG={value:?} is not one of error, warn, info, debug; using warn");
                Level::Warn
            }
        };
        LEVEL.store(level as u8, Ordering::Relaxed);
    }
}

pub fn enabled(level: Level) -> bool {
    level as u8 <= LEVEL.load(Ordering::Relaxed)
}

pub fn write(level: Level, message: std::fmt::Arguments<'_>) {
    if enabled(level) {
        let tag = match level {
            Level::Error => "error",
            Level::Warn => "warning",
            Level::Info => "info",
            Level::Debug => "debug",
        };
        eprintln!("scrubs: {tag}: {message}");
    }
}

#[macro_export]
macro_rules! log_error { ($($arg:tt)*) => { $crate::log::write($crate::log::Level::Error, format_args!($($arg)*)) } }
#[macro_export]
macro_rules! log_warn { ($($arg:tt)*) => { $crate::log::write($crate::log::Level::Warn, format_args!($($arg)*)) } }
#[macro_export]
macro_rules! log_info { ($($arg:tt)*) => { $crate::log::write($crate::log::Level::Info, format_args!($($arg)*)) } }
#[macro_export]
macro_rules! log_debug { ($($arg:tt)*) => { $crate::log::write($crate::log::Level::Debug, format_args!($($arg)*)) } }
