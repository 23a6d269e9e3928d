// Package ftp is a passive decoder of the FTP control connection (RFC 959):
// the commands a client sends and the replies of the server, one [Item] per
// command line or reply (a multi-line reply is one item). It follows logins:
// the password of a PASS command is never returned; it is only compared,
// with the user name of the USER command before it, through
// [Decoder.IsDefault], and the decoder's copy of it is erased.
//
// Lines are bounded by [Decoder.MaxLine]; decoding allocates nothing in
// steady state (only errors do).
package ftp

import (
	"bytes"
	"errors"
	"strconv"
)

// DefaultMaxLine is the default limit of one command or reply line.
const DefaultMaxLine = 4096

// Sentinel errors, wrapped in an [*Error] with the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input is consumed.
	ErrNeedMore = errors.New("ftp: need more input")
	// ErrLineTooLong reports a line longer than [Decoder.MaxLine]; it is
	// skipped.
	ErrLineTooLong = errors.New("ftp: line too long")
	// ErrSyntax reports a line that is neither a command (a verb of
	// letters) nor a reply (three digits and a space or hyphen).
	ErrSyntax = errors.New("ftp: malformed line")
	// ErrIncomplete reports a line or multi-line reply cut short by the
	// end of the stream (see [Decoder.Flush]).
	ErrIncomplete = errors.New("ftp: incomplete line")
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

// Kind says what an [Item] is.
type Kind uint8

// Item kinds.
const (
	KindCommand Kind = iota + 1 // a command line from the client
	KindReply                   // a reply from the server
)

