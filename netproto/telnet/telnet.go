// Package telnet is a passive decoder of Telnet (RFC 854): a [Decoder] per
// direction removes the option negotiation (IAC sequences) from the stream
// and returns the data and the commands, and a [Login] follows both
// directions' data to find logins: the server's "login:" and "Password:"
// prompts, the lines the client types (one character per segment or a line
// at once, with its edits), and the server's answer.
//
// The password the client types is kept only until its line ends, compared
// through [Login.IsDefault] with the user name, and erased. Everything is
// bounded; decoding allocates nothing (errors aside).
package telnet

import (
	"bytes"
	"errors"
	"strconv"
)

// Telnet command bytes (RFC 854).
const (
	SE   byte = 240 // end of subnegotiation
	SB   byte = 250 // subnegotiation begins
	WILL byte = 251
	WONT byte = 252
	DO   byte = 253
	DONT byte = 254
	IAC  byte = 255 // interpret as command
)

// DefaultMaxSubnegotiation is the default limit of one subnegotiation.
const DefaultMaxSubnegotiation = 512

// Sentinel errors, wrapped in an [*Error] with the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input is consumed.
	ErrNeedMore = errors.New("telnet: need more input")
	// ErrSubnegotiation reports a subnegotiation longer than
	// [Decoder.MaxSubnegotiation] (or cut short by the end of the stream);
	// it is skipped.
	ErrSubnegotiation = errors.New("telnet: subnegotiation too long")
)

// Error is the error type of this package: a sentinel and the stream offset
// of the sequence it is about.
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
	KindData        Kind = iota + 1 // bytes of data, IAC sequences removed
	KindNegotiation                 // WILL, WONT, DO or DONT and an option
	KindCommand                     // another command (IP, AYT, GA, ...)
	KindSubneg                      // a subnegotiation: its option (Option), whose data is not returned
)

var kindNames = [...]string{"", "data", "negotiation", "command", "subnegotiation"}

// String returns the kind's name or a form like "Kind(9)".
func (k Kind) String() string {
	if k != 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Item is one piece of a Telnet stream.
type Item struct {
	Kind    Kind
	Offset  int64
	Data    []byte // KindData: a view into the input valid until the next call
	Command byte   // KindNegotiation (WILL...DONT) and KindCommand
	Option  byte   // KindNegotiation and KindSubneg
}

const (
	stData = iota
	stIAC
	stOption // after WILL, WONT, DO or DONT
	stSBOption
	stSB
	stSBIAC
)

// A Decoder decodes one direction of a Telnet stream: hand it bytes with
// [Decoder.Feed], take items with [Decoder.Next] until [ErrNeedMore]. Data
// items are views into the input, so a run of data cut by a Feed boundary
// comes as two items. The zero value is ready to use.
type Decoder struct {
	// MaxSubnegotiation limits a subnegotiation's data; 0 (or less) means
	// [DefaultMaxSubnegotiation].
	MaxSubnegotiation int

	in    []byte
	off   int64
	st    int
	cmd   byte
	opt   byte
	sbOff int64
	sbLen int
	skip  bool // the subnegotiation was reported too long
}

// Reset makes the decoder ready for a new stream.
func (d *Decoder) Reset() { *d = Decoder{MaxSubnegotiation: d.MaxSubnegotiation} }

// Feed gives the decoder the next bytes; call Next until [ErrNeedMore]
// before feeding more. The decoder keeps no reference to p after that.
func (d *Decoder) Feed(p []byte) { d.in = p }

// Gap tells the decoder n bytes (n < 0: unknown) were lost: it goes on in
// the data state.
func (d *Decoder) Gap(n int) {
	if n > 0 {
		d.off += int64(n)
	}
	d.in, d.st, d.skip = nil, stData, false
}

// Buffered returns 0: the decoder holds no buffer.
func (d *Decoder) Buffered() int { return 0 }

func (d *Decoder) consume(n int) {
	d.in = d.in[n:]
	d.off += int64(n)
}

// Next returns the next item, or [ErrNeedMore].
func (d *Decoder) Next() (Item, error) {
	for len(d.in) > 0 {
		c := d.in[0]
		switch d.st {
		case stData:
			i := bytes.IndexByte(d.in, IAC)
			if i < 0 {
				i = len(d.in)
			}
			if i > 0 {
				it := Item{Kind: KindData, Offset: d.off, Data: d.in[:i:i]}
				d.consume(i)
				return it, nil
			}
			d.consume(1)
			d.st = stIAC
		case stIAC:
			off := d.off - 1
			data := d.in[:1:1]
			d.consume(1)
			switch {
			case c == IAC: // an escaped 0xFF data byte
				d.st = stData
				return Item{Kind: KindData, Offset: off + 1, Data: data}, nil
			case c >= WILL:
				d.cmd, d.st = c, stOption
			case c == SB:
				d.st, d.sbOff, d.sbLen, d.skip = stSBOption, off, 0, false
			default:
				d.st = stData
				return Item{Kind: KindCommand, Offset: off, Command: c}, nil
			}
		case stOption:
			d.consume(1)
			d.st = stData
			return Item{Kind: KindNegotiation, Offset: d.off - 3, Command: d.cmd, Option: c}, nil
		case stSBOption:
			d.consume(1)
			d.opt, d.st = c, stSB
		case stSB:
			i := bytes.IndexByte(d.in, IAC)
			if i < 0 {
				i = len(d.in)
			}
			d.consume(i)
			d.sbLen += i
			if len(d.in) > 0 {
				d.consume(1)
				d.st = stSBIAC
			}
			if max := d.max(); d.sbLen > max && !d.skip {
				d.skip = true
				return Item{}, &Error{Offset: d.sbOff, Err: ErrSubnegotiation}
			}
		case stSBIAC:
			d.consume(1)
			if c == SE {
				d.st = stData
				if d.skip {
					continue
				}
				return Item{Kind: KindSubneg, Offset: d.sbOff, Option: d.opt}, nil
			}
			d.sbLen++ // IAC IAC inside the data, or a stray command
			d.st = stSB
		}
	}
	return Item{}, ErrNeedMore
}

func (d *Decoder) max() int {
	if d.MaxSubnegotiation > 0 {
		return d.MaxSubnegotiation
	}
	return DefaultMaxSubnegotiation
}

// Sniff reports whether data, the first payload bytes of one direction of a
// stream, begin Telnet: an option negotiation (IAC followed by WILL, WONT,
// DO or DONT), as servers and clients send first. It never keeps data and
// never allocates.
func Sniff(data []byte) bool {
	return len(data) >= 3 && data[0] == IAC && data[1] >= WILL && data[1] <= DONT
}
