//! Stella Ops reference server. Not implemented yet: reserved member (ARCHITECTURE.md "Hosts").
fn main() {}
