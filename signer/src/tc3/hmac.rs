//! HMAC-SHA256 on top of `sha2` (RFC 2104): a few lines instead of another crate in the wasm.

use sha2::{Digest, Sha256};

const BLOCK: usize = 64;

/// A key with its padded blocks already hashed: each MAC then costs two compressions fewer.
#[derive(Clone)]
pub struct HmacKey {
    inner: Sha256,
    outer: Sha256,
}

impl HmacKey {
    /// Prepares `key`.
    pub fn new(key: &[u8]) -> Self {
        let (ipad, opad) = pads(key);
        HmacKey { inner: Sha256::new().chain_update(ipad), outer: Sha256::new().chain_update(opad) }
    }

    /// HMAC-SHA256 of `msg`.
    pub fn mac(&self, msg: &[u8]) -> [u8; 32] {
        let inner = self.inner.clone().chain_update(msg).finalize();
        self.outer.clone().chain_update(inner).finalize().into()
    }
}

/// HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let (ipad, opad) = pads(key);
    let inner = Sha256::new().chain_update(ipad).chain_update(msg).finalize();
    Sha256::new().chain_update(opad).chain_update(inner).finalize().into()
}

/// The key XORed into the inner and outer pads (keys longer than a block are hashed first).
fn pads(key: &[u8]) -> ([u8; BLOCK], [u8; BLOCK]) {
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        let h = Sha256::digest(key);
        k.iter_mut().zip(h.iter()).for_each(|(d, s)| *d = *s);
    } else {
        k.iter_mut().zip(key.iter()).for_each(|(d, s)| *d = *s);
    }
    let mut ipad = [0x36u8; BLOCK];
    let mut opad = [0x5cu8; BLOCK];
    for ((i, o), kb) in ipad.iter_mut().zip(opad.iter_mut()).zip(k.iter()) {
        *i ^= kb;
        *o ^= kb;
    }
    (ipad, opad)
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
