//! Stella Ops wasm binding. Not implemented yet: this member reserves the workspace slot named in ARCHITECTURE.md.
