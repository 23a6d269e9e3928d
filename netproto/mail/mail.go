// Package mail is a passive decoder of the clear-text mail retrieval
// protocols POP3 (RFC 1939) and IMAP4 (RFC 9051): one [Decoder] per
// direction of a session splits it into commands and replies, and reports
// the logins: POP3's USER and PASS, IMAP's LOGIN (its arguments atoms,
// quoted strings or literals). A password is never returned: it is
// compared, with its user name, through [Decoder.IsDefault], and the
// decoder's copy is erased.
//
// Lines are bounded by [Decoder.MaxLine] (IMAP literals included; a longer
// literal, such as a message body, is skipped without being buffered).
// Decoding allocates nothing in steady state (only errors do).
package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
)

// SASL exchanges in clear text a Decoder follows (RFC 4616 PLAIN, and the
// LOGIN mechanism), after POP3 AUTH or IMAP AUTHENTICATE.
const (
	saslNone      = iota
	saslPlain     // the next line is the PLAIN response
	saslLoginUser // the next line is LOGIN's user name
	saslLoginPass // the next line is LOGIN's password
)

// credHalf is the room for each quoted string of an IMAP login.
const credHalf = 128

// DefaultMaxLine is the default limit of one line (for IMAP, of a command
// with its literals).
const DefaultMaxLine = 8192

// Sentinel errors, wrapped in an [*Error] with the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input is consumed.
	ErrNeedMore = errors.New("mail: need more input")
	// ErrLineTooLong reports a line longer than [Decoder.MaxLine]; it is
	// skipped.
	ErrLineTooLong = errors.New("mail: line too long")
)

