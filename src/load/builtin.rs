//! The default theme and messages carried inside the binary (listed by
//! `build.rs` from `themes/default/` and `i18n/`).

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
