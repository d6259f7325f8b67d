//! The byte scanner: XML-RPC tokens over quick-xml, and the plain leaves read from the bytes.
//!
//! quick-xml tokenizes the document, but the markup that makes up most of a response (a scalar
//! `<value><type>text</type></value>`, a member's `<member><name>text</name>` and `</member>`, the
//! `<value><struct>` and `<value><array><data>` openings and their closings) is recognized
//! straight from the bytes when it is written plainly: exact tags, whitespace between them, text
//! without references, CDATA, comments or carriage returns. The reader is then moved past it.
//! Anything else, and anything unusual inside those shapes, goes through quick-xml's events;
//! `tests/codec_scanner.rs` decodes every fixture both ways.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use quick_xml::Reader;
use quick_xml::events::Event;

use super::error::{DecodeError, DecodeErrorKind};
use super::limits::Limits;

type Result<T> = std::result::Result<T, DecodeError>;

/// The element names XML-RPC uses; anything else is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tag {
    MethodCall,
    MethodName,
    MethodResponse,
    Params,
    Param,
    Fault,
    Value,
    Int,
    I4,
    I8,
    Boolean,
    String,
    Double,
    DateTime,
    Base64,
    Struct,
    Member,
    Name,
    Array,
    Data,
    Nil,
}

impl Tag {
    #[inline]
    pub(super) fn from_name(name: &str) -> Option<Tag> {
        Some(match name {
            "value" => Tag::Value,
            "string" => Tag::String,
            "int" => Tag::Int,
            "member" => Tag::Member,
            "name" => Tag::Name,
            "boolean" => Tag::Boolean,
            "double" => Tag::Double,
            "struct" => Tag::Struct,
            "array" => Tag::Array,
            "data" => Tag::Data,
            "i4" => Tag::I4,
            "i8" | "ex:i8" => Tag::I8,
            "nil" | "ex:nil" => Tag::Nil,
            "dateTime.iso8601" => Tag::DateTime,
            "base64" => Tag::Base64,
            "param" => Tag::Param,
            "params" => Tag::Params,
            "methodResponse" => Tag::MethodResponse,
            "methodCall" => Tag::MethodCall,
            "methodName" => Tag::MethodName,
            "fault" => Tag::Fault,
            _ => return None,
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Tag::MethodCall => "methodCall",
            Tag::MethodName => "methodName",
            Tag::MethodResponse => "methodResponse",
            Tag::Params => "params",
            Tag::Param => "param",
            Tag::Fault => "fault",
            Tag::Value => "value",
            Tag::Int => "int",
            Tag::I4 => "i4",
            Tag::I8 => "i8",
            Tag::Boolean => "boolean",
            Tag::String => "string",
            Tag::Double => "double",
            Tag::DateTime => "dateTime.iso8601",
            Tag::Base64 => "base64",
            Tag::Struct => "struct",
            Tag::Member => "member",
            Tag::Name => "name",
            Tag::Array => "array",
            Tag::Data => "data",
            Tag::Nil => "nil",
        }
    }
}

/// One markup-level token: tags, or the text between them with references already resolved.
#[derive(Debug)]
pub(super) enum Tok<'de> {
    Start(Tag),
    Empty(Tag),
    End(Tag),
    Text(Cow<'de, str>),
    Eof,
}

impl fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Start(t) => write!(f, "<{}>", t.name()),
            Tok::Empty(t) => write!(f, "<{}/>", t.name()),
            Tok::End(t) => write!(f, "</{}>", t.name()),
            Tok::Text(t) => {
                let shown: String = t.chars().take(40).collect();
                if shown.len() < t.len() {
                    write!(f, "text {shown:?}...")
                } else {
                    write!(f, "text {shown:?}")
                }
            }
            Tok::Eof => f.write_str("the end of the document"),
        }
    }
}

/// A scalar read in full, or the opening of a compound value.
pub(super) enum Opened<'de> {
    Scalar(Tag, Cow<'de, str>),
    Nil,
    /// `<struct>` was read (`empty` for `<struct/>`).
    Struct {
        empty: bool,
    },
    /// `<array>` was read (`empty` for `<array/>`).
    Array {
        empty: bool,
    },
}

