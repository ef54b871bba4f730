//! Finding and reading delivery files: plain files, directories (recursive)
//! and `.zip` archives, with the encoding detected per file.
//!
//! A delivery is identified by the SHA-256 of its bytes, so the same file
//! under another name or inside a zip is recognised as the same delivery.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// One candidate delivery: a file, or one member of a zip archive.
#[derive(Debug, Clone)]
pub struct Input {
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub enum Origin {
    File(PathBuf),
    ZipMember { archive: PathBuf, index: usize, member: String },
}

impl Input {
    /// How the input is named in reports: `path` or `archive.zip!member`.
    pub fn name(&self) -> String {
        match &self.origin {
            Origin::File(p) => p.display().to_string(),
            Origin::ZipMember { archive, member, .. } => format!("{}!{member}", archive.display()),
        }
    }

    /// The file on disk: the file itself, or the zip holding the member.
    pub fn source(&self) -> &Path {
        match &self.origin {
            Origin::File(p) => p,
            Origin::ZipMember { archive, .. } => archive,
        }
    }

    /// The bare file name, as recorded in the `levering` table.
    pub fn file_name(&self) -> String {
        match &self.origin {
            Origin::File(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            Origin::ZipMember { member, .. } => member.rsplit('/').next().unwrap_or(member).to_string(),
        }
    }

    pub fn read(&self) -> Result<Vec<u8>> {
        match &self.origin {
            Origin::File(p) => std::fs::read(p).map_err(|e| Error::io(p, e)),
            Origin::ZipMember { archive, index, .. } => {
                let mut zip = open_zip(archive)?;
                let entry = zip.by_index(*index).map_err(|e| zip_error(archive, e))?;
                // The header's size is a claim, not a fact: reserve no more
                // than a realistic delivery up front (fuzzing found a member
                // claiming 4 GB aborting the process), and stop reading a
                // member that unpacks to more than any delivery could be.
                let mut bytes = Vec::with_capacity(entry.size().min(PREALLOCATE_AT_MOST) as usize);
                entry.take(MEMBER_AT_MOST + 1).read_to_end(&mut bytes).map_err(|e| Error::io(archive, e))?;
                if bytes.len() as u64 > MEMBER_AT_MOST {
                    return Err(Error::Archive {
                        path: archive.clone(),
                        message: format!("member {} unpacks to more than {} MiB: not a delivery", index + 1, MEMBER_AT_MOST >> 20),
                    });
                }
                Ok(bytes)
            }
        }
    }

    /// SHA-256 of the bytes, streamed so that hashing a large delivery does
    /// not hold it in memory.
    pub fn sha256(&self) -> Result<String> {
        self.sha256_and_head().map(|(sha, _)| sha)
    }

    /// The SHA-256 and the first line (at most 64 KiB) of the bytes.
    pub fn sha256_and_head(&self) -> Result<(String, Vec<u8>)> {
        let mut hasher = Sha256::new();
        let mut head: Vec<u8> = Vec::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut pump = |r: &mut dyn Read, path: &Path| -> Result<()> {
            loop {
                let n = r.read(&mut buf).map_err(|e| Error::io(path, e))?;
                if n == 0 {
                    return Ok(());
                }
                hasher.update(&buf[..n]);
                if head.len() < HEAD && !head.contains(&b'\n') && !head.contains(&b'\r') {
                    head.extend_from_slice(&buf[..n.min(HEAD - head.len())]);
                }
            }
        };
        match &self.origin {
            Origin::File(p) => pump(&mut File::open(p).map_err(|e| Error::io(p, e))?, p)?,
            Origin::ZipMember { archive, index, .. } => {
                let mut zip = open_zip(archive)?;
                let mut entry = zip.by_index(*index).map_err(|e| zip_error(archive, e))?;
                pump(&mut entry, archive)?;
            }
        }
        Ok((hex(&hasher.finalize()), head))
    }

    /// The delivery's identity: the SHA-256 of its bytes — and, for a
    /// header-CSV file, of its name and the facts given with it (`context`)
    /// too. Such a file holds no afnemer of its own: two afnemers' weekly
    /// files can be byte for byte the same (one person who moved), and only
    /// the name or the command line tells them apart.
    pub fn identity(&self, context: &str) -> Result<String> {
        let (sha, head) = self.sha256_and_head()?;
        let first = decode(&head).map(|(t, _)| crate::layout::csv::first_line(&t).to_string()).unwrap_or_default();
        if !crate::layout::csv::looks_like_header_csv(&first) {
            return Ok(sha);
        }
        let mut h = Sha256::new();
        h.update(sha.as_bytes());
        h.update(b"\n");
        h.update(self.file_name().as_bytes());
        h.update(b"\n");
        h.update(context.as_bytes());
        Ok(hex(&h.finalize()))
    }
}

/// How much of a file's start [`Input::identity`] looks at.
const HEAD: usize = 64 << 10;

/// Memory reserved before a zip member is read, at most.
const PREALLOCATE_AT_MOST: u64 = 64 << 20;

/// A zip member unpacking to more than this is refused (a zip bomb): the
/// largest afnemer's C-levering is some 250 MB.
const MEMBER_AT_MOST: u64 = 1 << 30;

/// A file's id in the lake (`levering_id`, `bron_id`): the first 16 hex
/// digits of its SHA-256 (64 bits, ample for a lake of files, short enough
/// for paths and joins).
pub fn content_id(sha256: &str) -> String {
    sha256[..16].to_string()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn open_zip(path: &Path) -> Result<zip::ZipArchive<File>> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    zip::ZipArchive::new(f).map_err(|e| zip_error(path, e))
}

fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    Error::Archive { path: path.to_path_buf(), message: format!("cannot read zip archive: {e}") }
}

/// A file passed over while walking a directory, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// Expands the given paths into inputs, in a stable order: paths as given,
/// directory entries sorted by name, zip members in archive order.
///
/// Files named explicitly are always tried. Inside directories only files
/// with one of `extensions` count (deliveries: DUO's `.txt` and `.zip`),
/// hidden files are ignored and other files are reported as skipped, so that
/// a README beside the deliveries does not turn a run red.
pub fn discover(paths: &[PathBuf], extensions: &[&str]) -> Result<(Vec<Input>, Vec<Skipped>)> {
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            walk(p, extensions, &mut inputs, &mut skipped)?;
        } else {
            add_file(p, &mut inputs)?;
        }
    }
    Ok((inputs, skipped))
}

