//! The order the engine's locks are taken in, enforced here: a workflow run's lock
//! ([`super::run::RunCell::lock`]) before the region's definitions ([`Region::read`],
//! [`Region::write`]). A run holding its lock may read or change the definitions; a
//! thread holding the definitions never locks a run, which could be waiting for them.
//! (A job run's or crawl's own mutex, taken between the two, is not checked.)
//! Every definitions guard carries a [`DefinitionsHeld`]; locking a run checks that the
//! thread holds none, and panics when it does. The count and the check exist in debug
//! builds only (which the test suites run): release builds pay nothing on the hot path.
//!
//! [`Region::read`]: super::Region::read
//! [`Region::write`]: super::Region::write

#[cfg(debug_assertions)]
use std::cell::Cell;
use std::marker::PhantomData;

#[cfg(debug_assertions)]
thread_local! {
    /// How many definitions guards this thread holds.
    static DEFINITIONS_HELD: Cell<u32> = const { Cell::new(0) };
}

/// Part of every guard of the definitions: counts it as held by this thread until dropped.
/// Not `Send`, like the guard it belongs to, so it is dropped on the thread that made it.
pub(crate) struct DefinitionsHeld(PhantomData<*const ()>);

impl DefinitionsHeld {
    pub(crate) fn enter() -> DefinitionsHeld {
        #[cfg(debug_assertions)]
        DEFINITIONS_HELD.with(|n| n.set(n.get() + 1));
        DefinitionsHeld(PhantomData)
    }
}

impl Drop for DefinitionsHeld {
    fn drop(&mut self) {
        #[cfg(debug_assertions)]
        DEFINITIONS_HELD.with(|n| n.set(n.get() - 1));
    }
}

/// Called before a run's lock is taken: the thread must not hold the definitions.
pub(crate) fn before_run_lock() {
    #[cfg(debug_assertions)]
    assert_eq!(
        DEFINITIONS_HELD.with(Cell::get),
        0,
        "lock order: a workflow run locked while holding the region's definitions"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Region;

    #[test]
    fn runs_lock_freely_once_the_definitions_are_released() {
        let region = Region::new("1", "r", Default::default(), None);
        drop(region.read());
        drop(region.write());
        before_run_lock();
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "lock order")]
    fn locking_a_run_under_the_definitions_read_lock_panics() {
        let region = Region::new("1", "r", Default::default(), None);
        let _defs = region.read();
        before_run_lock();
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "lock order")]
    fn locking_a_run_under_the_definitions_write_lock_panics() {
        let region = Region::new("1", "r", Default::default(), None);
        let _defs = region.write();
        before_run_lock();
    }
}