pub(super) fn unexpected(expected: &str, found: &Tok<'_>) -> DecodeError {
    // A document that stops early is broken XML (truncated), not a misplaced tag.
    let kind = match found {
        Tok::Eof => DecodeErrorKind::Syntax,
        _ => DecodeErrorKind::Structure,
    };
    DecodeError::new(kind, format!("expected {expected}, found {found}"))
}

/// Pull parser over one document: XML-RPC tokens, and the plain leaves scanned from the bytes.
/// The serde `Deserializer` for the `<value>` at its cursor is in `de`.
pub(super) struct Parser<'de> {
    reader: Reader<&'de [u8]>,
    /// The document, to look at the byte after a text event and to scan plain leaves.
    src: &'de [u8],
    /// The same, as text, to hand out scanned leaves.
    text: &'de str,
    /// Bytes the reader did not see: a byte-order mark, and the leaves scanned past it. The
    /// reader's own position plus this is the offset in `src`.
    skipped: u64,
    /// A value opened by the byte scanner for an array (which must look past the next
    /// `<value>` to know whether the array ends), for the `open` that follows; with its offset.
    scanned: Option<(Opened<'de>, u64)>,
    /// A raw event read ahead while collecting text.
    raw_pending: Option<(Event<'de>, u64)>,
    /// A token read ahead by `peek`.
    peeked: Option<(Tok<'de>, u64)>,
    /// Start offset of the last token handed out.
    tok_start: u64,
    depth: usize,
    max_depth: usize,
}

impl<'de> Parser<'de> {
    pub(super) fn new(src: &'de str, limits: &Limits) -> Self {
        // Without its byte-order mark, so that the reader's offsets are offsets in `body`.
        let body = src.strip_prefix('\u{FEFF}').unwrap_or(src);
        let mut reader = Reader::from_str(body);
        // The decoder checks every end tag it consumes against the one it expects (and skipped
        // values against their own start tags), so quick-xml need not check them a second time;
        // nor can it, since it does not see the elements scanned past it.
        reader.config_mut().check_end_names = false;
        reader.config_mut().allow_unmatched_ends = true;
        Parser {
            reader,
            src: src.as_bytes(),
            text: src,
            skipped: (src.len() - body.len()) as u64,
            scanned: None,
            raw_pending: None,
            peeked: None,
            tok_start: 0,
            depth: 0,
            max_depth: limits.max_depth,
        }
    }

    /// Offset of the start of the last token read.
    pub(super) fn position(&self) -> u64 {
        self.tok_start
    }

    fn raw(&mut self) -> Result<(Event<'de>, u64)> {
        if let Some(pending) = self.raw_pending.take() {
            return Ok(pending);
        }
        self.read_raw()
    }

    /// The reader's offset in the document.
    #[inline]
    fn offset(&self) -> u64 {
        self.reader.buffer_position() + self.skipped
    }

    #[cold]
    fn reader_error(&self, e: quick_xml::Error) -> DecodeError {
        DecodeError::new(DecodeErrorKind::Syntax, format!("malformed XML: {e}"))
            .at(self.reader.error_position() + self.skipped)
    }

    /// An end tag's element: one with an unknown name cannot close any element the decoder
    /// accepted, so it is malformed XML.
    fn end_tag(name: &str, start: u64) -> Result<Tag> {
        Tag::from_name(name).ok_or_else(|| {
            DecodeError::new(
                DecodeErrorKind::Syntax,
                format!("malformed XML: end tag </{name}> does not match any open element"),
            )
            .at(start)
        })
    }

    fn tag(name: &str, start: u64) -> Result<Tag> {
        Tag::from_name(name).ok_or_else(|| {
            DecodeError::new(
                DecodeErrorKind::Structure,
                format!("unknown element <{name}>: not part of XML-RPC"),
            )
            .at(start)
        })
    }

    /// `text` if XML 1.0 allows all of it: raw control characters (other than tab, line feed and
    /// carriage return) make a document not well-formed, as Python's expat reports them.
    fn xml10_text(text: Cow<'de, str>, start: u64) -> Result<Cow<'de, str>> {
        if !has_forbidden_control(text.as_bytes()) {
            return Ok(text);
        }
        let bad = text
            .bytes()
            .find(|&b| is_forbidden_control(b))
            .unwrap_or_default();
        Err(DecodeError::new(
            DecodeErrorKind::Syntax,
            format!(
                "the control character U+{bad:04X} is not allowed in XML 1.0 text; a peer must \
                 escape it or send the data as <base64>"
            ),
        )
        .at(start))
    }

    pub(super) fn resolve_ref(name: &str, start: u64) -> Result<char> {
        let ch = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let parsed = name
                    .strip_prefix('#')
                    .and_then(|num| match num.strip_prefix('x') {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    });
                // Only characters XML 1.0 allows may be referenced, as in Python's expat:
                // `&#1;` is not well-formed.
                return match parsed.and_then(char::from_u32).filter(|&c| is_xml_char(c)) {
                    Some(c) => Ok(c),
                    None if name.starts_with('#') => Err(DecodeError::new(
                        DecodeErrorKind::Syntax,
                        format!("invalid character reference &{name};"),
                    )
                    .at(start)),
                    None => Err(DecodeError::new(
                        DecodeErrorKind::Forbidden,
                        format!(
                            "unknown entity &{name};: only the five predefined XML entities and \
                             character references are allowed"
                        ),
                    )
                    .at(start)),
                };
            }
        };
        Ok(ch)
    }

    /// Appends one text-like event to `acc`; false if the event is not text.
    fn push_text(acc: &mut Option<Cow<'de, str>>, ev: &Event<'de>, start: u64) -> Result<bool> {
        let piece: Cow<'de, str> = match ev {
            Event::Text(t) => Self::xml10_text(t.xml10_content(), start)?,
            Event::CData(c) => Self::xml10_text(c.xml10_content(), start)?,
            Event::GeneralRef(r) => {
                let ch = Self::resolve_ref(r, start)?;
                Cow::Owned(ch.to_string())
            }
            _ => return Ok(false),
        };
        match acc {
            None => *acc = Some(piece),
            Some(existing) => existing.to_mut().push_str(&piece),
        }
        Ok(true)
    }

    fn next_tok(&mut self) -> Result<Tok<'de>> {
        if let Some((tok, start)) = self.peeked.take() {
            self.tok_start = start;
            return Ok(tok);
        }
        loop {
            let (ev, start) = self.raw()?;
            self.tok_start = start;
            let tok = match ev {
                Event::Start(e) => Tok::Start(Self::tag(e.name().as_ref(), start)?),
                Event::Empty(e) => Tok::Empty(Self::tag(e.name().as_ref(), start)?),
                Event::End(e) => Tok::End(Self::end_tag(e.name().as_ref(), start)?),
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    let mut acc = None;
                    Self::push_text(&mut acc, &ev, start)?;
                    // Text followed by a tag (not CDATA or a comment) is complete: no need to
                    // read the next event ahead.
                    let next = self.offset() as usize;
                    if self.src.get(next) == Some(&b'<')
                        && !matches!(self.src.get(next + 1), Some(b'!' | b'?'))
                    {
                        return Ok(Tok::Text(acc.unwrap_or(Cow::Borrowed(""))));
                    }
                    loop {
                        let (next, next_start) = self.raw()?;
                        match next {
                            Event::Comment(_) | Event::PI(_) => continue,
                            _ => {
                                if !Self::push_text(&mut acc, &next, next_start)? {
                                    self.raw_pending = Some((next, next_start));
                                    break;
                                }
                            }
                        }
                    }
                    Tok::Text(acc.unwrap_or(Cow::Borrowed("")))
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => continue,
                Event::DocType(_) => {
                    return Err(DecodeError::new(
                        DecodeErrorKind::Forbidden,
                        "DOCTYPE declarations are not allowed in XML-RPC (they can define entities)",
                    )
                    .at(start));
                }
                Event::Eof => Tok::Eof,
            };
            return Ok(tok);
        }
    }

    /// The next tag, skipping whitespace between tags; other text is an error.
    pub(super) fn next_tag(&mut self) -> Result<Tok<'de>> {
        // Fast path: straight from quick-xml, dropping whitespace between tags without building
        // tokens (a third of the events of pretty-printed XML-RPC).
        if self.peeked.is_none() && self.raw_pending.is_none() {
            loop {
                let start = self.offset();
                let ev = match self.reader.read_event() {
                    Ok(ev) => ev,
                    Err(e) => return Err(self.reader_error(e)),
                };
                self.tok_start = start;
                match ev {
                    Event::Text(t) if t.bytes().all(|b| b.is_ascii_whitespace()) => {}
                    Event::Start(e) => return Ok(Tok::Start(Self::tag(e.name().as_ref(), start)?)),
                    Event::End(e) => return Ok(Tok::End(Self::end_tag(e.name().as_ref(), start)?)),
                    Event::Empty(e) => return Ok(Tok::Empty(Self::tag(e.name().as_ref(), start)?)),
                    Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                    other => {
                        self.raw_pending = Some((other, start));
                        break;
                    }
                }
            }
        }
        loop {
            match self.next_tok()? {
                Tok::Text(t) if t.bytes().all(|b| b.is_ascii_whitespace()) => continue,
                Tok::Text(t) => {
                    return Err(unexpected("a tag", &Tok::Text(t)).at(self.tok_start));
                }
                tok => return Ok(tok),
            }
        }
    }

    /// Looks at the next tag without consuming it.
    pub(super) fn peek_tag(&mut self) -> Result<&Tok<'de>> {
        if self.peeked.is_none() {
            let tok = self.next_tag()?;
            self.peeked = Some((tok, self.tok_start));
        }
        match &self.peeked {
            Some((tok, _)) => Ok(tok),
            None => unreachable!("peeked was just filled"),
        }
    }

    pub(super) fn expect_start(&mut self, tag: Tag) -> Result<()> {
        match self.next_tag()? {
            Tok::Start(t) if t == tag => Ok(()),
            other => Err(unexpected(&format!("<{}>", tag.name()), &other).at(self.tok_start)),
        }
    }

    pub(super) fn expect_end(&mut self, tag: Tag) -> Result<()> {
        match self.next_tag()? {
            Tok::End(t) if t == tag => Ok(()),
            other => Err(self.unexpected_in(tag, &format!("</{}>", tag.name()), &other)),
        }
    }

    /// The error for `found` where `expected` should be, inside an open `<tag>`: another end tag
    /// there is malformed XML (it does not match the open element), anything else a misplaced
    /// element.
    #[cold]
    fn unexpected_in(&self, tag: Tag, expected: &str, found: &Tok<'_>) -> DecodeError {
        match found {
            Tok::End(other) => DecodeError::new(
                DecodeErrorKind::Syntax,
                format!(
                    "malformed XML: end tag </{}> does not match <{}>",
                    other.name(),
                    tag.name()
                ),
            ),
            _ => unexpected(expected, found),
        }
        .at(self.tok_start)
    }

    pub(super) fn expect_eof(&mut self) -> Result<()> {
        match self.next_tag()? {
            Tok::Eof => Ok(()),
            other => Err(unexpected("the end of the document", &other).at(self.tok_start)),
        }
    }

    /// Reads the text content of `tag` up to its end tag (its start tag already read).
    pub(super) fn read_text(&mut self, tag: Tag) -> Result<Cow<'de, str>> {
        match self.next_tok()? {
            Tok::End(t) if t == tag => Ok(Cow::Borrowed("")),
            Tok::Text(text) => {
                self.expect_end_raw(tag)?;
                Ok(text)
            }
            other => Err(self.unexpected_in(tag, &format!("text or </{}>", tag.name()), &other)),
        }
    }

    fn expect_end_raw(&mut self, tag: Tag) -> Result<()> {
        match self.next_tok()? {
            Tok::End(t) if t == tag => Ok(()),
            other => Err(self.unexpected_in(tag, &format!("</{}>", tag.name()), &other)),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(DecodeError::new(
                DecodeErrorKind::Limit,
                format!(
                    "values nested deeper than the limit of {} levels (raise Limits::max_depth \
                     if this is expected)",
                    self.max_depth
                ),
            )
            .at(self.tok_start));
        }
        Ok(())
    }

    /// Reads `<value>` and either the whole scalar inside it (and `</value>`) or the opening of
    /// a struct or array. Returns the start offset of the `<value>` element too.
    pub(super) fn open(&mut self) -> Result<(Opened<'de>, u64)> {
        if let Some((opened, start)) = self.scanned.take() {
            self.tok_start = start;
            return Ok((opened, start));
        }
        if let Some(scanned) = self.scan_value()? {
            return Ok(scanned);
        }
        match self.next_tag()? {
            Tok::Start(Tag::Value) => {}
            Tok::Empty(Tag::Value) => {
                return Ok((
                    Opened::Scalar(Tag::String, Cow::Borrowed("")),
                    self.tok_start,
                ));
            }
            other => return Err(unexpected("<value>", &other).at(self.tok_start)),
        }
        let start = self.tok_start;
        if self.peeked.is_none() && self.raw_pending.is_none() {
            if let Some((tag, text)) = self.open_scalar_fast()? {
                return Ok((Opened::Scalar(tag, text), start));
            }
        }
        let first = self.next_tok()?;
        let first = match first {
            Tok::End(Tag::Value) => {
                return Ok((Opened::Scalar(Tag::String, Cow::Borrowed("")), start));
            }
            Tok::Text(text) => match self.next_tok()? {
                // Untyped `<value>text</value>` is a string.
                Tok::End(Tag::Value) => return Ok((Opened::Scalar(Tag::String, text), start)),
                tok @ (Tok::Start(_) | Tok::Empty(_))
                    if text.bytes().all(|b| b.is_ascii_whitespace()) =>
                {
                    tok
                }
                other => {
                    return Err(unexpected("</value> or a type tag", &other).at(self.tok_start));
                }
            },
            tok => tok,
        };
        let opened = match first {
            Tok::Start(
                tag @ (Tag::Int
                | Tag::I4
                | Tag::I8
                | Tag::Boolean
                | Tag::String
                | Tag::Double
                | Tag::DateTime
                | Tag::Base64),
            ) => {
                let text = self.read_text(tag)?;
                self.expect_end(Tag::Value)?;
                Opened::Scalar(tag, text)
            }
            Tok::Empty(
                tag @ (Tag::Int
                | Tag::I4
                | Tag::I8
                | Tag::Boolean
                | Tag::String
                | Tag::Double
                | Tag::DateTime
                | Tag::Base64),
            ) => {
                self.expect_end(Tag::Value)?;
                Opened::Scalar(tag, Cow::Borrowed(""))
            }
            Tok::Empty(Tag::Nil) => {
                self.expect_end(Tag::Value)?;
                Opened::Nil
            }
            Tok::Start(Tag::Nil) => {
                self.expect_end(Tag::Nil)?;
                self.expect_end(Tag::Value)?;
                Opened::Nil
            }
            Tok::Start(Tag::Struct) => {
                self.enter()?;
                Opened::Struct { empty: false }
            }
            Tok::Empty(Tag::Struct) => {
                self.enter()?;
                Opened::Struct { empty: true }
            }
            Tok::Start(Tag::Array) => {
                self.enter()?;
                match self.next_tag()? {
                    Tok::Start(Tag::Data) => Opened::Array { empty: false },
                    Tok::Empty(Tag::Data) => {
                        self.expect_end(Tag::Array)?;
                        Opened::Array { empty: true }
                    }
                    Tok::End(Tag::Array) => Opened::Array { empty: true },
                    other => return Err(unexpected("<data>", &other).at(self.tok_start)),
                }
            }
            Tok::Empty(Tag::Array) => {
                self.enter()?;
                Opened::Array { empty: true }
            }
            other => return Err(unexpected("a value type tag", &other).at(self.tok_start)),
        };
        Ok((opened, start))
    }

    /// Reads quick-xml's next event, with errors mapped and its start offset.
    #[inline]
    fn read_raw(&mut self) -> Result<(Event<'de>, u64)> {
        let start = self.offset();
        match self.reader.read_event() {
            Ok(ev) => Ok((ev, start)),
            Err(e) => Err(self.reader_error(e)),
        }
    }

    /// Whether the byte scanners may look at the input: nothing is read ahead (then the reader
    /// stands just after a tag, between values).
    #[inline]
    fn can_scan(&self) -> bool {
        self.peeked.is_none() && self.raw_pending.is_none() && self.scanned.is_none()
    }

    /// Moves the reader to `end`, past a leaf scanned from the bytes. Only whole elements are
    /// scanned past, so the reader's state (just after a tag) stays right.
    fn skip_to(&mut self, end: usize) -> bool {
        let Some(n) = end.checked_sub(self.offset() as usize) else {
            return false;
        };
        let rest = self.reader.get_mut();
        match rest.get(n..) {
            Some(after) => {
                *rest = after;
                self.skipped += n as u64;
                true
            }
            None => false,
        }
    }

    /// The opening of a value written plainly, after optional whitespace, straight from the
    /// bytes: a whole scalar `<value><type>text</type></value>` or `<value>text</value>`, or
    /// `<value><struct>` or `<value><array><data>`; with its offset, and the reader moved past
    /// it. `None`, with nothing consumed, for any other shape (which the event path then reads).
    fn scan_value(&mut self) -> Result<Option<(Opened<'de>, u64)>> {
        if !self.can_scan() {
            return Ok(None);
        }
        let src = self.src;
        let start = skip_whitespace(src, self.offset() as usize);
        let open = start + b"<value>".len();
        if src.get(start..open) != Some(b"<value>") {
            return Ok(None);
        }
        let scalar = if src.get(open) == Some(&b'<') {
            match src.get(open + 1) {
                Some(b's') if src[open..].starts_with(b"<struct>") => {
                    return self.scanned_compound(start, open, &[b"<struct>"], false);
                }
                Some(b'a') => {
                    return self.scanned_compound(start, open, &[b"<array>", b"<data>"], true);
                }
                _ => Self::scan_typed_scalar(src, open),
            }
        } else {
            plain_text_end(src, open).and_then(|text_end| {
                src.get(text_end..)?.starts_with(b"</value>").then_some((
                    Tag::String,
                    open,
                    text_end,
                    text_end + b"</value>".len(),
                ))
            })
        };
        let Some((tag, text_start, text_end, end)) = scalar else {
            return Ok(None);
        };
        let Some(text) = self.text.get(text_start..text_end) else {
            return Ok(None);
        };
        if !self.skip_to(end) {
            return Ok(None);
        }
        self.tok_start = start as u64;
        Ok(Some((
            Opened::Scalar(tag, Cow::Borrowed(text)),
            start as u64,
        )))
    }

    /// For an array element: opens a plainly written value ahead (looking for `</data>` would
    /// read its `<value>`) and keeps it for the `open` that follows. True when an opened value is
    /// waiting there.
    #[inline]
    pub(super) fn scan_element(&mut self) -> Result<bool> {
        if let Some(scanned) = self.scan_value()? {
            self.scanned = Some(scanned);
            return Ok(true);
        }
        Ok(self.scanned.is_some())
    }

    /// `<type>text</type></value>` at `open`: the type, the text's range and the end.
    fn scan_typed_scalar(src: &[u8], open: usize) -> Option<(Tag, usize, usize, usize)> {
        // Type names are at most 16 bytes (`dateTime.iso8601`).
        let window = src.get(open + 1..src.len().min(open + 18))?;
        let name_end = open + 1 + window.iter().position(|&b| b == b'>')?;
        let name = &src[open + 1..name_end];
        let tag = scalar_tag(name)?;
        let text_start = name_end + 1;
        let text_end = plain_text_end(src, text_start)?;
        let closed = src
            .get(text_end..)?
            .strip_prefix(b"</")?
            .strip_prefix(name)?;
        if !closed.starts_with(b"></value>") {
            return None;
        }
        Some((
            tag,
            text_start,
            text_end,
            text_end + 2 + name.len() + b"></value>".len(),
        ))
    }

    /// `<value>` at `start` followed by the compound's opening `tags`, entered.
    fn scanned_compound(
        &mut self,
        start: usize,
        mut at: usize,
        tags: &[&[u8]],
        array: bool,
    ) -> Result<Option<(Opened<'de>, u64)>> {
        for tag in tags {
            at = skip_whitespace(self.src, at);
            if !self.src.get(at..).is_some_and(|rest| rest.starts_with(tag)) {
                return Ok(None);
            }
            at += tag.len();
        }
        if !self.skip_to(at) {
            return Ok(None);
        }
        self.tok_start = start as u64;
        self.enter()?;
        let opened = if array {
            Opened::Array { empty: false }
        } else {
            Opened::Struct { empty: false }
        };
        Ok(Some((opened, start as u64)))
    }

    /// The exact tags `tags`, each after optional whitespace, straight from the bytes: true, with
    /// the reader moved past them; false, with nothing consumed, otherwise.
    pub(super) fn scan_tags(&mut self, tags: &[&[u8]]) -> bool {
        if !self.can_scan() {
            return false;
        }
        let mut at = self.offset() as usize;
        let mut first = None;
        for tag in tags {
            at = skip_whitespace(self.src, at);
            first.get_or_insert(at);
            if !self.src.get(at..).is_some_and(|rest| rest.starts_with(tag)) {
                return false;
            }
            at += tag.len();
        }
        if !self.skip_to(at) {
            return false;
        }
        self.tok_start = first.unwrap_or(at) as u64;
        true
    }

    /// A member's `<name>text</name>` written plainly, after optional whitespace, with the
    /// reader moved past it.
    fn scan_member_name(&mut self) -> Option<&'de str> {
        if !self.can_scan() {
            return None;
        }
        let src = self.src;
        let start = skip_whitespace(src, self.offset() as usize);
        let text_start = start + b"<name>".len();
        if src.get(start..text_start)? != b"<name>" {
            return None;
        }
        let text_end = plain_text_end(src, text_start)?;
        if !src.get(text_end..)?.starts_with(b"</name>") {
            return None;
        }
        let text = self.text.get(text_start..text_end)?;
        if !self.skip_to(text_end + b"</name>".len()) {
            return None;
        }
        self.tok_start = start as u64;
        Some(text)
    }

    /// The common shape `<type>text</type></value>` of a scalar, read straight from quick-xml
    /// events, after `<value>`: most values of a response are scalars, and this skips the token
    /// layer for them. Anything else is handed back (`None`) to the general path, with the event
    /// read so far left pending.
    fn open_scalar_fast(&mut self) -> Result<Option<(Tag, Cow<'de, str>)>> {
        let (ev, start) = self.read_raw()?;
        let tag = match &ev {
            Event::Start(e) => match e.name().as_ref() {
                "string" => Tag::String,
                "int" => Tag::Int,
                "double" => Tag::Double,
                "boolean" => Tag::Boolean,
                "i4" => Tag::I4,
                "i8" | "ex:i8" => Tag::I8,
                "dateTime.iso8601" => Tag::DateTime,
                "base64" => Tag::Base64,
                _ => {
                    self.raw_pending = Some((ev, start));
                    return Ok(None);
                }
            },
            _ => {
                self.raw_pending = Some((ev, start));
                return Ok(None);
            }
        };
        self.tok_start = start;
        let (ev, text_start) = self.read_raw()?;
        let text = match ev {
            Event::End(e) if e.name().as_ref() == tag.name() => Cow::Borrowed(""),
            // Plain text directly followed by an end tag is the whole content.
            Event::Text(t) if self.at_end_tag() => {
                let text = Self::xml10_text(t.xml10_content(), text_start)?;
                let (ev, end_start) = self.read_raw()?;
                match ev {
                    Event::End(e) if e.name().as_ref() == tag.name() => text,
                    other => {
                        self.raw_pending = Some((other, end_start));
                        self.expect_end_raw(tag)?;
                        text
                    }
                }
            }
            other => {
                self.raw_pending = Some((other, text_start));
                self.read_text(tag)?
            }
        };
        self.expect_end(Tag::Value)?;
        Ok(Some((tag, text)))
    }

    /// A member's `<name>text</name>` (after `<member>`), straight from quick-xml events in the
    /// common case of plain text, through the token layer otherwise.
    pub(super) fn read_member_name(&mut self) -> Result<Cow<'de, str>> {
        if let Some(name) = self.scan_member_name() {
            return Ok(Cow::Borrowed(name));
        }
        if self.peeked.is_none() && self.raw_pending.is_none() {
            let (ev, start) = loop {
                match self.read_raw()? {
                    (Event::Text(t), _) if t.bytes().all(|b| b.is_ascii_whitespace()) => {}
                    other => break other,
                }
            };
            match ev {
                Event::Start(e) if e.name().as_ref() == "name" => {
                    self.tok_start = start;
                    let (ev, text_start) = self.read_raw()?;
                    return match ev {
                        Event::Text(t) if self.at_end_tag() => {
                            let text = Self::xml10_text(t.xml10_content(), text_start)?;
                            let (ev, end_start) = self.read_raw()?;
                            if !matches!(&ev, Event::End(e) if e.name().as_ref() == "name") {
                                self.raw_pending = Some((ev, end_start));
                                self.expect_end_raw(Tag::Name)?;
                            }
                            Ok(text)
                        }
                        other => {
                            self.raw_pending = Some((other, text_start));
                            self.read_text(Tag::Name)
                        }
                    };
                }
                other => self.raw_pending = Some((other, start)),
            }
        }
        match self.next_tag()? {
            Tok::Start(Tag::Name) => self.read_text(Tag::Name),
            Tok::Empty(Tag::Name) => Ok(Cow::Borrowed("")),
            other => Err(unexpected("<name>", &other).at(self.position())),
        }
    }

    /// Whether the reader stands at `</`.
    fn at_end_tag(&self) -> bool {
        let next = self.offset() as usize;
        self.src.get(next..next + 2) == Some(b"</")
    }

    /// After a struct or array was read to its end: `</value>`.
    pub(super) fn close_compound(&mut self) -> Result<()> {
        self.depth -= 1;
        if self.scan_tags(&[b"</value>"]) {
            return Ok(());
        }
        self.expect_end(Tag::Value)
    }
}

