//! Long lists, allocated once at their length.
//!
//! serde's `Vec` deserializer trusts a sequence's length hint only up to 1 MiB of elements
//! (a guard against hostile hints), so a list of thousands of domains grew by doubling,
//! copying every domain each time. The hint here comes from the span tree, which holds
//! the items already; it is still capped, so a wrong hint cannot reserve unbounded memory.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

/// Most elements reserved up front; longer lists grow from there.
const MAX_RESERVED: usize = 1 << 17;

/// `#[serde(deserialize_with = "list::exact")]` for a `Vec<T>` field.
pub(super) fn exact<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Exact<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Exact<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_RESERVED));
            while let Some(item) = seq.next_element()? {
                v.push(item);
            }
            Ok(v)
        }
    }

    d.deserialize_seq(Exact(PhantomData))
}
