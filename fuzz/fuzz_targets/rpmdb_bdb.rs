#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = stellaops_analyzers::os::rpm::parse_rpmdb(stellaops_analyzers::os::rpm::RpmDbFormat::BerkeleyDb, data);
});