fn walk(dir: &Path, extensions: &[&str], inputs: &mut Vec<Input>, skipped: &mut Vec<Skipped>) -> Result<()> {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.collect::<std::io::Result<_>>().map_err(|e| Error::io(dir, e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let ty = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if ty.is_dir() {
            walk(&path, extensions, inputs, skipped)?;
        } else if extensions.iter().any(|e| has_extension(&path, e)) {
            add_file(&path, inputs)?;
        } else {
            let wanted: Vec<String> = extensions.iter().map(|e| format!(".{e}")).collect();
            skipped.push(Skipped { path, reason: format!("not a {} file", wanted.join(" or ")) });
        }
    }
    Ok(())
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn add_file(path: &Path, inputs: &mut Vec<Input>) -> Result<()> {
    if is_zip(path)? {
        let zip = open_zip(path)?;
        for index in 0..zip.len() {
            let member = match zip.name_for_index(index) {
                Some(Ok(n)) => n.into_owned(),
                Some(Err(e)) => return Err(zip_error(path, e)),
                None => continue,
            };
            if member.ends_with('/') {
                continue;
            }
            inputs.push(Input { origin: Origin::ZipMember { archive: path.to_path_buf(), index, member } });
        }
    } else {
        inputs.push(Input { origin: Origin::File(path.to_path_buf()) });
    }
    Ok(())
}

/// By content, not by name: a zip starts with a local file header (or is an
/// empty archive, which starts with the end-of-directory record).
fn is_zip(path: &Path) -> Result<bool> {
    let mut magic = [0u8; 4];
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let n = f.read(&mut magic).map_err(|e| Error::io(path, e))?;
    Ok(n == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decodes a delivery: UTF-8 (with or without BOM) when the bytes are valid
/// UTF-8, else Windows-1252, DUO's "ANSI". Plain ASCII and UTF-8 files are
/// borrowed, not copied.
///
/// A BOM promises UTF-8; bytes that break that promise are an error rather
/// than silently read as Windows-1252.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((Cow::Borrowed(s), Encoding::Utf8Bom)),
            Err(e) => {
                Err(format!("the file starts with a UTF-8 byte order mark but is not valid UTF-8 (byte offset {})", e.valid_up_to() + 3))
            }
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), Encoding::Utf8)),
        Err(_) => {
            let (text, _had_errors) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text, Encoding::Windows1252))
        }
    }
}

