//! `VITRINE_TIMINGS=1`: each stage of a build, or of a rebuild in `serve`,
//! says on standard error when it ended, counted from the start of its
//! step (`timing validate: cases 9.1 ms`). For measuring where a save's
//! time goes (docs/incremental.md); silent otherwise.

use std::sync::OnceLock;
use std::time::Instant;

/// The phases of one step, each told when it ends.
pub struct Phases {
    step: &'static str,
    start: Option<Instant>,
}

impl Phases {
    /// Starts timing `step` (nothing is timed unless `VITRINE_TIMINGS` is set).
    pub fn start(step: &'static str) -> Phases {
        static ON: OnceLock<bool> = OnceLock::new();
        let on = *ON.get_or_init(|| std::env::var_os("VITRINE_TIMINGS").is_some_and(|v| !v.is_empty()));
        Phases { step, start: on.then(Instant::now) }
    }

    /// Phase `phase` of the step ended now.
    pub fn end(&self, phase: &str) {
        if let Some(start) = self.start {
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            match resident_mib() {
                Some(mib) => eprintln!("timing {}: {phase} {ms:.1} ms ({mib} MiB resident)", self.step),
                None => eprintln!("timing {}: {phase} {ms:.1} ms", self.step),
            }
        }
    }
}

/// The memory the process holds now (Linux), in MiB.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1 << 20))
}
