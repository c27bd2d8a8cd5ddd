//! Application services: the operations the CLI, the web pages and the JSON API share.
//! Each takes plain input (as typed), checks it, and calls the store; errors name the field.

pub mod fund;
pub mod registry;