// String returns "command", "reply" or a form like "Kind(3)".
func (k Kind) String() string {
	switch k {
	case KindCommand:
		return "command"
	case KindReply:
		return "reply"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Item is one command or reply. Its views are valid until the next call to
// Next, Feed, Gap or Reset.
type Item struct {
	Kind   Kind
	Offset int64 // stream offset of the line's (the reply's first line's) first byte

	// Command: the verb as sent ("USER", "retr") and its argument. The
	// argument of PASS and ACCT is never given (nil).
	Command, Arg []byte
	// For PASS: the user name of the USER command before it (empty when
	// none was seen) and whether IsDefault accepted the pair.
	User              []byte
	DefaultCredential bool

	// Reply: the code, and the text of its first line (at most 128
	// bytes). Multiline says it spanned several lines.
	Code      int
	Text      []byte
	Multiline bool
}

// Is reports whether the item is the command verb (upper case), compared
// without regard to case.
func (it *Item) Is(verb string) bool {
	if it.Kind != KindCommand || len(it.Command) != len(verb) {
		return false
	}
	for i, c := range it.Command {
		if c&^0x20 != verb[i] {
			return false
		}
	}
	return true
}

// A Decoder decodes one direction of an FTP control connection
// incrementally: hand it bytes with [Decoder.Feed] and take items with
// [Decoder.Next] until it returns [ErrNeedMore]. The items are the same
// however the stream is cut. The zero value is ready to use.
type Decoder struct {
	// MaxLine limits one line; 0 (or less) means [DefaultMaxLine].
	MaxLine int
	// IsDefault, when set, is called with the user name of the last USER
	// command and the password of a PASS command, valid only during the
	// call, and says whether they are a known default credential.
	IsDefault func(user, password []byte) bool

	inited  bool
	maxLine int
	in      []byte
	off     int64

	line    []byte // a line split across Feed calls
	lineOff int64
	used    bool // line holds a line returned: clear it at the next call
	skip    bool // skipping the rest of a line too long

	multi    bool // inside a multi-line reply
	code     int
	replyOff int64
	text     [128]byte
	ntext    int

	user  [64]byte
	nuser int

	flushing bool
}

// Reset makes the decoder ready for a new stream, keeping its limits and
// buffer.
func (d *Decoder) Reset() {
	*d = Decoder{MaxLine: d.MaxLine, IsDefault: d.IsDefault, line: d.line[:0], inited: true}
}

// Feed gives the decoder the next bytes of the stream; call Next until it
// returns [ErrNeedMore] before feeding more. The decoder copies a line
// split across calls and keeps no reference to p once Next has returned
// ErrNeedMore.
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

// Gap tells the decoder that n bytes (n < 0: unknown) were lost before the
// next Feed: the line and reply being read are dropped, and decoding
// resumes after the next line end.
func (d *Decoder) Gap(n int) {
	if !d.inited {
		d.Reset()
	}
	if n > 0 {
		d.off += int64(n)
	}
	d.in = nil
	d.clearLine()
	d.multi = false
	d.skip = true
}

// Flush tells the decoder the stream has ended: once the input is consumed,
// Next reports a line or multi-line reply cut short ([ErrIncomplete]), then
// returns [ErrNeedMore].
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
	d.line = d.line[:0]
}

// Next returns the next item, or [ErrNeedMore]. Other errors describe, once,
// a line that was skipped; the next call goes on.
func (d *Decoder) Next() (Item, error) {
	if !d.inited {
		d.Reset()
	}
	for len(d.in) > 0 {
		if d.used {
			d.clearLine()
			d.used = false
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
		if nl < 0 {
			if len(d.line) == 0 {
				d.lineOff = d.off
			}
			if len(d.line)+len(d.in) > d.maxLine {
				off := d.lineOff
				d.consume(len(d.in))
				d.clearLine()
				d.skip = true
				return Item{}, &Error{Offset: off, Err: ErrLineTooLong}
			}
			d.line = append(d.line, d.in...)
			d.consume(len(d.in))
			// Keep the partial line: it is not cleared by the next call.
			return d.needMore()
		}
		line := d.in[:nl]
		off := d.off
		if len(d.line) > 0 {
			off = d.lineOff
			if len(d.line)+nl > d.maxLine {
				d.consume(nl + 1)
				d.clearLine()
				return Item{}, &Error{Offset: off, Err: ErrLineTooLong}
			}
			d.line = append(d.line, line...)
			line = d.line
			d.used = true
		} else if nl > d.maxLine {
			d.consume(nl + 1)
			return Item{}, &Error{Offset: off, Err: ErrLineTooLong}
		}
		d.consume(nl + 1)
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if it, err, ok := d.parse(line, off); ok {
			return it, err
		}
	}
	return d.needMore()
}

// needMore returns ErrNeedMore, or at the end of a flushed stream what was
// left first.
func (d *Decoder) needMore() (Item, error) {
	if !d.flushing || len(d.in) > 0 {
		return Item{}, ErrNeedMore
	}
	d.flushing = false
	switch {
	case len(d.line) > 0 && !d.used:
		off := d.lineOff
		d.clearLine()
		return Item{}, &Error{Offset: off, Err: ErrIncomplete}
	case d.multi:
		d.multi = false
		return Item{}, &Error{Offset: d.replyOff, Err: ErrIncomplete}
	}
	return Item{}, ErrNeedMore
}

func (d *Decoder) consume(n int) {
	d.in = d.in[n:]
	d.off += int64(n)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parse reads one line; ok says an item or error is returned.
func (d *Decoder) parse(line []byte, off int64) (Item, error, bool) {
	if d.multi {
		// The last line of a multi-line reply starts with its code and a
		// space; other lines are text.
		if len(line) >= 4 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) && line[3] == ' ' &&
			code(line) == d.code {
			d.multi = false
			return Item{Kind: KindReply, Offset: d.replyOff, Code: d.code, Text: d.text[:d.ntext], Multiline: true}, nil, true
		}
		return Item{}, nil, false
	}
	if len(line) == 0 {
		return Item{}, nil, false
	}
	if len(line) >= 3 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) {
		if len(line) > 3 && line[3] != ' ' && line[3] != '-' {
			return Item{}, &Error{Offset: off, Err: ErrSyntax}, true
		}
		var text []byte
		if len(line) > 4 {
			text = line[4:]
		}
		d.ntext = copy(d.text[:], text)
		if len(line) > 3 && line[3] == '-' {
			d.multi, d.code, d.replyOff = true, code(line), off
			return Item{}, nil, false
		}
		return Item{Kind: KindReply, Offset: off, Code: code(line), Text: d.text[:d.ntext]}, nil, true
	}
	// A command: a verb of letters, then a space and the argument.
	i := 0
	for i < len(line) && i < 8 && (line[i]|0x20 >= 'a' && line[i]|0x20 <= 'z') {
		i++
	}
	if i < 3 || (i < len(line) && line[i] != ' ') {
		return Item{}, &Error{Offset: off, Err: ErrSyntax}, true
	}
	it := Item{Kind: KindCommand, Offset: off, Command: line[:i]}
	var arg []byte
	if i < len(line) {
		arg = line[i+1:]
	}
	switch {
	case it.Is("USER"):
		d.nuser = copy(d.user[:], arg)
		it.Arg = arg
	case it.Is("PASS"):
		it.User = d.user[:d.nuser]
		if d.IsDefault != nil && d.nuser < len(d.user) {
			it.DefaultCredential = d.IsDefault(it.User, arg)
		}
		if d.used {
			clear(arg) // the decoder's copy of the password
		}
	case it.Is("ACCT"):
	default:
		it.Arg = arg
	}
	return it, nil, true
}

func code(line []byte) int {
	return int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
}

// Sniff reports whether data, the first payload bytes of one direction of a
// stream, begin an FTP control connection: a server's greeting ("220" and
// a space or hyphen) whose first line names FTP, as vsFTPd, ProFTPD,
// Pure-FTPd and Microsoft's FTP service do. SMTP greets with 220
// too, so a greeting that does not say FTP is left to the port. It never
// keeps data and never allocates.
func Sniff(data []byte) bool {
	if len(data) < 5 || string(data[:3]) != "220" || (data[3] != ' ' && data[3] != '-') {
		return false
	}
	line := data[4:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	for i := 0; i+3 <= len(line); i++ {
		if line[i]|0x20 == 'f' && line[i+1]|0x20 == 't' && line[i+2]|0x20 == 'p' {
			return true
		}
	}
	return false
}
