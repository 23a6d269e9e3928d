package nbns

import (
	"github.com/medtap/medtap/netproto/dnsmsg"
)

// Question is an entry of the question section.
type Question struct {
	Name   Name
	Type   Type
	Class  dnsmsg.Class
	Offset int // of the question in the message
}

// Resource is a record of the answer, authority or additional section.
// Its views are valid as long as the message's bytes are.
type Resource struct {
	Section dnsmsg.Section
	Name    Name
	Type    Type
	Class   dnsmsg.Class
	TTL     uint32
	// Data is the record data, a view into the message; DataOffset is
	// where it starts there. NB, NodeStatus and WACK decode it.
	Data       []byte
	DataOffset int
	Offset     int // of the record in the message
}

// Parser is a cursor over one message. The zero value is ready to use;
// Start begins a message and resets everything but the limit. Reusing a
// Parser never allocates; neither does parsing, except for the error
// returned by Err when the message is malformed.
type Parser struct {
	// MaxPointers caps the compression pointers one name may follow; 0
	// means dnsmsg.DefaultMaxPointers.
	MaxPointers int

	p   dnsmsg.Parser
	hdr Header
	q   Question
	r   Resource
	err error
}

// Start begins parsing msg and returns its header. It fails with
// ErrTruncated when msg is shorter than a header; Next then reports
// nothing. msg is kept (not copied) until the next Start.
func (p *Parser) Start(msg []byte) (Header, error) {
	p.p.MaxPointers = p.MaxPointers
	h, err := p.p.Start(msg)
	p.hdr = Header{ID: h.ID, Flags: Flags(h.Flags), Questions: h.Questions, Answers: h.Answers,
		Authorities: h.Authorities, Additionals: h.Additionals}
	p.q, p.r, p.err = Question{}, Resource{}, nil
	if err != nil {
		p.err = fromDNS(err)
	}
	return p.hdr, p.err
}

// Header returns the header of the message being parsed.
func (p *Parser) Header() Header { return p.hdr }

// Next advances to the next entry, a question or a record in message
// order, and reports whether there is one. It returns false at the end of
// the message or at the first malformed entry (see Err).
func (p *Parser) Next() bool {
	if p.err != nil || !p.p.Next() {
		if p.err == nil && p.p.Err() != nil {
			p.err = fromDNS(p.p.Err())
		}
		return false
	}
	if p.p.Section() == dnsmsg.SectionQuestion {
		q := p.p.Question()
		n, ok := decodeName(q.Name)
		if !ok {
			p.err = &Error{Offset: int64(q.Offset), Err: ErrName}
			return false
		}
		p.q = Question{Name: n, Type: Type(q.Type), Class: q.Class, Offset: q.Offset}
		return true
	}
	r := p.p.Resource()
	n, ok := decodeName(r.Name)
	if !ok {
		p.err = &Error{Offset: int64(r.Offset), Err: ErrName}
		return false
	}
	p.r = Resource{Section: r.Section, Name: n, Type: Type(r.Type), Class: r.Class, TTL: r.TTL,
		Data: r.Data, DataOffset: r.DataOffset, Offset: r.Offset}
	return true
}

// Section returns the section of the current entry.
func (p *Parser) Section() dnsmsg.Section { return p.p.Section() }

// Question returns the current entry when it is a question.
func (p *Parser) Question() Question { return p.q }

// Resource returns the current entry when it is a record.
func (p *Parser) Resource() Resource { return p.r }

// Err returns the error that stopped Next, or nil at the end of a
// well-formed message.
func (p *Parser) Err() error { return p.err }
