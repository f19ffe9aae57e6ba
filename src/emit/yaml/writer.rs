//! The YAML writer: a `serde::Serializer` that writes the tree (and the
//! other YAML policyc gives: the owners view, a chain's `history:`, the
//! machine 修订对照表) straight into one `String`, in the format below. It
//! is the only YAML writer; serde-saphyr is only the reader, and the tests
//! (`tests/suite/yaml_fast.rs`) read every output back through it into a
//! value equal to the one serialized, on every fixture, the seeds,
//! generated trees and hand-picked strings.
//!
//! The place a value goes (after `key:` or after `- `) is known up front,
//! so each value is written once, with no layout state machine and no
//! re-derivation of styles.
//!
//! # The format
//!
//! Block style with an indent of 2, as serde-saphyr writes with its default
//! options (which is what this format was first measured against):
//!
//! - a struct is a block mapping: under `key:` it starts on the next line
//!   two columns in; in a sequence its first field follows the `- ` and
//!   the others align with it; a field name that is not a plain word (see
//!   below) is double-quoted;
//! - a sequence under `key:` puts its dashes at the key's column; an empty
//!   one is `key: []`; a sequence at the top level has its dashes at column
//!   0; a tuple of numbers (a `Span`) is a flow sequence `[start, end, line,
//!   column]`;
//! - numbers are decimal, booleans `true`/`false`, `None` and unit `null`,
//!   a unit enum variant its name;
//! - strings take one of three forms, chosen so that a YAML 1.1 or 1.2
//!   reader gives back the string and nothing else:
//!   - **plain** when nothing in them means anything to YAML: an ASCII
//!     string that is a letter followed by letters, digits, `-` and `_`
//!     and is not one of YAML 1.1's words (`null`, `yes`, `off`, `y`…, in
//!     any case); a string with a character outside ASCII (no null,
//!     boolean, number or date is spelled that way) unless it starts with
//!     an indicator (`-`/`?` before white space, `,:[]{}#&*!|>'"%@` and
//!     the backquote) or a document marker (`---`, `...`), starts or ends
//!     with a space, ends with a colon, holds `: ` or a `#` after white
//!     space, or holds a character that needs an escape (below; `"` and
//!     `\\` are themselves in a plain scalar);
//!   - **folded** (`>-`, the body two columns past the key or dash) when
//!     it would be plain and is longer than [`FOLD_WIDTH`] characters:
//!     lines are broken at runs of spaces only, so Chinese text without
//!     spaces stays one line (see [`write_folded`]);
//!   - **double-quoted** otherwise, every character as it is but `"` and
//!     `\` (escaped with a backslash), the line breaks and tab `\n`,
//!     `\r`, `\t`, U+0085, U+2028 and U+2029 as `\N`, `\L`, `\P` (so a
//!     string is always one line), the other control characters
//!     (U+0000–U+001F, U+007F–U+009F) as `\xHH`, and U+FEFF, U+FFFE and
//!     U+FFFF as `\uHHHH`.
//!
//! Floats, maps, enum variants with data, nested sequences and chars are
//! not part of the format: nothing policyc writes has them, and a value
//! that does is refused with [`Unsupported`] rather than written some way.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, Serializer};

/// Beyond this many characters a string that would be plain becomes a
/// folded block, and a folded block's lines are wrapped at this width.
const FOLD_WIDTH: usize = 80;

/// The value holds something outside the format (see the module doc); the
/// message says what.
#[derive(Debug)]
pub(crate) struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not in policyc's YAML format: {}", self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

type Result<T = ()> = std::result::Result<T, Unsupported>;

fn unsupported<T>(what: &str) -> Result<T> {
    Err(Unsupported(what.to_owned()))
}

/// `value` in the format of the module doc, or what in it is outside it.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<String> {
    let mut writer = Writer { out: String::with_capacity(capacity), key_lines: (0..KEY_LINES).map(|_| None).collect() };
    value.serialize(Value { w: &mut writer, at: At::Root })?;
    Ok(writer.out)
}

