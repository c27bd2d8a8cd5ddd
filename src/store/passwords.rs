//! Password hashing in fixed memory. Argon2id (19 MiB, two passes: the parameters of
//! `password-auth`, whose PHC strings are stored) runs in a bounded number of slots; each slot
//! works in memory allocated once and reused, because allocating 19 MiB per check lets the
//! allocator's heaps grow with every burst (a 10-second login flood reached 650 MB that way,
//! with only two checks at a time). Callers wait a bounded time for a slot, and only a bounded
//! number wait; beyond that the work is refused with [`Error::Busy`].

use crate::error::{Error, Result};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many callers may wait for a slot, per slot.
const WAITING_PER_SLOT: usize = 32;

/// The bound on password hashing running at once.
#[derive(Debug, Clone)]
pub struct PasswordGate {
    slots: Arc<Semaphore>,
    /// Working memory of the slots not in use (never more buffers than slots).
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    wait: Duration,
}

impl Default for PasswordGate {
    /// One slot per processor core, a wait of at most two seconds.
    fn default() -> Self {
        PasswordGate::new(0, Duration::from_secs(2))
    }
}

impl PasswordGate {
    /// `slots` hashes at once (0: one per processor core); callers wait at most `wait`.
    pub fn new(slots: usize, wait: Duration) -> PasswordGate {
        let slots = if slots == 0 {
            std::thread::available_parallelism().map_or(1, usize::from)
        } else {
            slots
        };
        PasswordGate {
            slots: Arc::new(Semaphore::new(slots)),
            memory: Arc::default(),
            waiting: Arc::default(),
            max_waiting: slots * WAITING_PER_SLOT,
            wait,
        }
    }

    /// Slots free right now.
    pub fn available(&self) -> usize {
        self.slots.available_permits()
    }

    /// Waits (boundedly) for a slot.
    pub async fn enter(&self) -> Result<PasswordSlot> {
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => self.wait_for_slot().await?,
        };
        let memory = crate::sync::lock(&self.memory).pop();
        Ok(PasswordSlot {
            _permit: permit,
            memory: memory.unwrap_or_default(),
            gate_memory: self.memory.clone(),
        })
    }

    async fn wait_for_slot(&self) -> Result<OwnedSemaphorePermit> {
        let busy = || Error::Busy("đang kiểm tra quá nhiều mật khẩu cùng lúc".into());
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy());
        }
        // Counted out again even when the request is dropped while it waits.
        let _waiter = Waiter(&self.waiting);
        match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }
}

struct Waiter<'a>(&'a AtomicUsize);

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A slot of the [`PasswordGate`] and its working memory, held until the hashing ends.
#[derive(Debug)]
pub struct PasswordSlot {
    _permit: OwnedSemaphorePermit,
    memory: Vec<Block>,
    gate_memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl Drop for PasswordSlot {
    fn drop(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        if !memory.is_empty() {
            crate::sync::lock(&self.gate_memory).push(memory);
        }
    }
}

impl PasswordSlot {
    /// The working memory for `blocks` blocks (grown once, then reused).
    fn memory(&mut self, blocks: usize) -> &mut [Block] {
        if self.memory.len() < blocks {
            self.memory = vec![Block::default(); blocks];
        }
        &mut self.memory[..blocks]
    }

    /// Whether `password` matches the stored PHC string `hash` (false for any malformed one).
    pub fn verify(&mut self, password: &str, hash: &str) -> bool {
        let Ok(hash) = PasswordHash::new(hash) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
            return false;
        };
        let (Ok(algorithm), Ok(params)) =
            (Algorithm::try_from(hash.algorithm), Params::try_from(&hash))
        else {
            return false;
        };
        let Ok(version) = hash
            .version
            .map_or(Ok(Version::default()), Version::try_from)
        else {
            return false;
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        let mut out = vec![0u8; expected.len()];
        let blocks = params.block_count();
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt,
                &mut out,
                self.memory(blocks),
            )
            .is_ok()
            && Output::new(&out).is_ok_and(|computed| computed == expected)
    }

    /// A new PHC string for `password`: argon2id with the default parameters, a random salt.
    #[allow(
        clippy::expect_used,
        reason = "every input but the password is a constant the argon2 crate accepts (a 16-byte salt, its default parameters, a 32-byte output), and it hashes passwords of any length; the unit tests below hash with them"
    )]
    pub fn hash(&mut self, password: &str) -> String {
        let salt_bytes: [u8; 16] = rand::random();
        let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes make a salt");
        let argon = Argon2::default();
        let params = argon.params().clone();
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        argon
            .hash_password_into_with_memory(
                password.as_bytes(),
                &salt_bytes,
                &mut out,
                self.memory(params.block_count()),
            )
            .expect("the default parameters hash any password");
        PasswordHash {
            algorithm: Algorithm::default().ident(),
            version: Some(Version::default().into()),
            params: ParamsString::try_from(&params).expect("the default parameters print"),
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).expect("32 bytes make an output")),
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_those_of_password_auth_both_ways() {
        let gate = PasswordGate::new(1, Duration::from_secs(1));
        let mut slot = gate.enter().await.unwrap();
        let ours = slot.hash("mật khẩu đủ dài");
        assert!(password_auth::verify_password("mật khẩu đủ dài", &ours).is_ok());
        assert_eq!(password_auth::is_hash_obsolete(&ours), Ok(false));
        let theirs = password_auth::generate_hash("một mật khẩu khác");
        assert!(slot.verify("một mật khẩu khác", &theirs));
        assert!(!slot.verify("một mật khẩu sai", &theirs));
        assert!(!slot.verify("x", "not a hash"));
    }

    #[tokio::test]
    async fn the_working_memory_is_allocated_once_per_slot() {
        let gate = PasswordGate::new(2, Duration::from_secs(1));
        let hash = gate.enter().await.unwrap().hash("mật khẩu đủ dài");
        for _ in 0..3 {
            let (mut a, mut b) = (gate.enter().await.unwrap(), gate.enter().await.unwrap());
            assert!(a.verify("mật khẩu đủ dài", &hash) && b.verify("mật khẩu đủ dài", &hash));
        }
        let kept = gate.memory.lock().unwrap();
        assert_eq!(kept.len(), 2, "one buffer per slot, reused");
        assert!(
            kept.iter()
                .all(|m| m.len() == Params::DEFAULT_M_COST as usize)
        );
    }

    #[tokio::test]
    async fn a_full_gate_refuses_after_its_wait() {
        let gate = PasswordGate::new(1, Duration::from_millis(20));
        let held = gate.enter().await.unwrap();
        assert!(matches!(gate.enter().await, Err(Error::Busy(_))));
        drop(held);
        assert!(gate.enter().await.is_ok());
    }
}
