#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = stellaops_analyzers::os::dpkg_copyright::parse_copyright(data);
});
