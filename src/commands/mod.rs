//! The command line: parses arguments, runs a command, prints its
//! diagnostics and summary, and returns the exit status of the contract
//! (0 success, 1 content or build errors, 2 wrong usage).
//!
//! The room of the commands: `check`, `init` and `new` are files here;
//! `build` and `poster` run the stages ([`crate::pipeline`]); `serve` is a
//! room of its own ([`crate::serve`]). The site options are read here,
//! once ([`crate::pipeline::Options`]).

pub mod check;
pub mod init;
pub mod new;

use crate::cache::Cache;
use crate::diagnostic::report::count;
use crate::pipeline::{self, Options};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
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
        /// Also answer requests for this host name (besides localhost, IP
        /// addresses and the `--bind` name); repeat it for more names.
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Check everything build checks, then every link, image and anchor of the rendered pages; write nothing.
    Check {
        /// Also check the cases marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a new site: site.yaml, home intros, an example person and an example case with a poster.
    Init {
        /// The folder to make the site in [default: the --root folder, `.`].
        dir: Option<PathBuf>,
        /// The site's languages, the first one the default.
        #[arg(long, value_delimiter = ',', value_name = "LANGS", default_value = "nl,fr")]
        lang: Vec<String>,
        /// The site's title [default: the folder's name].
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// Where the site will be published, such as https://www.agency.nl/cases/.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Create something new in the site folder.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// For each case and language: `ok`, `missing` or `outdated` (its first language changed since the translation was brought up to date).
    Translations {
        /// Print JSON: [{"case": FOLDER, "languages": {LANG: "ok" | "missing" | "outdated"}}].
        #[arg(long)]
        json: bool,
        /// Exit 1 when a translation is missing or outdated (for CI).
        #[arg(long)]
        strict: bool,
        /// Mark this translation as brought up to date with its case's first language.
        #[arg(long, num_args = 2, value_names = ["CASE", "LANG"])]
        done: Option<Vec<String>>,
    },
    /// Removes what a build replaced, detached from it (internal).
    #[command(name = "__remove", hide = true)]
    Remove { paths: Vec<PathBuf> },
    /// Render the A3 strategy poster of one case file on its own.
    Poster {
        /// The case file, such as content/cases/bavel/index.nl.md.
        file: PathBuf,
        /// Where the PDF goes [default: <slug>-a3.pdf, or <slug>-a3-print.pdf, in the current folder].
        #[arg(long, short, value_name = "OUT.pdf")]
        output: Option<PathBuf>,
        /// The file for the print shop: A3 with 3 mm bleed and crop marks, CMYK, PDF/X-4.
        #[arg(long)]
        print: bool,
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
    /// A translation of a case: its first language copied to content/cases/CASE/index.LANG.md as a draft, recording what it was made from.
    Translation {
        /// The case folder.
        case: String,
        /// The language to translate it into.
        lang: String,
    },
    /// A contact person: content/people/ID.yaml.
    Person {
        /// The person's id, which cases give as `contact:`: lowercase letters, digits and hyphens.
        id: String,
        /// The person's full name [default: made from the id].
        #[arg(long)]
        name: Option<String>,
    },
}

/// Runs the command line; the binary is only this call.
pub fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let typed_root = cli.root.clone();
    // one absolute site folder for every command: the watcher reports
    // absolute paths, and a relative root would not match them
    if let Ok(root) = cli.root.canonicalize() {
        cli.root = root;
    }
    // the site options, read once, here, and passed down: `SOURCE_DATE_EPOCH`
    // dates the posters
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    let site = |drafts: bool, base_url: Option<String>, cache: Cache| Options {
        root: cli.root.clone(),
        drafts,
        base_url,
        source_date_epoch: epoch,
        cache,
        cms_local: false,
        deflate_texts: false,
    };
    match cli.command {
        Command::Remove { paths } => {
            crate::write::remove_trees(&paths);
            ExitCode::SUCCESS
        }
        Command::Build { output, base_url, drafts } => {
            let output =
                output.unwrap_or_else(|| crate::diagnostic::display_path(&cli.root, std::path::Path::new("output")));
            build(&site(drafts, base_url, Cache::user()), &output)
        }
        Command::Serve { bind, port, open, poll, drafts, allow_host } => {
            let site = site(drafts, None, Cache::user());
            match crate::serve::run(&crate::serve::ServeOptions { site, bind, port, open, poll, allow_host }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { drafts } => check(&site(drafts, None, Cache::user_read_only())),
        Command::Init { dir, lang, title, base_url } => {
            init(crate::commands::init::InitOptions { dir: dir.unwrap_or(typed_root), langs: lang, title, base_url })
        }
        Command::New { what } => new(&cli.root, what),
        Command::Translations { json, strict, done } => translations(&cli.root, json, strict, done),
        Command::Poster { file, output, print } => {
            let kind =
                if print { crate::model::urls::PosterFile::Print } else { crate::model::urls::PosterFile::Screen };
            poster(&site(true, None, Cache::none()), &file, kind, output)
        }
    }
}

/// `vitrine build`: the site into `output`, and a line saying what it made.
fn build(site: &Options, output: &Path) -> ExitCode {
    crate::write::run_as_command();
    let report = pipeline::build(site, output);
    crate::diagnostic::report::print(&report.diagnostics);
    let Some(s) = report.summary else {
        let n = report.diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!("build failed with {}; {} was left as it was", count(n, "error"), output.display());
        return ExitCode::from(1);
    };
    let resized = match s.resized {
        0 => String::new(),
        n => format!(" ({} resized)", count(n, "image")),
    };
    let print = match s.print {
        0 => String::new(),
        n => format!(" ({} for print)", count(n, "file")),
    };
    let redirects = match s.redirects {
        0 => String::new(),
        n => format!(" ({})", count(n, "redirect")),
    };
    println!(
        "built {}{redirects}, {}{print}, {}{resized} in {} ms into {}",
        count(s.pages, "page"),
        count(s.posters, "poster"),
        count(s.files, "file"),
        report.millis,
        output.display()
    );
    for note in &report.notes {
        println!("note: {note}");
    }
    ExitCode::SUCCESS
}

/// `vitrine check`: every problem of the site and its links, counted.
fn check(site: &Options) -> ExitCode {
    let report = crate::commands::check::check(site);
    crate::diagnostic::report::print(&report.diagnostics);
    let of = |e: bool| report.diagnostics.iter().filter(|d| d.is_error() == e).count();
    let (errors, warnings) = (of(true), of(false));
    let found = match (errors, warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => count(e, "error"),
        (0, w) => count(w, "warning"),
        (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
    };
    if report.rendered {
        println!("checked {}, {}: {found}", count(report.pages, "page"), count(report.links, "link"));
    } else {
        println!("check found {found}; the pages and their links are checked once these are fixed");
    }
    if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// `vitrine init`: a new site, and what to run next.
fn init(opts: crate::commands::init::InitOptions) -> ExitCode {
    let dir = &opts.dir;
    match crate::commands::init::init(&opts) {
        Ok(made) => {
            for path in &made {
                println!("created {}", dir.join(path).display());
            }
            let cd = if dir == Path::new(".") || dir.as_os_str().is_empty() {
                String::new()
            } else {
                format!("  cd {}\n", dir.display())
            };
            println!(
                "\na new site, with an example case to replace; next:\n{cd}  \
                 vitrine serve              # preview on http://127.0.0.1:1111/, reloads on every save\n  \
                 vitrine new case my-case   # a case of your own, as a draft (`vitrine serve --drafts` shows it)\n  \
                 vitrine build              # the site and its posters into output/, for any static host"
            );
            if opts.base_url.is_none() {
                println!("and set base_url in site.yaml to the address the site will have");
            }
            ExitCode::SUCCESS
        }
        Err(crate::commands::init::Refused::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(crate::commands::init::Refused::Exists(diags)) => {
            crate::diagnostic::report::print(&diags);
            ExitCode::from(1)
        }
    }
}

/// `vitrine new`: a case, a person or a translation, and what to do with it.
fn new(root: &Path, what: New) -> ExitCode {
    match what {
        New::Case { slug, lang } => {
            let made = crate::commands::new::new_case(root, &slug, &lang, crate::model::date::Date::today());
            refused_or(made, |made| {
                for path in &made {
                    println!("created {}", path.display());
                }
                println!("the case is a draft: `vitrine serve --drafts` shows it; remove `draft: true` to publish it");
            })
        }
        New::Person { id, name } => refused_or(crate::commands::new::new_person(root, &id, name.as_deref()), |made| {
            println!("created {}", made.display());
            println!("cases name this person with `contact: {id}`");
        }),
        New::Translation { case, lang } => {
            let made = crate::commands::new::site_config(root, &[]).and_then(|config| {
                crate::validate::translations::start(root, &config, &case, &lang)
                    .map_err(|d| crate::commands::new::Refused::Site(vec![d]))
            });
            refused_or(made, |made| {
                println!("created {}", crate::diagnostic::display_path(root, &made).display());
                println!(
                    "translate it, then remove `draft: true`; `vitrine translations` says when the case's first language changes after that"
                );
            })
        }
    }
}

/// `vitrine translations`: which translations are missing or behind, as
/// text or JSON; or `--done`, a translation marked up to date.
fn translations(root: &Path, json: bool, strict: bool, done: Option<Vec<String>>) -> ExitCode {
    let config = match crate::commands::new::site_config(root, &[]) {
        Ok(config) => config,
        Err(refused) => return refused_or(Err(refused), |()| {}),
    };
    if let Some([case, lang]) = done.as_deref() {
        let marked = crate::validate::translations::done(root, &config, case, lang)
            .map_err(|d| crate::commands::new::Refused::Site(vec![d]));
        return refused_or(marked, |path| {
            let shown = crate::diagnostic::display_path(root, &path);
            println!("{} is up to date with its case", shown.display());
        });
    }
    let cases = crate::validate::translations::report(root, &config);
    if json {
        println!("{}", crate::validate::translations::json(&cases));
    } else {
        print!("{}", crate::validate::translations::text(&cases));
    }
    let behind = crate::validate::translations::summary(&cases).is_some();
    if strict && behind { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// `vitrine poster`: one case's poster into a file of its own.
fn poster(site: &Options, file: &Path, kind: crate::model::urls::PosterFile, output: Option<PathBuf>) -> ExitCode {
    let start = std::time::Instant::now();
    match pipeline::poster(site, file, kind) {
        Ok((bytes, slug, warnings)) => {
            crate::diagnostic::report::print(&warnings);
            let out = output.unwrap_or_else(|| PathBuf::from(crate::model::urls::poster_name(&slug, kind)));
            if let Err(e) = std::fs::write(&out, &bytes) {
                eprintln!("{}:1:1: error: cannot write the poster: {e}", out.display());
                return ExitCode::from(1);
            }
            let size = crate::text::typography::size_text(bytes.len(), "en");
            println!("wrote {} ({size}) in {} ms", out.display(), start.elapsed().as_millis());
            ExitCode::SUCCESS
        }
        Err(diags) => {
            crate::diagnostic::report::print(&diags);
            ExitCode::from(1)
        }
    }
}

/// Prints what `new` made, or why it made nothing, with its exit status.
fn refused_or<T>(result: Result<T, crate::commands::new::Refused>, made: impl FnOnce(T)) -> ExitCode {
    match result {
        Ok(t) => {
            made(t);
            ExitCode::SUCCESS
        }
        Err(crate::commands::new::Refused::Usage { message, hint }) => {
            eprintln!("error: {message}");
            if let Some(hint) = hint {
                eprintln!("  = hint: {hint}");
            }
            ExitCode::from(2)
        }
        Err(crate::commands::new::Refused::Site(diags)) => {
            crate::diagnostic::report::print(&diags);
            ExitCode::from(1)
        }
    }
}