/// Bytes → text, refusing what cannot be a text file before any layout is tried.
pub fn read_text(bytes: &[u8]) -> std::result::Result<(Cow<'_, str>, Encoding), String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("the file is empty".into());
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err("the file holds NUL bytes: it is binary, not a delivery".into());
    }
    decode(bytes)
}

/// A file's text that owns its storage: a UTF-8 file's bytes become the
/// text without a copy, a Windows-1252 file's bytes are dropped once
/// decoded — a large delivery is then not held twice while it is parsed.
pub struct OwnedText {
    text: String,
    /// After a byte order mark.
    start: usize,
}

impl OwnedText {
    pub fn as_str(&self) -> &str {
        &self.text[self.start..]
    }
}

/// [`read_text`], taking the bytes.
pub fn into_text(bytes: Vec<u8>) -> std::result::Result<(OwnedText, Encoding), String> {
    let (decoded, encoding) = match read_text(&bytes)? {
        (Cow::Owned(text), e) => (Some(text), e),
        (Cow::Borrowed(_), e) => (None, e),
    };
    match decoded {
        Some(text) => Ok((OwnedText { text, start: 0 }, encoding)),
        None => {
            let start = if encoding == Encoding::Utf8Bom { 3 } else { 0 };
            let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
            Ok((OwnedText { text, start }, encoding))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Taking the bytes gives the text `read_text` gives, for each encoding.
    #[test]
    fn owned_text_is_the_borrowed_text() {
        for bytes in [&b"\xEF\xBB\xBFVLP|Zo\xC3\xABl"[..], "VLP|Zoël".as_bytes(), b"VLP|Zo\xEBl \x80", b"  \n"] {
            let borrowed = read_text(bytes).map(|(t, e)| (t.into_owned(), e));
            let owned = into_text(bytes.to_vec()).map(|(t, e)| (t.as_str().to_string(), e));
            assert_eq!(owned, borrowed, "{bytes:?}");
        }
    }

    #[test]
    fn encodings_are_told_apart() {
        let (t, e) = decode(b"\xEF\xBB\xBFVLP|Zo\xC3\xABl").unwrap();
        assert_eq!((t.as_ref(), e), ("VLP|Zoël", Encoding::Utf8Bom));
        let (t, e) = decode("VLP|Zoël".as_bytes()).unwrap();
        assert_eq!((t.as_ref(), e), ("VLP|Zoël", Encoding::Utf8));
        let (t, e) = decode(b"VLP|Zo\xEBl \x80").unwrap();
        assert_eq!((t.as_ref(), e), ("VLP|Zoël €", Encoding::Windows1252));
        assert!(decode(b"\xEF\xBB\xBFVLP|Zo\xEBl").is_err());
    }
}
