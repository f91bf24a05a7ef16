//! The integration tests, one binary with a module per area (one link of
//! the library and its dependencies instead of one per file). They drive
//! vitrine as people do: the binary in a site folder, or the library's
//! pipeline; `common` holds the helpers.

mod common;

mod aliases;
mod bad_input;
mod build_output;
mod check_new;
mod cms;
mod deploy;
mod errors;
mod example_site;
mod filters;
mod fuzz;
mod guides;
mod images;
mod init;
mod lists;
mod poster;
mod poster_files;
mod publishing;
mod same_output;
mod search;
mod serve_http;
mod serve_load;
mod serve_rebuild;
mod structure;
mod theme_i18n;
mod translations;
mod travel;
