package dnsmsg

import "encoding/binary"

// Question is an entry of the question section.
type Question struct {
	Name  Name
	Type  Type
	Class Class
	// UnicastResponse is the top bit of the class: in mDNS, the "QU" bit
	// that asks for a unicast response (RFC 6762 §5.4).
	UnicastResponse bool
	Offset          int // of the question in the message
}

// Resource is a record of the answer, authority or additional section.
// Its views are valid as long as the message's bytes are.
type Resource struct {
	Section Section
	Name    Name
	Type    Type
	// Class is the record's class without the top bit; for an OPT record
	// (EDNS, RFC 6891) it is the whole field, the sender's UDP payload
	// size, and TTL holds the extended code and flags.
	Class Class
	// CacheFlush is the top bit of the class: in mDNS, the record replaces
	// what caches hold for its name, type and class (RFC 6762 §10.2).
	CacheFlush bool
	TTL        uint32
	// Data is the record data (RDATA), a view into the message; DataOffset
	// is where it starts there. The typed accessors (A, SRV, TXT, ...)
	// decode it.
	Data       []byte
	DataOffset int
	Offset     int // of the record in the message

	msg    []byte
	maxPtr int
}

// Parser is a cursor over one message. The zero value is ready to use;
// Start begins a message and resets everything but the limits. Reusing a
// Parser never allocates; neither does parsing, except for the error
// returned by Err when the message is malformed.
type Parser struct {
	// MaxPointers caps the compression pointers one name may follow; 0
	// means DefaultMaxPointers, and more than 255 means 255.
	MaxPointers int

	msg  []byte
	hdr  Header
	off  int
	sec  Section
	left int // entries still to read in sec
	q    Question
	r    Resource
	err  error
	done bool
}

// Start begins parsing msg and returns its header. It fails with
// ErrTruncated when msg is shorter than a header; Next then reports
// nothing. msg is kept (not copied) until the next Start.
func (p *Parser) Start(msg []byte) (Header, error) {
	*p = Parser{MaxPointers: p.MaxPointers, msg: msg}
	if len(msg) < HeaderLen {
		p.err = &Error{Offset: int64(len(msg)), Err: ErrTruncated}
		p.done = true
		return Header{}, p.err
	}
	p.hdr = Header{
		ID:          binary.BigEndian.Uint16(msg),
		Flags:       Flags(binary.BigEndian.Uint16(msg[2:])),
		Questions:   binary.BigEndian.Uint16(msg[4:]),
		Answers:     binary.BigEndian.Uint16(msg[6:]),
		Authorities: binary.BigEndian.Uint16(msg[8:]),
		Additionals: binary.BigEndian.Uint16(msg[10:]),
	}
	p.off = HeaderLen
	p.left = int(p.hdr.Questions)
	return p.hdr, nil
}

// Header returns the header of the message being parsed.
func (p *Parser) Header() Header { return p.hdr }

// Next advances to the next entry, a question or a record in message
// order, and reports whether there is one. It returns false at the end of
// the message or at the first malformed entry (see Err). Every call
// consumes at least one byte of the message or ends it, and the work of
// one call is bounded by the name length and pointer limits.
func (p *Parser) Next() bool {
	if p.done {
		return false
	}
	for p.left == 0 {
		if p.sec == SectionAdditional {
			p.done = true
			return false
		}
		p.sec++
		p.left = p.hdr.Count(p.sec)
	}
	p.left--
	var f fail
	if p.sec == SectionQuestion {
		p.q, p.off, f = readQuestion(p.msg, p.off, p.MaxPointers)
	} else {
		p.r, p.off, f = readResource(p.msg, p.off, p.MaxPointers)
		p.r.Section = p.sec
	}
	if f.err != nil {
		p.err = f.wrap()
		p.done = true
		return false
	}
	return true
}

// Section returns the section of the current entry.
func (p *Parser) Section() Section { return p.sec }

// Question returns the current entry when it is a question.
func (p *Parser) Question() Question { return p.q }

// Resource returns the current entry when it is a record.
func (p *Parser) Resource() Resource { return p.r }

// Offset returns the offset just past the current entry: where the next
// one starts, or where the entries end.
func (p *Parser) Offset() int { return p.off }

// Err returns the error that stopped Next, or nil at the end of a
// well-formed message (bytes after the last entry are ignored).
func (p *Parser) Err() error { return p.err }

func readQuestion(msg []byte, off, maxPtr int) (q Question, next int, f fail) {
	end, f := walkName(msg, off, maxPtr)
	if f.err != nil {
		return q, off, f
	}
	if end+4 > len(msg) {
		return q, off, fail{ErrTruncated, end}
	}
	class := binary.BigEndian.Uint16(msg[end+2:])
	q = Question{
		Name:            Name{msg, off},
		Type:            Type(binary.BigEndian.Uint16(msg[end:])),
		Class:           Class(class & 0x7FFF),
		UnicastResponse: class&0x8000 != 0,
		Offset:          off,
	}
	return q, end + 4, fail{}
}

func readResource(msg []byte, off, maxPtr int) (r Resource, next int, f fail) {
	end, f := walkName(msg, off, maxPtr)
	if f.err != nil {
		return r, off, f
	}
	if end+10 > len(msg) {
		return r, off, fail{ErrTruncated, end}
	}
	typ := Type(binary.BigEndian.Uint16(msg[end:]))
	class := binary.BigEndian.Uint16(msg[end+2:])
	n := int(binary.BigEndian.Uint16(msg[end+8:]))
	data := end + 10
	if data+n > len(msg) {
		return r, off, fail{ErrTruncated, end + 8}
	}
	r = Resource{
		Name:       Name{msg, off},
		Type:       typ,
		Class:      Class(class & 0x7FFF),
		CacheFlush: class&0x8000 != 0,
		TTL:        binary.BigEndian.Uint32(msg[end+4:]),
		Data:       msg[data : data+n : data+n],
		DataOffset: data,
		Offset:     off,
		msg:        msg,
		maxPtr:     maxPtr,
	}
	if typ == TypeOPT {
		r.Class, r.CacheFlush = Class(class), false
	}
	return r, data + n, fail{}
}