// Error is the error type of this package: a sentinel and the stream offset
// of the line it is about.
type Error struct {
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	return e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns Offset.
func (e *Error) ByteOffset() int64 { return e.Offset }

// Protocol is POP3 or IMAP.
type Protocol uint8

// Protocols.
const (
	POP3 Protocol = iota + 1
	IMAP
)

// String returns "pop3", "imap" or a form like "Protocol(3)".
func (p Protocol) String() string {
	switch p {
	case POP3:
		return "pop3"
	case IMAP:
		return "imap"
	}
	return "Protocol(" + strconv.Itoa(int(p)) + ")"
}

// Kind says what an [Item] is.
type Kind uint8

// Item kinds.
const (
	KindCommand Kind = iota + 1 // a client's command
	KindReply                   // a server's status reply (+OK, -ERR; tagged or untagged OK, NO, BAD, PREAUTH, BYE)
	KindData                    // another server line (a message, a listing, untagged data)
)

// String returns "command", "reply", "data" or a form like "Kind(7)".
func (k Kind) String() string {
	switch k {
	case KindCommand:
		return "command"
	case KindReply:
		return "reply"
	case KindData:
		return "data"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Item is one command or reply. Its views are valid until the next call to
// Next, Feed, Gap or Reset.
type Item struct {
	Kind   Kind
	Offset int64
	// Tag is an IMAP command's or tagged reply's tag ("*" for untagged
	// replies, "+" for continuations).
	Tag []byte
	// Command is the verb as sent ("USER", "login"); Arg its arguments,
	// nil for commands that carry a password (PASS, LOGIN) and AUTH or
	// AUTHENTICATE. A client line that answers a SASL challenge has no
	// Command; its Tag is that of the AUTHENTICATE command.
	Command, Arg []byte
	// Login says the command carries a password (POP3 PASS, IMAP LOGIN,
	// or the SASL PLAIN or LOGIN response that holds one):
	// the server's answer tells whether the login succeeded. User is its
	// user name (for PASS, that of the USER command before it; also set
	// for USER and APOP), DefaultCredential whether IsDefault accepted the
	// pair.
	Login             bool
	User              []byte
	DefaultCredential bool
	// Status is a reply's status ("+OK", "-ERR", "OK", "NO", "BAD", ...)
	// and Text the rest of its line.
	Status, Text []byte
	// Truncated says a literal of the line was too long to keep.
	Truncated bool
}

// OK reports whether a reply is positive (+OK, OK or PREAUTH).
func (it *Item) OK() bool {
	return string(it.Status) == "+OK" || equalFold(it.Status, "OK") || equalFold(it.Status, "PREAUTH")
}

// Is reports whether the item is the command verb (upper case), ignoring
// case.
func (it *Item) Is(verb string) bool { return it.Kind == KindCommand && equalFold(it.Command, verb) }

func equalFold(b []byte, upper string) bool {
	if len(b) != len(upper) {
		return false
	}
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

// A Decoder decodes one direction of a POP3 or IMAP session: set Protocol
// and Server (whether the stream is the server's), hand it bytes with
// [Decoder.Feed] and take items with [Decoder.Next] until [ErrNeedMore].
// The items are the same however the stream is cut.
type Decoder struct {
	Protocol Protocol
	Server   bool
	// MaxLine limits one line; 0 (or less) means [DefaultMaxLine].
	MaxLine int
	// IsDefault, when set, is called with a login's user name and
	// password, valid only during the call, and says whether they are a
	// known default credential.
	IsDefault func(user, password []byte) bool

	inited  bool
	maxLine int
	in      []byte
	off     int64

	line      []byte // the line being read, when split across calls or holding literals
	lineOff   int64
	used      bool // line was returned: clear it before reading on
	skip      bool // skipping the rest of a line too long
	literal   int64
	keepLit   bool // the literal is appended to line (else skipped)
	truncated bool

	user  [64]byte
	nuser int
	cred  [2 * credHalf]byte // an IMAP login's quoted strings, or SASL credentials, decoded

	sasl  int // the SASL exchange the client is in
	stag  [32]byte
	nstag int

	flushing bool
}

// Reset makes the decoder ready for a new stream, keeping its settings and
// buffer.
func (d *Decoder) Reset() {
	clear(d.line)
	*d = Decoder{Protocol: d.Protocol, Server: d.Server, MaxLine: d.MaxLine, IsDefault: d.IsDefault, line: d.line[:0], inited: true}
}

// Feed gives the decoder the next bytes; call Next until [ErrNeedMore]
// before feeding more. The decoder copies what it keeps.
func (d *Decoder) Feed(p []byte) {
	if !d.inited {
		d.Reset()
	}
	d.maxLine = d.MaxLine
	if d.maxLine <= 0 {
		d.maxLine = DefaultMaxLine
	}
	d.in = p
}

// Gap tells the decoder n bytes (n < 0: unknown) were lost: the line being
// read is dropped and decoding resumes after the next line end.
func (d *Decoder) Gap(n int) {
	if !d.inited {
		d.Reset()
	}
	if n > 0 {
		d.off += int64(n)
	}
	d.in = nil
	d.clearLine()
	d.literal, d.skip = 0, true
}

// Flush tells the decoder the stream has ended; a line cut short is
// dropped (the decoder reports nothing at the end of a stream).
func (d *Decoder) Flush() {
	if !d.inited {
		d.Reset()
	}
	d.flushing = true
}

// Buffered returns the bytes of memory the decoder holds.
func (d *Decoder) Buffered() int { return cap(d.line) }

func (d *Decoder) clearLine() {
	clear(d.line)
	d.line, d.used, d.truncated, d.keepLit = d.line[:0], false, false, false
}

func (d *Decoder) consume(n int) {
	d.in = d.in[n:]
	d.off += int64(n)
}

// Next returns the next item, or [ErrNeedMore].
func (d *Decoder) Next() (Item, error) {
	if !d.inited {
		d.Reset()
	}
	for len(d.in) > 0 {
		if d.used {
			d.clearLine()
		}
		if d.literal > 0 {
			n := int(min(int64(len(d.in)), d.literal))
			if d.keepLit {
				d.line = append(d.line, d.in[:n]...)
			}
			d.consume(n)
			d.literal -= int64(n)
			continue
		}
		nl := bytes.IndexByte(d.in, '\n')
		if d.skip {
			if nl < 0 {
				d.consume(len(d.in))
				break
			}
			d.consume(nl + 1)
			d.skip = false
			continue
		}
		if len(d.line) == 0 {
			d.lineOff = d.off
		}
		n := len(d.in)
		if nl >= 0 {
			n = nl + 1
		}
		if len(d.line)+n > d.maxLine {
			off := d.lineOff
			d.consume(n)
			d.clearLine()
			d.skip = nl < 0
			return Item{}, &Error{Offset: off, Err: ErrLineTooLong}
		}
		var line []byte
		if len(d.line) == 0 && nl >= 0 && !d.continues(d.in[:nl]) {
			line = d.in[:nl] // whole in the input: no copy
		} else {
			d.line = append(d.line, d.in[:n]...)
			if nl < 0 {
				d.consume(n)
				continue
			}
			line = d.line[:len(d.line)-1]
		}
		d.consume(n)
		if d.startLiteral(line) {
			continue
		}
		if len(d.line) > 0 {
			d.used = true
		}
		if it, ok := d.parse(bytes.TrimSuffix(line, []byte{'\r'}), d.lineOff); ok {
			return it, nil
		}
	}
	if d.flushing && len(d.in) == 0 {
		d.flushing = false
		d.clearLine()
	}
	return Item{}, ErrNeedMore
}

// literalLen returns n when an IMAP line ends with "{n}" or "{n+}".
func literalLen(line []byte) (int64, bool) {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if len(line) < 3 || line[len(line)-1] != '}' {
		return 0, false
	}
	i := bytes.LastIndexByte(line, '{')
	if i < 0 {
		return 0, false
	}
	digits := bytes.TrimSuffix(line[i+1:len(line)-1], []byte{'+'})
	if len(digits) == 0 || len(digits) > 12 {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// continues says whether an IMAP line goes on after a literal.
func (d *Decoder) continues(line []byte) bool {
	_, ok := literalLen(line)
	return d.Protocol == IMAP && ok
}

// startLiteral begins the literal announced at the end of line, if any: it
// is kept in the line when it fits, skipped otherwise.
func (d *Decoder) startLiteral(line []byte) bool {
	if d.Protocol != IMAP {
		return false
	}
	n, ok := literalLen(line)
	if !ok {
		return false
	}
	d.literal = n
	d.keepLit = int64(len(d.line))+n <= int64(d.maxLine)
	if !d.keepLit {
		d.truncated = true
	}
	return true
}

// parse reads one logical line.
func (d *Decoder) parse(line []byte, off int64) (Item, bool) {
	if len(line) == 0 {
		return Item{}, false
	}
	if d.Protocol == POP3 {
		return d.pop3(line, off), true
	}
	return d.imap(line, off), true
}

func word(b []byte) (w, rest []byte) {
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		return b[:i], b[i+1:]
	}
	return b, nil
}

func (d *Decoder) pop3(line []byte, off int64) Item {
	if d.Server {
		w, rest := word(line)
		if string(w) == "+OK" || string(w) == "-ERR" {
			return Item{Kind: KindReply, Offset: off, Status: w, Text: rest}
		}
		return Item{Kind: KindData, Offset: off, Text: line}
	}
	if d.sasl != saslNone {
		return d.saslLine(line, off)
	}
	verb, arg := word(line)
	it := Item{Kind: KindCommand, Offset: off, Command: verb, Truncated: d.truncated}
	switch {
	case equalFold(verb, "USER"):
		d.nuser = copy(d.user[:], arg)
		it.Arg, it.User = arg, d.user[:d.nuser]
	case equalFold(verb, "PASS"):
		it.Login, it.User = true, d.user[:d.nuser]
		if d.IsDefault != nil && d.nuser < len(d.user) {
			it.DefaultCredential = d.IsDefault(it.User, arg)
		}
		if d.used {
			clear(arg)
		}
	case equalFold(verb, "APOP"):
		name, _ := word(arg)
		d.nuser = copy(d.user[:], name)
		it.User = d.user[:d.nuser]
	case equalFold(verb, "AUTH"):
		d.startSASL(&it, arg)
	default:
		it.Arg = arg
	}
	return it
}

func (d *Decoder) imap(line []byte, off int64) Item {
	tag, rest := word(line)
	if d.Server {
		status, text := word(rest)
		if string(tag) == "+" {
			return Item{Kind: KindData, Offset: off, Tag: tag, Text: rest}
		}
		for _, s := range [...]string{"OK", "NO", "BAD", "PREAUTH", "BYE"} {
			if equalFold(status, s) {
				return Item{Kind: KindReply, Offset: off, Tag: tag, Status: status, Text: text}
			}
		}
		return Item{Kind: KindData, Offset: off, Tag: tag, Text: rest}
	}
	if d.sasl != saslNone {
		return d.saslLine(line, off)
	}
	verb, args := word(rest)
	it := Item{Kind: KindCommand, Offset: off, Tag: tag, Command: verb, Truncated: d.truncated}
	switch {
	case equalFold(verb, "LOGIN"):
		it.Login = true
		user, next, ok1 := astring(args, d.cred[:0:credHalf])
		pass, _, ok2 := astring(next, d.cred[credHalf:credHalf])
		d.nuser = copy(d.user[:], user)
		it.User = d.user[:d.nuser]
		if ok1 && ok2 && d.IsDefault != nil && !d.truncated && d.nuser < len(d.user) {
			it.DefaultCredential = d.IsDefault(it.User, pass)
		}
		clear(d.cred[:])
		if d.used {
			clear(args)
		}
	case equalFold(verb, "AUTHENTICATE"):
		d.startSASL(&it, args)
	default:
		it.Arg = args
	}
	return it
}

// startSASL reads the mechanism and initial response of AUTH or
// AUTHENTICATE: PLAIN and LOGIN carry the password in base64.
func (d *Decoder) startSASL(it *Item, arg []byte) {
	mech, ir := word(arg)
	d.nstag = copy(d.stag[:], it.Tag)
	switch {
	case equalFold(mech, "PLAIN"):
		d.sasl = saslPlain
	case equalFold(mech, "LOGIN"):
		d.sasl = saslLoginUser
	default:
		return
	}
	if len(ir) > 0 && string(ir) != "=" {
		d.saslResponse(it, ir)
	}
	if d.used {
		clear(ir)
	}
}

// saslLine reads a client line of a SASL exchange: a base64 response, or
// "*" to cancel it.
func (d *Decoder) saslLine(line []byte, off int64) Item {
	it := Item{Kind: KindCommand, Offset: off, Tag: d.stag[:d.nstag]}
	if string(line) == "*" {
		d.sasl = saslNone
		return it
	}
	d.saslResponse(&it, line)
	if d.used {
		clear(line)
	}
	return it
}

// saslResponse decodes one response of the exchange into it: the user
// name, and at the password the login.
func (d *Decoder) saslResponse(it *Item, b64 []byte) {
	enc := base64.StdEncoding
	n := enc.DecodedLen(len(b64))
	if n > len(d.cred) {
		d.sasl = saslNone
		return
	}
	k, err := enc.Decode(d.cred[:], b64)
	v := d.cred[:k]
	defer clear(d.cred[:])
	switch d.sasl {
	case saslPlain:
		d.sasl = saslNone
		// authzid NUL authcid NUL passwd
		i := bytes.IndexByte(v, 0)
		j := -1
		if i >= 0 {
			j = bytes.IndexByte(v[i+1:], 0)
		}
		if err != nil || j < 0 {
			return
		}
		user, pass := v[i+1:i+1+j], v[i+2+j:]
		d.nuser = copy(d.user[:], user)
		it.Login, it.User = true, d.user[:d.nuser]
		if d.IsDefault != nil && d.nuser < len(d.user) {
			it.DefaultCredential = d.IsDefault(it.User, pass)
		}
	case saslLoginUser:
		d.sasl = saslLoginPass
		d.nuser = copy(d.user[:], v)
		it.User = d.user[:d.nuser]
	case saslLoginPass:
		d.sasl = saslNone
		it.Login, it.User = true, d.user[:d.nuser]
		if err == nil && d.IsDefault != nil && d.nuser < len(d.user) {
			it.DefaultCredential = d.IsDefault(it.User, v)
		}
	}
}

// astring reads an IMAP astring at the start of b (an atom, a quoted string
// with its escapes, or a literal "{n}\r\n" and n bytes) and returns its value
// (a view into b, or decoded into buf when quoted with escapes) and what
// follows it.
func astring(b, buf []byte) (v, rest []byte, ok bool) {
	switch {
	case len(b) == 0:
		return nil, nil, false
	case b[0] == '"':
		for i := 1; i < len(b); i++ {
			switch b[i] {
			case '\\':
				if i+1 < len(b) && len(buf) < cap(buf) {
					i++
					buf = append(buf, b[i])
				}
			case '"':
				return buf, bytes.TrimPrefix(b[i+1:], []byte{' '}), true
			default:
				if len(buf) < cap(buf) {
					buf = append(buf, b[i])
				}
			}
		}
		return nil, nil, false
	case b[0] == '{':
		end := bytes.IndexByte(b, '\n')
		if end < 0 {
			return nil, nil, false
		}
		n, ok := literalLen(b[:end])
		if !ok || int64(len(b)-end-1) < n {
			return nil, nil, false
		}
		v = b[end+1 : end+1+int(n)]
		return v, bytes.TrimPrefix(b[end+1+int(n):], []byte{' '}), true
	}
	w, rest := word(b)
	return w, rest, true
}

// SniffPOP3 reports whether data, the first payload bytes of one direction
// of a stream, begin a POP3 session: the server's "+OK" greeting. It never
// keeps data and never allocates.
func SniffPOP3(data []byte) bool {
	return len(data) >= 4 && string(data[:4]) == "+OK "
}

// SniffIMAP reports whether data begin an IMAP session: the server's
// greeting, "* OK" naming IMAP in its first line, or "* PREAUTH". It never
// keeps data and never allocates.
func SniffIMAP(data []byte) bool {
	if len(data) >= 10 && string(data[:10]) == "* PREAUTH " {
		return true
	}
	if len(data) < 5 || string(data[:5]) != "* OK " {
		return false
	}
	line := data[5:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	for i := 0; i+4 <= len(line); i++ {
		if equalFold(line[i:i+4], "IMAP") {
			return true
		}
	}
	return false
}
