//! Locks that do not fail. A lock is poisoned when a thread panicked while holding it; the
//! data behind htx's locks (caches, throttles, upload lists) stays valid in that case, so the
//! next user goes on with it instead of the panic spreading to every later request.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Takes the lock, recovering it if a panicking thread left it poisoned.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
