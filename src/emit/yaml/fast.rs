//! The YAML edition's fast path: a `serde::Serializer` that writes the bytes
//! serde-saphyr writes, straight into one `String`.
//!
//! Takes any value whose serde derives use only what the tree uses: structs
//! with plain field names, block sequences, the flow sequence of a
//! [`Span`](crate::tree::Span), strings, integers, booleans, `None` and unit
//! enum variants. Gives the YAML text, or [`Unsupported`] as soon as it meets
//! anything whose serde-saphyr form it does not reproduce for certain; the
//! caller then lets serde-saphyr write the whole document. serde-saphyr stays
//! the reference (and the reader): a test compares the two byte for byte on
//! every fixture, the seeds and generated documents.
//!
//! serde-saphyr's own serializer keeps a general layout state machine and
//! re-derives each key and scalar's style through several passes and small
//! allocations; the tree needs only a handful of shapes, so here the place a
//! value goes (after `key:` or after `- `) is known up front.
//!
//! What is reproduced, with serde-saphyr's default options (indent 2, compact
//! sequences under keys, block scalars preferred, YAML 1.1 compatible quoting):
//!
//! - a struct under `key:` starts on the next line two columns in; a struct
//!   in a sequence puts its first field after the `- `, the others under it;
//!   a sequence under `key:` puts its dashes at the key's column, and an
//!   empty one is `key: []`; a `Span` is `[start, end, line, column]`;
//! - strings with a character outside ASCII (no YAML type other than string
//!   is spelled that way): plain when serde-saphyr's `is_plain_value_safe`
//!   allows, else double-quoted; longer than 80 characters and plain-safe, a
//!   folded block `>-` whose body is two columns past the key or dash and is
//!   wrapped at runs of spaces exactly as serde-saphyr's `write_folded_block`;
//! - ASCII strings of at most 80 bytes made of letters, digits, `-` and `_`
//!   that start with a letter and are not a YAML 1.1 word (`null`, `yes`,
//!   `off`…): plain. Other ASCII strings (numbers, dates, `1.`, `%`…) are
//!   typed by rules (YAML 1.1 numbers, sexagesimals, timestamps) not worth
//!   copying: serde-saphyr writes each such scalar alone, which gives the
//!   bytes it writes in place unless it chooses a block style, and the
//!   answers are kept for repeats.
//!
//! Unsupported, so left to serde-saphyr: block styles other than the folded
//! one above (line breaks make a literal block), strings outside ASCII that
//! need an escape (tabs, control characters, U+FEFF…), long strings with
//! trailing spaces, floats, maps, enums with data, nested sequences, empty
//! structs, and serde-saphyr's other wrappers.

use std::collections::HashMap;
use std::fmt;

use serde::ser::{self, Impossible, Serialize, Serializer};

/// Beyond this many characters a plain-safe single-line string becomes a
/// folded block, and a folded block's lines are wrapped at this width
/// (serde-saphyr's `folded_wrap_chars`, default 80).
const FOLD_WIDTH: usize = 80;

/// The name serde-saphyr's `FlowSeq` wrapper serializes under.
const FLOW_SEQ: &str = "__yaml_flow_seq";

/// The value holds something this path does not write exactly as
/// serde-saphyr would; the message says what, for tests and debugging.
#[derive(Debug)]
pub(crate) struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not on the fast YAML path: {}", self.0)
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

/// `value` as serde-saphyr's `to_string` writes it, or why not.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<String> {
    let mut writer = Writer {
        out: String::with_capacity(capacity),
        ascii: HashMap::new(),
        key_lines: (0..KEY_LINES).map(|_| None).collect(),
    };
    value.serialize(Value { w: &mut writer, at: At::Root, flow: false })?;
    Ok(writer.out)
}

struct Writer {
    out: String,
    /// serde-saphyr's form of the ASCII scalars it was asked about, by text:
    /// markers such as `1.` and values such as `10` repeat all through a
    /// document.
    ascii: HashMap<String, String>,
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
    fn key(&mut self, key: &'static str, column: usize, indent: bool) -> Result {
        // Field names lie side by side in the binary: hash the address.
        let hash = (key.as_ptr() as usize).wrapping_add(column).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = hash >> (usize::BITS - KEY_LINES.trailing_zeros());
        let line = match &self.key_lines[slot] {
            // The same address and length is the same text: keys are static.
            Some(line) if std::ptr::eq(line.key, key) && line.column == column => line,
            _ => {
                if !is_plain_word(key) {
                    return unsupported("a field name that needs quoting");
                }
                let mut text = String::with_capacity(column + key.len() + 1);
                push_spaces(&mut text, column);
                text.push_str(key);
                text.push(':');
                self.key_lines[slot].insert(KeyLine { key, column, text })
            }
        };
        self.out.push_str(if indent { &line.text } else { &line.text[column..] });
        Ok(())
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
    /// serde-saphyr's `FlowSeq` asked for the sequence that follows.
    flow: bool,
}

impl Value<'_> {
    /// A scalar whose text needs no quoting, such as a number or `null`.
    fn scalar(self, text: &str) -> Result {
        if self.flow {
            return unsupported("a flow hint on a scalar");
        }
        let out = &mut self.w.out;
        match self.at {
            At::Root => return unsupported("a scalar document"),
            At::Value(_) => {
                out.push(' ');
                out.push_str(text);
                out.push('\n');
            }
            At::Item(_) => {
                out.push_str(text);
                out.push('\n');
            }
            At::Flow => return unsupported("a scalar other than a number in a flow sequence"),
        }
        Ok(())
    }

