//! HMAC-SHA256 from RustCrypto's `hmac` over the pinned `sha2`; a prepared key keeps its hashed pads.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A key with its padded blocks already hashed (`Hmac`'s state): each MAC clones it, two compressions fewer.
#[derive(Clone)]
pub struct HmacKey(Hmac<Sha256>);

impl HmacKey {
    /// Prepares `key`.
    pub fn new(key: &[u8]) -> Self {
        HmacKey(keyed(key))
    }

    /// HMAC-SHA256 of `msg`.
    pub fn mac(&self, msg: &[u8]) -> [u8; 32] {
        self.0.clone().chain_update(msg).finalize().into_bytes().into()
    }
}

/// HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    keyed(key).chain_update(msg).finalize().into_bytes().into()
}

#[allow(clippy::expect_used, reason = "HMAC is defined for keys of every length: `new_from_slice` never fails")]
fn keyed(key: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length")
}

#[cfg(test)]
mod tests {
    use super::hmac_sha256;
    use crate::hex::encode;

    #[test]
    fn prepared_key_matches() {
        let k = super::HmacKey::new(b"Jefe");
        assert_eq!(k.mac(b"what do ya want for nothing?"), hmac_sha256(b"Jefe", b"what do ya want for nothing?"));
        assert_eq!(k.mac(b""), hmac_sha256(b"Jefe", b""));
    }

    #[test]
    fn rfc4231_case_2_and_6() {
        assert_eq!(
            encode(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            encode(&hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