/// The offset of the first byte at or after `at` that is not XML whitespace.
#[inline]
fn skip_whitespace(src: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = src.get(at) {
        at += 1;
    }
    at
}

/// The end of plain text starting at `at`: the offset of the next `<`. `None` when a reference
/// or a carriage return comes first (quick-xml's path resolves and normalizes those) or the
/// document ends.
#[inline]
fn plain_text_end(src: &[u8], at: usize) -> Option<usize> {
    let rest = src.get(at..)?;
    let stop = memchr::memchr3(b'<', b'&', b'\r', rest)?;
    // Forbidden control characters go the event path too, which reports them.
    (rest[stop] == b'<' && !has_forbidden_control(&rest[..stop])).then_some(at + stop)
}

/// A control character XML 1.0 text cannot hold: below U+0020, except tab, line feed and
/// carriage return.
#[inline]
fn is_forbidden_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

/// Whether `bytes` holds a forbidden control character: one branch-free pass the compiler
/// vectorises, since every text of a document goes through it.
#[inline]
fn has_forbidden_control(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |bad, &b| {
        bad | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
    })
}

/// The scalar type named by a type tag.
#[inline]
fn scalar_tag(name: &[u8]) -> Option<Tag> {
    Some(match name {
        b"string" => Tag::String,
        b"int" => Tag::Int,
        b"double" => Tag::Double,
        b"boolean" => Tag::Boolean,
        b"i4" => Tag::I4,
        b"i8" | b"ex:i8" => Tag::I8,
        b"dateTime.iso8601" => Tag::DateTime,
        b"base64" => Tag::Base64,
        _ => return None,
    })
}

