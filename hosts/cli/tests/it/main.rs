//! Integration tests of `stella scan` on images built from real package-database fixtures.

#![allow(unreachable_pub, dead_code)]

mod advisories;
mod attest;
mod bad_input;
mod formats;
mod images;
mod keyless;
mod lang;
mod support;
mod tlog;
