//! The command line: parses arguments, runs a command, prints its
//! diagnostics and summary, and returns the exit status of the contract
//! (0 success, 1 content or build errors, 2 wrong usage).

use crate::pipeline::{self, BuildOptions};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// vitrine builds the case pages of an agency, in every language, from Markdown.
#[derive(Debug, Parser)]
#[command(name = "vitrine", version, about, long_about = None)]
pub struct Cli {
    /// The site folder (holding site.yaml, content/, themes/, i18n/).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands of the contract that exist so far.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the whole site into a folder, replacing it only when the build succeeds.
    Build {
        /// Where the site goes [default: output/ in the site folder].
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Build for another address than site.yaml's base_url (deploy previews, sub-paths).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Also build the cases marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build the site in memory, serve it, and rebuild and reload the browser on every change.
    Serve {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111, value_name = "N")]
        port: u16,
        /// Open the site in the browser once it is served.
        #[arg(long)]
        open: bool,
        /// Look for changes by scanning the folders twice a second (for
        /// network and virtual-machine file systems that report none).
        #[arg(long)]
        poll: bool,
        /// Also show the cases marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check everything build checks, then every link, image and anchor of the rendered pages; write nothing.
    Check {
        /// Also check the cases marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Create something new in the site folder.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Removes what a build replaced, detached from it (internal).
    #[command(name = "__remove", hide = true)]
    Remove { paths: Vec<PathBuf> },
    /// Render the A3 strategy poster of one case file on its own.
    Poster {
        /// The case file, such as content/cases/bavel/index.nl.md.
        file: PathBuf,
        /// Where the PDF goes [default: <slug>-a3.pdf in the current folder].
        #[arg(long, short, value_name = "OUT.pdf")]
        output: Option<PathBuf>,
    },
}

/// What `vitrine new` creates.
#[derive(Debug, Subcommand)]
pub enum New {
    /// A case: content/cases/SLUG/index.LANG.md per language, as a draft dated today.
    Case {
        /// The case folder's name and default URL slug: lowercase letters, digits and hyphens.
        slug: String,
        /// The languages to create it in, such as nl,fr [default: every language of the site].
        #[arg(long, value_delimiter = ',', value_name = "LANGS")]
        lang: Vec<String>,
    },
}

/// Runs the command line; the binary is only this call.
pub fn main() -> ExitCode {
    let mut cli = Cli::parse();
    // one absolute site folder for every command: the watcher reports
    // absolute paths, and a relative root would not match them
    if let Ok(root) = cli.root.canonicalize() {
        cli.root = root;
    }
    match cli.command {
        Command::Remove { paths } => {
            crate::write::remove_trees(&paths);
            ExitCode::SUCCESS
        }
        Command::Build { output, base_url, drafts } => {
            crate::write::run_as_command();
            let output =
                output.unwrap_or_else(|| crate::diagnostic::display_path(&cli.root, std::path::Path::new("output")));
            let opts = BuildOptions { root: cli.root, output, base_url, drafts };
            let report = pipeline::build(&opts);
            crate::report::print(&report.diagnostics);
            match report.summary {
                Some(s) => {
                    let resized = match s.resized {
                        0 => String::new(),
                        1 => " (1 image resized)".to_string(),
                        n => format!(" ({n} images resized)"),
                    };
                    println!(
                        "built {} pages, {} posters, {} files{resized} in {} ms into {}",
                        s.pages,
                        s.posters,
                        s.files,
                        report.millis,
                        opts.output.display()
                    );
                    for note in &report.notes {
                        println!("note: {note}");
                    }
                    ExitCode::SUCCESS
                }
                None => {
                    let n = report.diagnostics.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "build failed with {n} error{}; {} was left as it was",
                        if n == 1 { "" } else { "s" },
                        opts.output.display()
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve { bind, port, open, poll, drafts } => {
            let opts = crate::serve::ServeOptions { root: cli.root, bind, port, open, poll, drafts };
            match crate::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { drafts } => {
            let report = crate::check::check(&cli.root, drafts);
            crate::report::print(&report.diagnostics);
            let count = |e: bool| report.diagnostics.iter().filter(|d| d.is_error() == e).count();
            let (errors, warnings) = (count(true), count(false));
            let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
            let found = match (errors, warnings) {
                (0, 0) => "no problems".to_string(),
                (e, 0) => plural(e, "error"),
                (0, w) => plural(w, "warning"),
                (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
            };
            if report.rendered {
                println!("checked {}, {}: {found}", plural(report.pages, "page"), plural(report.links, "link"));
            } else {
                println!("check found {found}; the pages and their links are checked once these are fixed");
            }
            if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Command::New { what: New::Case { slug, lang } } => {
            match crate::new_case::new_case(&cli.root, &slug, &lang, crate::date::Date::today()) {
                Ok(made) => {
                    for path in &made {
                        println!("created {}", path.display());
                    }
                    println!(
                        "the case is a draft: `vitrine serve --drafts` shows it; remove `draft: true` to publish it"
                    );
                    ExitCode::SUCCESS
                }
                Err(crate::new_case::Refused::Usage { message, hint }) => {
                    eprintln!("error: {message}");
                    if let Some(hint) = hint {
                        eprintln!("  = hint: {hint}");
                    }
                    ExitCode::from(2)
                }
                Err(crate::new_case::Refused::Site(diags)) => {
                    crate::report::print(&diags);
                    ExitCode::from(1)
                }
            }
        }
        Command::Poster { file, output } => {
            let start = std::time::Instant::now();
            match pipeline::poster(&cli.root, &file) {
                Ok((bytes, slug, warnings)) => {
                    crate::report::print(&warnings);
                    let out = output.unwrap_or_else(|| PathBuf::from(format!("{slug}-a3.pdf")));
                    if let Err(e) = std::fs::write(&out, &bytes) {
                        eprintln!("{}:1:1: error: cannot write the poster: {e}", out.display());
                        return ExitCode::from(1);
                    }
                    let size = crate::poster::size_text(bytes.len(), "en");
                    println!("wrote {} ({size}) in {} ms", out.display(), start.elapsed().as_millis());
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    crate::report::print(&diags);
                    ExitCode::from(1)
                }
            }
        }
    }
}
