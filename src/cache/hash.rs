//! A stable 64-bit FNV-1a hash: poster cache keys, subset tags and document
//! ids must be the same on every run and machine, which std's hasher is not.

use std::hash::Hasher;

/// FNV-1a, usable as a [`Hasher`] for `#[derive(Hash)]` values.
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// The hash of some bytes.
    pub fn of(bytes: &[u8]) -> u64 {
        let mut h = Fnv::new();
        h.write(bytes);
        h.0
    }
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv::new()
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

/// A hasher for keys that are numbers already (glyph pairs, packed glyph
/// keys): one multiplication, where the default SipHash took a tenth of a
/// poster's time. Not stable across versions: for maps only.
#[derive(Default)]
pub struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u64(u64::from(b)));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        // the product's high bits depend on all of `n`: rotated to where a table looks
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(26);
    }
}

/// Six capital letters from a hash: a PDF font subset tag (`ABCDEF+Name`).
pub fn tag(h: u64) -> String {
    (0..6).map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8)).collect()
}
