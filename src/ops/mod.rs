//! Typed wrappers over the programs caro-hotfix drives. Each builds argument vectors for the runner;
//! a flag's name lives here, once. Nothing in `ops` prompts or decides; steps do that.

pub mod cargo;
pub mod gh;
pub mod git;
pub mod github;
pub mod index;
pub mod registry_api;
pub mod retry;