struct Writer {
    out: String,
    /// Indentation and `key:` ready to copy, by the key's address and its
    /// column, one entry per slot: a tree writes a few dozen field names at
    /// a few columns over and over, and one copy of a prepared line start
    /// costs less than checking and writing the name each time.
    key_lines: Vec<Option<KeyLine>>,
}

/// Slots of [`Writer::key_lines`].
const KEY_LINES: usize = 1024;

struct KeyLine {
    key: &'static str,
    column: usize,
    text: String,
}

impl Writer {
    /// Start a line with the field name `key` at `column`, or, after a
    /// dash, go on with it where the line stands.
    fn key(&mut self, key: &'static str, column: usize, indent: bool) {
        // Field names lie side by side in the binary: hash the address.
        let hash = (key.as_ptr() as usize).wrapping_add(column).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = hash >> (usize::BITS - KEY_LINES.trailing_zeros());
        let line = match &self.key_lines[slot] {
            // The same address and length is the same text: keys are static.
            Some(line) if std::ptr::eq(line.key, key) && line.column == column => line,
            _ => {
                let mut text = String::with_capacity(column + key.len() + 3);
                push_spaces(&mut text, column);
                if is_plain_word(key) {
                    text.push_str(key);
                } else {
                    write_double_quoted(&mut text, key);
                }
                text.push(':');
                self.key_lines[slot].insert(KeyLine { key, column, text })
            }
        };
        self.out.push_str(if indent { &line.text } else { &line.text[column..] });
    }
}

/// Where the next value goes.
#[derive(Clone, Copy)]
enum At {
    /// The document itself.
    Root,
    /// After `key:`, the key starting at this column.
    Value(usize),
    /// After `- `, the dash at this column.
    Item(usize),
    /// Inside a flow sequence `[…]`.
    Flow,
}

/// The serializer for one value.
struct Value<'a> {
    w: &'a mut Writer,
    at: At,
}

impl Value<'_> {
    /// A scalar whose text needs no quoting, such as `true` or `null`.
    fn scalar(self, text: &str) -> Result {
        let out = &mut self.w.out;
        match self.at {
            At::Root => return unsupported("a scalar document"),
            At::Value(_) => out.push(' '),
            At::Item(_) => {}
            At::Flow => return unsupported("a scalar other than a number in a flow sequence"),
        }
        out.push_str(text);
        out.push('\n');
        Ok(())
    }

    /// An integer: spans make most of a tree's scalars.
    fn decimal(self, negative: bool, n: u64) -> Result {
        let out = &mut self.w.out;
        match self.at {
            At::Root => return unsupported("a scalar document"),
            At::Value(_) => out.push(' '),
            At::Item(_) | At::Flow => {}
        }
        if negative {
            out.push('-');
        }
        push_decimal(out, n);
        // Inside a flow collection a scalar ends without a line break.
        if !matches!(self.at, At::Flow) {
            out.push('\n');
        }
        Ok(())
    }

    fn string(self, v: &str) -> Result {
        let (column, lead) = match self.at {
            At::Value(column) => (column, " "),
            At::Item(column) => (column, ""),
            At::Root | At::Flow => return unsupported("a string outside block context"),
        };
        let out = &mut self.w.out;
        out.push_str(lead);
        let scan = scan(v.as_bytes());
        if scan.ascii {
            if is_plain_word(v) {
                out.push_str(v);
            } else {
                write_double_quoted(out, v);
            }
        } else if !is_plain(v, &scan) {
            write_double_quoted(out, v);
        } else if v.len() > FOLD_WIDTH && (v.len() > 4 * FOLD_WIDTH || count_chars(v.as_bytes()) > FOLD_WIDTH) {
            // (A character takes at most four bytes.)
            out.push_str(">-\n");
            write_folded(out, v, column + 2);
            return Ok(());
        } else {
            out.push_str(v);
        }
        out.push('\n');
        Ok(())
    }
}

