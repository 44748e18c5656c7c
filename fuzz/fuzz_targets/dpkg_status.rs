#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = stellaops_analyzers::os::dpkg::parse_status(data);
    let _ = stellaops_analyzers::os::dpkg::parse_file_list(data);
    let _ = stellaops_analyzers::os::dpkg::parse_md5sums(data);
});
