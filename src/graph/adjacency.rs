//! Compact per-node lists of a finished graph.

use super::{Graph, NodeId};

/// Per-node lists in one array (compressed sparse rows): node `i`'s list is
/// `items[start[i]..start[i + 1]]`. Walking petgraph's linked edge lists touches a scattered
/// cache line per edge; at 200k nodes that was most of the time of every graph walk.
#[derive(Debug, Clone)]
pub(super) struct Adjacency<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Adjacency<T> {
    fn default() -> Self {
        Adjacency {
            start: Vec::new(),
            items: Vec::new(),
        }
    }
}

impl<T: Copy> Adjacency<T> {
    /// Lists what `f(node, items)` appends for every node of `gr`, in node index order.
    pub(super) fn new(gr: &Graph, mut f: impl FnMut(NodeId, &mut Vec<T>)) -> Adjacency<T> {
        let mut start = Vec::with_capacity(gr.g.node_count() + 1);
        let mut items = Vec::with_capacity(gr.g.edge_count());
        start.push(0);
        for id in gr.g.node_indices() {
            f(id, &mut items);
            start.push(u32::try_from(items.len()).unwrap_or(u32::MAX));
        }
        Adjacency { start, items }
    }

    /// The list of `id` (empty for a node the graph does not have).
    pub(super) fn of(&self, id: NodeId) -> &[T] {
        let i = id.index();
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(a), Some(b)) => self.items.get(*a as usize..*b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}