/// Characters XML 1.0 allows in a document (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..
    )
}

pub(super) fn parse_int(text: &str) -> Result<i64> {
    // Ids and counts are short runs of digits: summed directly (18 digits cannot overflow).
    let digits = text.as_bytes();
    if (1..=18).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) {
        return Ok(digits.iter().fold(0, |n, &d| n * 10 + i64::from(d - b'0')));
    }
    text.trim()
        .parse::<i64>()
        .map_err(|_| DecodeError::new(DecodeErrorKind::Type, format!("invalid integer {text:?}")))
}

pub(super) fn parse_double(text: &str) -> Result<f64> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| DecodeError::new(DecodeErrorKind::Type, format!("invalid double {text:?}")))
}

pub(super) fn parse_bool(text: &str) -> Result<bool> {
    match text.trim() {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(DecodeError::new(
            DecodeErrorKind::Type,
            format!("invalid boolean {text:?}: expected 0 or 1"),
        )),
    }
}

pub(super) fn decode_base64(text: &str) -> Result<Vec<u8>> {
    // Python's xmlrpc.client wraps base64 at 76 columns: drop the whitespace first.
    let compact: Cow<'_, str> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        Cow::Owned(text.chars().filter(|c| !c.is_ascii_whitespace()).collect())
    } else {
        Cow::Borrowed(text)
    };
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| DecodeError::new(DecodeErrorKind::Type, format!("invalid base64 data: {e}")))
}
