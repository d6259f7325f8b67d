//! The fast hash maps and sets of the hot paths: a module of their own rather than items of the
//! crate root, which re-exports `server` and so depends, through it, on every module.

/// The hash maps of the store's hot paths (tables, field and external-id indexes), keyed by short
/// trusted names: a fast non-cryptographic hash rather than SipHash.
pub type FastMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;
/// The set counterpart of [`FastMap`].
pub type FastSet<K> = std::collections::HashSet<K, rustc_hash::FxBuildHasher>;