    /// An integer: spans make most of a tree's scalars.
    fn decimal(self, negative: bool, n: u64) -> Result {
        if self.flow {
            return unsupported("a flow hint on a scalar");
        }
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
        if self.flow {
            return unsupported("a flow hint on a string");
        }
        let (column, lead) = match self.at {
            At::Value(column) => (column, " "),
            At::Item(column) => (column, ""),
            At::Root | At::Flow => return unsupported("a string outside block context"),
        };
        let Writer { out, ascii, .. } = self.w;
        let scan = scan(v.as_bytes());
        let is_ascii = scan.ascii;
        if is_ascii {
            if v.len() <= FOLD_WIDTH && is_plain_word(v) {
                out.push_str(lead);
                out.push_str(v);
                out.push('\n');
                return Ok(());
            }
            if !ascii.contains_key(v) {
                ascii.insert(v.to_owned(), saphyr_scalar(v)?);
            }
            out.push_str(lead);
            out.push_str(&ascii[v]);
            out.push('\n');
            return Ok(());
        }
        let plain = match style(v, &scan) {
            Some(plain) => plain,
            None => return unsupported("a string with a character that needs an escape"),
        };
        if v.len() > FOLD_WIDTH {
            // serde-saphyr tests the string less its trailing spaces for a
            // folded block, and a block keeps them: not replicated.
            if v.ends_with(' ') {
                return unsupported("a long string with trailing spaces");
            }
            // A character takes at most four bytes.
            if plain && (v.len() > 4 * FOLD_WIDTH || count_chars(v.as_bytes()) > FOLD_WIDTH) {
                out.push_str(lead);
                out.push_str(">-\n");
                write_folded(out, v, column + 2);
                return Ok(());
            }
        }
        out.push_str(lead);
        if plain {
            out.push_str(v);
        } else {
            write_double_quoted(out, v);
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

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, name: &'static str, value: &T) -> Result {
        // serde-saphyr gives other names of its own (quoting, block and
        // anchor wrappers) a meaning; the tree uses only `FlowSeq`.
        if name != FLOW_SEQ || self.flow {
            return unsupported("a newtype struct");
        }
        value.serialize(Value { flow: true, ..self })
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
        if self.flow {
            match self.at {
                At::Value(_) => self.w.out.push_str(" ["),
                At::Item(_) => self.w.out.push('['),
                At::Root | At::Flow => return unsupported("a flow sequence here"),
            }
            return Ok(Seq { w: self.w, column: 0, flow: true, len: 0 });
        }
        match self.at {
            // Compact: the dashes stand at the key's own column. Whether the
            // line ends after `key:` depends on the first element, since an
            // empty sequence stays on the key's line as `[]`.
            At::Value(column) => Ok(Seq { w: self.w, column, flow: false, len: 0 }),
            _ => unsupported("a block sequence here"),
        }
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>> {
        self.serialize_seq(Some(len))
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

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Struct<'a>> {
        if self.flow || len == 0 {
            // An empty struct is `{}`, placed by rules not replicated here.
            return unsupported("a flow or empty struct");
        }
        match self.at {
            At::Root => Ok(Struct { w: self.w, column: 0, first_inline: false, len: 0 }),
            At::Value(column) => {
                self.w.out.push('\n');
                Ok(Struct { w: self.w, column: column + 2, first_inline: false, len: 0 })
            }
            // The first field follows the dash; the others align with it.
            At::Item(column) => Ok(Struct { w: self.w, column: column + 2, first_inline: true, len: 0 }),
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
    len: usize,
}

impl Seq<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        if self.flow {
            if self.len > 0 {
                self.w.out.push_str(", ");
            }
            value.serialize(Value { w: self.w, at: At::Flow, flow: false })?;
        } else {
            if self.len == 0 {
                self.w.out.push('\n');
            }
            push_spaces(&mut self.w.out, self.column);
            self.w.out.push_str("- ");
            value.serialize(Value { w: self.w, at: At::Item(self.column), flow: false })?;
        }
        self.len += 1;
        Ok(())
    }

    fn finish(self) -> Result {
        if self.flow {
            self.w.out.push_str("]\n");
        } else if self.len == 0 {
            self.w.out.push_str(" []\n");
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
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        self.w.key(key, self.column, self.len > 0 || !self.first_inline)?;
        value.serialize(Value { w: self.w, at: At::Value(self.column), flow: false })?;
        self.len += 1;
        Ok(())
    }

    fn end(self) -> Result {
        if self.len == 0 {
            return unsupported("a struct whose fields were all skipped");
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

/// Whether an ASCII string is surely a plain scalar to serde-saphyr: a
/// letter, then letters, digits, `-` and `_`, and none of the words YAML 1.1
/// reads as null, a boolean or a float. Such a string cannot be a number or
/// a date (those start with a digit, a sign or a dot), has no indicator,
/// space, colon or `#`, so every other test of serde-saphyr's passes.
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

/// serde-saphyr's form of a scalar string, asked of it with the string
/// alone. Unless it takes a block style, a string is written the same alone
/// as in a mapping value or a sequence item (less the line break that ends
/// it); a block style is the one answer on several lines, and the one
/// whose indentation depends on the place, so it is refused.
fn saphyr_scalar(v: &str) -> Result<String> {
    let mut text = serde_saphyr::to_string(&v).map_err(ser::Error::custom)?;
    if text.pop() != Some('\n') || text.contains('\n') {
        return unsupported("an ASCII scalar serde-saphyr writes on several lines");
    }
    Ok(text)
}

/// For a string with a character outside ASCII: `Some(true)` when
/// serde-saphyr writes it plain in block context, `Some(false)` when it
/// double-quotes it with no escape but `\"` and `\\`, `None` when it would
/// need another escape (a control character, a line break, a tab, U+FEFF,
/// U+2028, U+2029, U+FFFE, U+FFFF), which this path leaves to serde-saphyr.
///
/// This is serde-saphyr's `is_plain_value_safe(s, false, false)` without its
/// first test, `is_ambiguous`, which cannot hold: every null, boolean,
/// number and timestamp spelling is ASCII. `scan` (of `s`) says where to
/// look: at nothing, at the colons and `#` alone, or at every byte.
fn style(s: &str, scan: &Scan) -> Option<bool> {
    let bytes = s.as_bytes();
    // `: ` would end a plain key; `#` after white space starts a comment.
    let mark = |i: usize| match bytes[i] {
        b':' => bytes.get(i + 1) == Some(&b' '),
        b'#' => s[..i].chars().next_back().is_some_and(char::is_whitespace),
        _ => false,
    };
    let mut plain = true;
    if scan.marks && !scan.odd {
        plain = !memchr::memchr2_iter(b':', b'#', bytes).any(mark);
    }
    for (i, &b) in if scan.odd { bytes } else { &[] }.iter().enumerate() {
        match b {
            0x00..=0x1F | 0x7F => return None,
            b':' | b'#' if mark(i) => plain = false,
            // U+0080..=U+009F, the C1 controls (U+0085 among them).
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => return None,
            // U+2028, U+2029.
            0xE2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) => return None,
            // U+FEFF, U+FFFE, U+FFFF.
            0xEF if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
            ) =>
            {
                return None;
            }
            _ => {}
        }
    }
    if !plain {
        return Some(false);
    }
    // A document marker `---` or `...` alone or before white space.
    if (s.starts_with("---") || s.starts_with("...")) && bytes.get(3).is_none_or(u8::is_ascii_whitespace) {
        return Some(false);
    }
    // Edge white space would be lost; only the space is left to test, the
    // other ASCII white space being control characters.
    if s.starts_with(' ') || s.ends_with(' ') {
        return Some(false);
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
    Some(!indicator && !s.trim_end().ends_with(':'))
}

/// What one look at a string's bytes tells.
struct Scan {
    ascii: bool,
    /// It holds a colon or `#`, which may make it other than plain.
    marks: bool,
    /// It may hold a control character or the first byte of
    /// U+0080..=U+009F, U+2028, U+2029, U+FEFF, U+FFFE or U+FFFF, which
    /// [`style`] looks at a byte at a time.
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

/// `"…"` with serde-saphyr's escapes for a string that needs none but
/// `\"` and `\\` (see [`style`]).
fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' || b == b'\\' {
            out.push_str(&s[start..i]);
            out.push('\\');
            start = i;
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The body of a folded block scalar for one line of text that does not
/// start with a space and holds no tab, indented by `indent`: serde-saphyr's
/// `write_folded_block`, which wraps only at runs of ASCII spaces so that
/// each line holds at most [`FOLD_WIDTH`] characters where it can. A break
/// keeps all but one space of its run at the end of the line (a reader folds
/// the break back into that one), and once a line runs past the width with
/// no run of spaces to break at, the rest of the text stays on it.
///
/// serde-saphyr walks the text a character at a time; here the words
/// between runs of spaces are taken whole, with the same state and the same
/// quirk: at a break the column restarts at 0 with the character that went
/// past the width, although the text from the run of spaces up to that
/// character is already on the new line.
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
