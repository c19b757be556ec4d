//! Resolve: checks that every name is defined once and every reference points at something
//! of the right kind, and builds the [`Model`]: the topology plus name indexes that the
//! graph, the rules and the renderers query.

mod aws;
pub mod aws_limits;
mod index;
mod integrity;
pub mod limits;
mod objects;
pub mod path;
mod refs;
mod replica;

pub use index::*;
pub use objects::{Loc, Object, ObjectId, Objects};
pub(crate) use replica::domain_hosts;

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::load::Loaded;
use crate::model::Topology;

/// A loaded topology whose references all resolve.
#[derive(Debug)]
pub struct Model {
    pub file: Arc<SourceFile>,
    pub topo: Topology,
    pub index: Index,
    /// The table of named objects, built on first use ([`Model::objects`]).
    objects: std::sync::OnceLock<Objects>,
}

impl Model {
    /// The table of the topology's named objects (built once, on first use).
    pub fn objects(&self) -> &Objects {
        self.objects
            .get_or_init(|| Objects::build(&self.topo, |c| self.index.servers_of(c)))
    }
}

/// Resolves a loaded topology; returns every resolution error at once.
pub fn resolve(loaded: Loaded) -> Result<Model, Vec<Diagnostic>> {
    let Loaded { file, mut topology } = loaded;
    let mut errors = Vec::new();
    replica::expand(&mut topology, &file, &mut errors);
    let index = Index::build(&topology, &file, &mut errors);
    refs::check(&topology, &index, &file, &mut errors);
    integrity::check(&topology, &index, &file, &mut errors);
    limits::check(&topology, &file, &mut errors);
    aws_limits::check(&topology, &file, &mut errors);
    if errors.is_empty() {
        Ok(Model {
            file,
            topo: topology,
            index,
            objects: std::sync::OnceLock::new(),
        })
    } else {
        crate::diagnostic::sort(&mut errors);
        Err(errors)
    }
}

/// Loads and resolves a file in one step.
pub fn load_model(path: &std::path::Path, display: &str) -> Result<Model, Vec<Diagnostic>> {
    resolve(crate::load::load_path(path, display)?)
}