impl<'a> Serializer for Value<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result {
        self.scalar(if v { "true" } else { "false" })
    }

    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result {
        self.decimal(v < 0, v.unsigned_abs())
    }

    fn serialize_u8(self, v: u8) -> Result {
        self.decimal(false, u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result {
        self.decimal(false, u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result {
        self.decimal(false, u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result {
        self.decimal(false, v)
    }

    fn serialize_f32(self, _: f32) -> Result {
        unsupported("a float")
    }

    fn serialize_f64(self, _: f64) -> Result {
        unsupported("a float")
    }

    fn serialize_char(self, _: char) -> Result {
        unsupported("a char")
    }

    fn serialize_str(self, v: &str) -> Result {
        self.string(v)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result {
        unsupported("bytes")
    }

    fn serialize_none(self) -> Result {
        self.scalar("null")
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.scalar("null")
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.scalar("null")
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        unsupported("an enum variant with data")
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>> {
        match self.at {
            // The dashes stand at the key's own column. Whether the line
            // ends after `key:` depends on the first element, since an
            // empty sequence stays on the key's line as `[]`.
            At::Value(column) => Ok(Seq { w: self.w, column, flow: false, root: false, len: 0 }),
            At::Root => Ok(Seq { w: self.w, column: 0, flow: false, root: true, len: 0 }),
            At::Item(_) | At::Flow => unsupported("a sequence in a sequence"),
        }
    }

    /// A tuple (a `Span`'s four numbers) is a flow sequence.
    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>> {
        match self.at {
            At::Value(_) => self.w.out.push_str(" ["),
            At::Item(_) => self.w.out.push('['),
            At::Root | At::Flow => return unsupported("a tuple outside a mapping or a sequence"),
        }
        Ok(Seq { w: self.w, column: 0, flow: true, root: false, len: 0 })
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> {
        unsupported("a tuple struct")
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        unsupported("a tuple variant")
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        unsupported("a map")
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Struct<'a>> {
        match self.at {
            At::Root => Ok(Struct { w: self.w, column: 0, first_inline: false, len: 0, at: self.at }),
            At::Value(column) => Ok(Struct { w: self.w, column: column + 2, first_inline: false, len: 0, at: self.at }),
            // The first field follows the dash; the others align with it.
            At::Item(column) => Ok(Struct { w: self.w, column: column + 2, first_inline: true, len: 0, at: self.at }),
            At::Flow => unsupported("a struct in a flow sequence"),
        }
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        unsupported("a struct variant")
    }
}

/// A block or flow sequence.
struct Seq<'a> {
    w: &'a mut Writer,
    /// The dashes' column (block).
    column: usize,
    flow: bool,
    /// The top-level value: no line to end before the first dash.
    root: bool,
    len: usize,
}

impl Seq<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        if self.flow {
            if self.len > 0 {
                self.w.out.push_str(", ");
            }
            value.serialize(Value { w: self.w, at: At::Flow })?;
        } else {
            if self.len == 0 && !self.root {
                self.w.out.push('\n');
            }
            push_spaces(&mut self.w.out, self.column);
            self.w.out.push_str("- ");
            value.serialize(Value { w: self.w, at: At::Item(self.column) })?;
        }
        self.len += 1;
        Ok(())
    }

    fn finish(self) -> Result {
        if self.flow {
            self.w.out.push_str("]\n");
        } else if self.len == 0 {
            self.w.out.push_str(if self.root { "[]\n" } else { " []\n" });
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.finish()
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.finish()
    }
}

/// A block mapping of a struct's fields.
struct Struct<'a> {
    w: &'a mut Writer,
    /// The keys' column.
    column: usize,
    /// The first key goes on the current line, after a dash.
    first_inline: bool,
    len: usize,
    /// Where the struct stands, for `{}` when no field is written.
    at: At,
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        if self.len == 0 && matches!(self.at, At::Value(_)) {
            self.w.out.push('\n');
        }
        self.w.key(key, self.column, self.len > 0 || !self.first_inline);
        value.serialize(Value { w: self.w, at: At::Value(self.column) })?;
        self.len += 1;
        Ok(())
    }

    /// A struct whose fields were all skipped (or that has none) is `{}`.
    fn end(self) -> Result {
        if self.len == 0 {
            self.w.out.push_str(if matches!(self.at, At::Value(_)) { " {}\n" } else { "{}\n" });
        }
        Ok(())
    }
}

/// `00`, `01` … `99`: small enough to stay in the first-level cache, where
/// a table of four digits would not.
const TWO_DIGITS: &str = {
    const BYTES: [u8; 200] = {
        let mut bytes = [0u8; 200];
        let mut n = 0;
        while n < 100 {
            bytes[2 * n] = b'0' + (n / 10) as u8;
            bytes[2 * n + 1] = b'0' + (n % 10) as u8;
            n += 1;
        }
        bytes
    };
    match std::str::from_utf8(&BYTES) {
        Ok(digits) => digits,
        Err(_) => panic!("digits are ASCII"),
    }
};

/// `n` in decimal, two digits at a time: a tree's scalars are mostly the
/// numbers of its spans, and `write!` costs several times more.
fn push_decimal(out: &mut String, n: u64) {
    let push_two = |out: &mut String, pair: usize| out.push_str(&TWO_DIGITS[2 * pair..2 * pair + 2]);
    let mut pairs = [0u8; 10];
    let mut len = 0;
    let mut n = n;
    while n >= 100 {
        pairs[len] = (n % 100) as u8;
        n /= 100;
        len += 1;
    }
    if n >= 10 {
        push_two(out, n as usize);
    } else {
        out.push(char::from(b'0' + n as u8));
    }
    for &pair in pairs[..len].iter().rev() {
        push_two(out, usize::from(pair));
    }
}

fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

/// Whether an ASCII string is plain in the format: a letter, then letters,
/// digits, `-` and `_`, and none of the words YAML 1.1 reads as null, a
/// boolean or a float. Such a string cannot be a number or a date (those
/// start with a digit, a sign or a dot) and has no indicator, space, colon
/// or `#`.
fn is_plain_word(s: &str) -> bool {
    let bytes = s.as_bytes();
    let is = |word: &str| s.eq_ignore_ascii_case(word);
    let yaml_word = match bytes.len() {
        1 => is("y") || is("n"),
        2 => is("no") || is("on"),
        3 => is("yes") || is("off") || is("nan") || is("inf"),
        4 => is("null") || is("true"),
        5 => is("false"),
        _ => false,
    };
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !yaml_word
}

/// Whether a string with a character outside ASCII is plain in the format
/// (see the module doc); else it is double-quoted. No null, boolean, number
/// or timestamp is spelled with a character outside ASCII, so only YAML's
/// syntax is to be kept out. `scan` (of `s`) says where to look: at nothing,
/// at the colons and `#` alone, or at every byte.
fn is_plain(s: &str, scan: &Scan) -> bool {
    let bytes = s.as_bytes();
    // `: ` would end a plain key; `#` after white space starts a comment.
    let mark = |i: usize| match bytes[i] {
        b':' => bytes.get(i + 1) == Some(&b' '),
        b'#' => s[..i].chars().next_back().is_some_and(char::is_whitespace),
        _ => false,
    };
    if scan.odd {
        if bytes.iter().enumerate().any(|(i, &b)| matches!(b, b':' | b'#') && mark(i)) {
            return false;
        }
        // Quotes and backslashes are themselves in a plain scalar.
        if s.chars().any(|c| !matches!(c, '"' | '\\') && escape(c).is_some()) {
            return false;
        }
    } else if scan.marks && memchr::memchr2_iter(b':', b'#', bytes).any(mark) {
        return false;
    }
    // A document marker `---` or `...` alone or before white space.
    if (s.starts_with("---") || s.starts_with("...")) && bytes.get(3).is_none_or(u8::is_ascii_whitespace) {
        return false;
    }
    // Edge white space would be lost; only the space is left to test, the
    // other ASCII white space being escaped.
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let indicator = match bytes {
        // `- ` and `? ` open a sequence entry and a complex key; a lone `-`
        // or `?` cannot occur, the string holding a character outside ASCII.
        [b'-' | b'?', next, ..] => next.is_ascii_whitespace(),
        [first, ..] => matches!(
            first,
            b',' | b':'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        ),
        [] => true,
    };
    // A trailing colon, even before Unicode white space, would make a key.
    !indicator && !s.trim_end().ends_with(':')
}

/// What one look at a string's bytes tells.
struct Scan {
    ascii: bool,
    /// It holds a colon or `#`, which may make it other than plain.
    marks: bool,
    /// It may hold a control character or the first byte of
    /// U+0080..=U+009F, U+2028, U+2029, U+FEFF, U+FFFE or U+FFFF, which
    /// [`is_plain`] looks at a character at a time.
    odd: bool,
}

/// One pass without branches over each byte and the two after it, which the
/// compiler vectorizes: Chinese text is nearly all characters that need no
/// closer look, though their punctuation shares its first byte with U+FEFF
/// and U+2028. A string is often not yet in the cache; one pass lets the
/// tests run while its bytes arrive.
fn scan(bytes: &[u8]) -> Scan {
    #[inline(always)]
    fn odd(x: u8, y: u8, z: u8) -> bool {
        (x < 0x20)
            | (x == 0x7F)
            | ((x == 0xC2) & (y < 0xA0))
            | ((x == 0xE2) & (y == 0x80) & ((z | 1) == 0xA9))
            | ((x == 0xEF) & ((y == 0xBB) | (y == 0xBF)))
    }
    let n = bytes.len();
    if n < 3 {
        return Scan { ascii: bytes.is_ascii(), marks: true, odd: true };
    }
    let (first, second, third) = (&bytes[..n - 2], &bytes[1..n - 1], &bytes[2..]);
    let (mut high, mut marks, mut odds) = (0, false, false);
    for ((&x, &y), &z) in first.iter().zip(second).zip(third) {
        high |= x;
        marks |= (x == b':') | (x == b'#');
        odds |= odd(x, y, z);
    }
    let (y, z) = (bytes[n - 2], bytes[n - 1]);
    Scan {
        ascii: (high | y | z) < 0x80,
        marks: marks | (y == b':') | (y == b'#') | (z == b':') | (z == b'#'),
        odd: odds || odd(y, z, 0) || odd(z, 0, 0),
    }
}

/// `"…"`: the string on one line, with the escapes of the module doc.
fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if let Some(escaped) = escape(c) {
            out.push_str(&s[start..i]);
            escaped.push_to(out);
            start = i + c.len_utf8();
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// How a character is written inside double quotes when not as itself.
enum Escape {
    /// `\` and this character.
    Short(char),
    /// `\xHH`.
    Byte(u8),
    /// `\uHHHH`.
    Unicode(u16),
}

impl Escape {
    fn push_to(self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = match self {
            Escape::Short(c) => write!(out, "\\{c}"),
            Escape::Byte(b) => write!(out, "\\x{b:02X}"),
            Escape::Unicode(u) => write!(out, "\\u{u:04X}"),
        };
    }
}

/// The escape a character takes inside double quotes, if any: the quote
/// and the backslash, line breaks (YAML 1.1 counts U+0085, U+2028 and
/// U+2029 among them) and the tab, which would make the scalar span lines
/// or lose its white space, control characters, which YAML does not allow
/// as they are, and the byte-order mark and the noncharacters U+FFFE and
/// U+FFFF, which readers may drop or refuse.
fn escape(c: char) -> Option<Escape> {
    Some(match c {
        '"' | '\\' => Escape::Short(c),
        '\n' => Escape::Short('n'),
        '\r' => Escape::Short('r'),
        '\t' => Escape::Short('t'),
        '\u{85}' => Escape::Short('N'),
        '\u{2028}' => Escape::Short('L'),
        '\u{2029}' => Escape::Short('P'),
        '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Escape::Byte(c as u8),
        '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}' => Escape::Unicode(c as u16),
        _ => return None,
    })
}

/// The body of a folded block scalar for one line of text that does not
/// start or end with a space and holds no character to escape, indented by
/// `indent`. Lines are broken only at runs of ASCII spaces, so that each
/// holds at most [`FOLD_WIDTH`] characters where it can. A break keeps all
/// but one space of its run at the end of the line (a reader folds the break
/// back into that one), and once a line runs past the width with no run of
/// spaces to break at, the rest of the text stays on it. The column counts
/// from 0 again at the character that went past the width, although the
/// text from the run of spaces up to that character is already on the new
/// line: the wrapping serde-saphyr 0.0 did, kept so that the editions kept
/// their bytes when this writer became the only one.
fn write_folded(out: &mut String, line: &str, indent: usize) {
    let bytes = line.as_bytes();
    if memchr::memchr(b' ', bytes).is_none() {
        // Nowhere to break: Chinese text, most often.
        push_spaces(out, indent);
        out.push_str(line);
        out.push('\n');
        return;
    }
    // Where the current output line starts in `line`.
    let mut start = 0;
    let mut column = 0;
    // The last run of spaces closed by a character: start, end, length.
    let mut last_run: Option<(usize, usize, usize)> = None;
    // The run of spaces being read, as start and length.
    let mut run: Option<(usize, usize)> = None;
    let mut at = 0;
    'text: while at < bytes.len() {
        if bytes[at] == b' ' {
            run.get_or_insert((at, 0)).1 += 1;
            column += 1;
            if column > FOLD_WIDTH {
                let Some(closed) = last_run.take() else {
                    break 'text;
                };
                push_line(out, line, indent, start, closed);
                start = closed.1;
                column = 0;
            }
            at += 1;
            continue;
        }
        // A word: everything up to the next space.
        let end = memchr::memchr(b' ', &bytes[at..]).map_or(bytes.len(), |n| at + n);
        if let Some((run_start, run_len)) = run.take() {
            last_run = Some((run_start, at, run_len));
        }
        // Characters, not bytes: continuation bytes do not count.
        let chars = count_chars(&bytes[at..end]);
        if column + chars > FOLD_WIDTH {
            let Some(closed) = last_run.take() else {
                break 'text;
            };
            push_line(out, line, indent, start, closed);
            start = closed.1;
            // The character that went past the width counts as 0.
            column = chars - (FOLD_WIDTH - column + 1);
            if column > FOLD_WIDTH {
                break 'text;
            }
        } else {
            column += chars;
        }
        at = end;
    }
    push_spaces(out, indent);
    out.push_str(&line[start..]);
    out.push('\n');
}

/// How many characters UTF-8 `bytes` hold: the bytes that do not continue
/// a character, summed in bytes so that the compiler can vectorize it.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.chunks(255).map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from((b as i8) >= -0x40)))).sum()
}

/// One wrapped line of a folded block: the text from `start` up to the run
/// of spaces it breaks at, and all but one of those spaces.
fn push_line(
    out: &mut String,
    line: &str,
    indent: usize,
    start: usize,
    (run_start, _, run_len): (usize, usize, usize),
) {
    push_spaces(out, indent);
    out.push_str(&line[start..run_start]);
    push_spaces(out, run_len - 1);
    out.push('\n');
}
