//! RFC 4122 version-4 UUIDs from caller-supplied random bytes (the binding layer brings them).
//!
//! ```
//! let id = tc3_lighthouse_core::uuid::v4([0xab; 16]);
//! assert_eq!(id, "abababab-abab-4bab-abab-abababababab");
//! ```

/// Formats 16 random bytes as a version-4, variant-1 UUID.
pub fn v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = crate::hex::encode(&b);
    let mut out = String::with_capacity(36);
    for (i, c) in hex.chars().enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_and_variant() {
        let id = super::v4([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
        let id = super::v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }
}
