//! Content digests (XXH3, 128 bits) as hex strings: the build notices
//! changed sources, templates and settings by them, and `serve` a changed
//! page. Not for security.

/// An incremental digest over several byte strings.
#[derive(Default)]
pub struct Hasher(xxhash_rust::xxh3::Xxh3Default);

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        // Length first, so ("ab", "c") and ("a", "bc") differ.
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub fn hex(&self) -> String {
        format!("{:032x}", self.0.digest128())
    }
}

/// The digest of one byte string.
pub fn hex(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
