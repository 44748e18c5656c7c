//! Layer compression: detected from the stream's magic bytes (media types lie), decoded
//! (gzip via zlib-rs, every member; zstd via libzstd with the `zstd-native` feature, else the
//! pure-Rust ruzstd, every frame).

use std::io::{self, BufRead, Read};

use ruzstd::decoding::{FrameDecoder, StreamingDecoder};

/// Compression of a layer blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain tar.
    None,
    /// gzip (one or more members).
    Gzip,
    /// Zstandard (one or more frames).
    Zstd,
}

impl Compression {
    /// Detect from the first bytes of the blob.
    pub fn detect(head: &[u8]) -> Compression {
        match head {
            [0x1f, 0x8b, ..] => Compression::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// A decoder over `source` for `compression`.
pub fn decoder<'a, R: BufRead + 'a>(compression: Compression, source: R) -> Box<dyn Read + 'a> {
    match compression {
        Compression::None => Box::new(source),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(source)),
        Compression::Zstd => zstd_decoder(source),
    }
}

#[cfg(feature = "zstd-native")]
fn zstd_decoder<'a, R: BufRead + 'a>(source: R) -> Box<dyn Read + 'a> {
    match zstd::stream::read::Decoder::with_buffer(source) {
        Ok(d) => Box::new(d),
        Err(e) => Box::new(FailingReader(Some(e))),
    }
}

#[cfg(not(feature = "zstd-native"))]
fn zstd_decoder<'a, R: BufRead + 'a>(source: R) -> Box<dyn Read + 'a> {
    Box::new(ZstdFrames::new(source))
}

/// A reader that reports a decoder construction error on first read.
#[cfg(feature = "zstd-native")]
struct FailingReader(Option<io::Error>);

#[cfg(feature = "zstd-native")]
impl Read for FailingReader {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(self
            .0
            .take()
            .unwrap_or_else(|| io::Error::other("zstd decoder failed")))
    }
}

/// Decodes every zstd frame of a stream in turn (ruzstd's decoder stops after one).
pub struct ZstdFrames<R: BufRead> {
    state: ZstdState<R>,
}

enum ZstdState<R: BufRead> {
    Between(R, Box<FrameDecoder>),
    InFrame(StreamingDecoder<R, Box<FrameDecoder>>),
    Failed,
}

impl<R: BufRead> ZstdFrames<R> {
    /// Decode `source`.
    pub fn new(source: R) -> Self {
        ZstdFrames {
            state: ZstdState::Between(source, Box::new(FrameDecoder::new())),
        }
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, ZstdState::Failed) {
                ZstdState::Failed => return Err(io::Error::other("zstd stream failed earlier")),
                ZstdState::Between(mut source, decoder) => {
                    if source.fill_buf()?.is_empty() {
                        self.state = ZstdState::Between(source, decoder);
                        return Ok(0);
                    }
                    let frame =
                        StreamingDecoder::new_with_decoder(source, decoder).map_err(|e| {
                            io::Error::new(
                                io::ErrorKind::InvalidData,
                                format!("zstd frame header: {e}"),
                            )
                        })?;
                    self.state = ZstdState::InFrame(frame);
                }
                ZstdState::InFrame(mut frame) => {
                    let n = frame.read(buf).map_err(|e| {
                        io::Error::new(io::ErrorKind::InvalidData, format!("zstd data: {e}"))
                    })?;
                    if n > 0 || buf.is_empty() {
                        self.state = ZstdState::InFrame(frame);
                        return Ok(n);
                    }
                    let (source, decoder) = frame.into_parts();
                    self.state = ZstdState::Between(source, decoder);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_magic() {
        assert_eq!(Compression::detect(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(
            Compression::detect(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(Compression::detect(b"usr/"), Compression::None);
        assert_eq!(Compression::detect(&[]), Compression::None);
    }

    #[test]
    fn gzip_members_are_all_decoded() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut out = Vec::new();
        for part in [b"hello ".as_slice(), b"world"] {
            let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(part).unwrap();
            out.extend(e.finish().unwrap());
        }
        let mut s = String::new();
        decoder(Compression::Gzip, &out[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "hello world");
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&[7u8; 10_000]).unwrap();
        let out = e.finish().unwrap();
        let mut sink = Vec::new();
        assert!(decoder(Compression::Gzip, &out[..out.len() / 2])
            .read_to_end(&mut sink)
            .is_err());
    }

    #[test]
    fn pure_rust_zstd_decodes_every_frame() {
        let mut both = ruzstd::encoding::compress_to_vec(
            &b"hello "[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        both.extend(ruzstd::encoding::compress_to_vec(
            &b"world"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        ));
        let mut s = String::new();
        ZstdFrames::new(&both[..]).read_to_string(&mut s).unwrap();
        assert_eq!(s, "hello world");
        let mut s = String::new();
        decoder(Compression::Zstd, &both[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "hello world");
    }

    #[test]
    fn zstd_garbage_is_an_error_not_a_panic() {
        let data = [0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0x00, 0x01];
        let mut sink = Vec::new();
        assert!(decoder(Compression::Zstd, &data[..])
            .read_to_end(&mut sink)
            .is_err());
    }
}
