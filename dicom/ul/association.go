package ul

import (
	"github.com/medtap/medtap/dicom"
)

// Dir is the direction of the bytes of an association: from the requestor
// (the TCP client that sent the A-ASSOCIATE-RQ) or from the acceptor. Its
// values match flow.ClientToServer and flow.ServerToClient.
type Dir uint8

// The two directions.
const (
	FromRequestor Dir = 0
	FromAcceptor  Dir = 1
)

// EventKind says what an association [Event] reports.
type EventKind uint8

// The kinds of association events.
const (
	EventAssociateRQ EventKind = iota + 1
	EventAssociateAC
	EventAssociateRJ
	EventReleaseRQ
	EventReleaseRP
	EventAbort
	EventDIMSE
)

var eventNames = [...]string{"", "associate-rq", "associate-ac", "associate-rj", "release-rq", "release-rp", "abort", "dimse"}

// String returns the kind as used in medtap events: "associate-rq", "dimse", ...
func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "unknown"
}

// Event is one happening on an association. Associate and Message point into
// the [Association] and are valid until the next call to Next or Feed.
type Event struct {
	Kind   EventKind
	Dir    Dir
	Offset int64 // stream offset of the PDU (or of the command's first PDV) in Dir

	Associate *Associate // EventAssociateRQ, EventAssociateAC
	Reject    Reject     // EventAssociateRJ
	Abort     Abort      // EventAbort
	Message   *Message   // EventDIMSE
}

// Defaults of the [Association] limits.
const (
	DefaultMaxCommandLength = 64 << 10
	DefaultMaxDatasetHeader = 64 << 10
)

// Association follows one DICOM association from both directions of its TCP
// connection: it decodes the PDUs, remembers the negotiated presentation
// contexts and AE titles, reassembles PDV fragments into DIMSE messages and
// reports them as [Event]s.
//
// It is a passive decoder for the two streams at once: [Association.Feed],
// [Association.Gap] and [Association.Flush] take the direction their bytes
// travel in, and [Association.Next] returns the events of the direction
// fed (or flushed) last. Each direction has its own PDU [Decoder], so the
// two streams may be fed in any interleaving, each cut anywhere.
//
// Command sets are buffered whole, up to MaxCommandLength. Of a dataset only
// the first MaxDatasetHeader bytes are kept, enough for the header elements
// of a stored image or a query identifier; the rest (pixel data) is counted
// and skipped, never copied. After the first association, following another
// allocates nothing except to grow buffers within those limits and to report
// errors.
//
// The zero value is ready to use; set the limits before the first Feed
// ([Association.LimitBuffered] applies one budget to all that is buffered).
type Association struct {
	// MaxPDULength is the decoders' PDU length limit (0: DefaultMaxPDULength).
	MaxPDULength int
	// MaxAssociateLength is the decoders' limit on PDUs other than
	// P-DATA-TF, which are buffered whole (0: DefaultMaxAssociateLength).
	MaxAssociateLength int
	// MaxCommandLength bounds a command set, which is buffered whole
	// (0: DefaultMaxCommandLength). A longer one is reported with
	// ErrCommandTooLong and skipped.
	MaxCommandLength int
	// MaxDatasetHeader is the number of bytes of each dataset kept for
	// parsing its header elements (0: DefaultMaxDatasetHeader; negative:
	// none).
	MaxDatasetHeader int

	dec [2]Decoder
	cur Dir

	assoc   Associate
	ctx     [256]context
	arena   []byte // AE titles and UIDs that outlive a PDU
	calling [2]int // arena offsets of the calling and called AE titles
	called  [2]int
	impl    [2][2]int // implementation class UID of requestor and acceptor
	seenRQ  bool
	warned  [2]bool // negotiated-length violation already reported
	phase   phase
	blind   bool // PDUs may have been missed: a capture that starts inside the association, an error or a gap

	msg  [2]msgState
	p    dicom.Parser
	perr error // an error to report before decoding on
	held Item  // an item to process again after emitting an event
	hold bool

	flush [2]bool // Flush was called for the direction
}

// phase is the state of an association as its PDUs show it, which tells
// the decoders what a resynchronisation may find.
type phase uint8

const (
	phaseNone        phase = iota // no PDU seen
	phaseRequested                // A-ASSOCIATE-RQ seen
	phaseEstablished              // A-ASSOCIATE-AC seen, or P-DATA-TF or A-RELEASE-RQ
	phaseEnded                    // A-ASSOCIATE-RJ, A-RELEASE-RP or A-ABORT seen
)

// saw moves the phase on for a PDU of type t.
func (a *Association) saw(t Type) {
	switch t {
	case TypeAssociateRQ:
		a.phase = phaseRequested
	case TypeAssociateAC:
		a.phase = phaseEstablished
	case TypePDataTF, TypeReleaseRQ:
		if a.phase < phaseEstablished {
			a.phase = phaseEstablished
		}
	case TypeAssociateRJ, TypeReleaseRP, TypeAbort:
		a.phase = phaseEnded
	}
}

// allow returns the PDU types plausible from dir in the current phase,
// as a mask for [Decoder.allow]: an A-ASSOCIATE-RQ only from the requestor
// before anything else, an A-ASSOCIATE-AC or -RJ only from the acceptor
// after a request, P-DATA-TF and A-RELEASE only in an established
// association (or one whose start may have been missed), A-ABORT at any
// time.
func (a *Association) allow(dir Dir) uint8 {
	m := uint8(1) << TypeAbort
	switch {
	case a.phase == phaseNone && dir == FromRequestor && !a.blind:
		m |= 1 << TypeAssociateRQ
	case a.phase == phaseRequested && dir == FromAcceptor:
		m |= 1<<TypeAssociateAC | 1<<TypeAssociateRJ
	}
	if a.phase == phaseEstablished || a.blind && a.phase != phaseEnded {
		m |= 1<<TypePDataTF | 1<<TypeReleaseRQ | 1<<TypeReleaseRP
	}
	return m
}

type context struct {
	abstract, ts [2]int // arena offsets
	result       ContextResult
	proposed     bool
	answered     bool
}

// msgState is the reassembly state of one direction.
type msgState struct {
	cmd       []byte
	ds        []byte
	dsLen     int64
	cmdOff    int64
	ctx       uint8
	cmdBad    bool // command set over the limit: skip to its last fragment
	inCmd     bool // command fragments seen, last not yet
	pending   bool // a parsed command waits for its dataset
	inDataset bool
	skipDS    bool // dataset without a command: skip to its last fragment
	msg       Message
}

// CallingAE returns the calling AE title of the association request, or nil.
// The view is valid until the next A-ASSOCIATE-RQ.
func (a *Association) CallingAE() []byte { return a.view(a.calling) }

// CalledAE returns the called AE title of the association request, or nil.
func (a *Association) CalledAE() []byte { return a.view(a.called) }

// ImplementationClassUID returns the implementation class UID sent from dir.
func (a *Association) ImplementationClassUID(dir Dir) []byte { return a.view(a.impl[dir&1]) }

// Context returns the abstract syntax, the accepted transfer syntax and
// whether presentation context id was accepted.
func (a *Association) Context(id uint8) (abstract, ts []byte, accepted bool) {
	c := &a.ctx[id]
	return a.view(c.abstract), a.view(c.ts), c.answered && c.result == ResultAcceptance
}

func (a *Association) view(r [2]int) []byte {
	if r[1] <= r[0] {
		return nil
	}
	return a.arena[r[0]:r[1]]
}

func (a *Association) keep(b []byte) [2]int {
	s := len(a.arena)
	a.arena = append(a.arena, b...)
	return [2]int{s, len(a.arena)}
}

// Reset makes the association ready for a new connection: it forgets
// everything about the association, keeping its limits and its buffers.
func (a *Association) Reset() {
	*a = Association{
		MaxPDULength:       a.MaxPDULength,
		MaxAssociateLength: a.MaxAssociateLength,
		MaxCommandLength:   a.MaxCommandLength,
		MaxDatasetHeader:   a.MaxDatasetHeader,
		dec:                a.dec,
		assoc:              a.assoc,
		arena:              a.arena[:0],
		msg:                a.msg,
		p:                  a.p,
	}
	for i := range a.dec {
		a.dec[i].Reset()
		a.dec[i].MaxPDULength = a.MaxPDULength
		a.msg[i].reset()
	}
}

func (s *msgState) reset() {
	*s = msgState{cmd: s.cmd[:0], ds: s.ds[:0], msg: s.msg}
}

// Feed gives the association the next bytes sent in direction dir. As with
// [Decoder.Feed], p is read in place and must stay unchanged until Next
// returns ErrNeedMore; it is not used after that. Call Next until it
// returns ErrNeedMore before feeding more, in either direction. What the
// association keeps across calls (parts of PDUs, command sets, dataset
// headers, AE titles and UIDs) it copies.
func (a *Association) Feed(dir Dir, p []byte) {
	a.cur = dir & 1
	d := &a.dec[a.cur]
	d.MaxPDULength = a.MaxPDULength
	d.MaxAssociateLength = a.MaxAssociateLength
	d.Feed(p)
}

// Gap reports that n bytes sent in dir were lost (n < 0: unknown). A DIMSE
// message being reassembled in dir is dropped unless the loss falls inside
// a dataset's skipped body.
func (a *Association) Gap(dir Dir, n int) {
	dir &= 1
	a.dec[dir].Gap(n)
	if a.dec[dir].st == stResync {
		a.blind = true
	}
	s := &a.msg[dir]
	if a.dec[dir].st == stPDVData && s.inDataset && n >= 0 && int64(len(s.ds)) >= int64(a.headerBudget()) {
		s.dsLen += int64(n)
		return
	}
	s.reset()
}

func (a *Association) headerBudget() int {
	switch {
	case a.MaxDatasetHeader == 0:
		return DefaultMaxDatasetHeader
	case a.MaxDatasetHeader < 0:
		return 0
	}
	return a.MaxDatasetHeader
}

func (a *Association) maxCommand() int {
	if a.MaxCommandLength <= 0 {
		return DefaultMaxCommandLength
	}
	return a.MaxCommandLength
}

// Next returns the next event from the bytes fed last, ErrNeedMore when
// they are used up, or an [*Error] for malformed input (after which decoding
// goes on). After [Association.Flush] it returns the message cut short, if
// any, before ErrNeedMore.
func (a *Association) Next() (Event, error) {
	dir := a.cur
	d := &a.dec[dir]
	if err := a.perr; err != nil {
		a.perr = nil
		return Event{}, err
	}
	for {
		var it Item
		if a.hold {
			it, a.hold = a.held, false
		} else {
			var err error
			d.allow = a.allow(dir)
			it, err = d.Next()
			if err == ErrNeedMore {
				if ev, ok := a.flushed(); ok {
					return ev, nil
				}
				return Event{}, err
			}
			if err != nil {
				if it.Kind == 0 {
					a.msg[dir].reset()
					if d.st == stSkip && d.trusted {
						// A PDU the decoder skips whole after the
						// ones before it: its type is known.
						a.saw(d.pduType)
					} else {
						a.blind = true
					}
					return Event{}, err
				}
				// A P-DATA-TF longer than negotiated: report once per direction.
				if !a.warned[dir] {
					a.warned[dir] = true
					a.held, a.hold = it, true
					return Event{}, err
				}
			}
		}
		switch it.Kind {
		case KindPData:
			a.saw(TypePDataTF)
		case KindPDU:
			a.saw(it.Type)
			ev, err := a.pdu(dir, it)
			if ev.Kind != 0 || err != nil {
				return ev, err
			}
		case KindPDV:
			ev, err := a.pdv(dir, it)
			if ev.Kind != 0 || err != nil {
				return ev, err
			}
		}
	}
}

func (a *Association) pdu(dir Dir, it Item) (Event, error) {
	ev := Event{Dir: dir, Offset: it.Offset}
	switch it.Type {
	case TypeAssociateRQ, TypeAssociateAC:
		err := a.assoc.Parse(it.Type, it.Body)
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Offset += it.Offset
			}
		}
		ev.Associate = &a.assoc
		if it.Type == TypeAssociateRQ {
			ev.Kind = EventAssociateRQ
			a.request(dir)
		} else {
			ev.Kind = EventAssociateAC
			a.accept(dir)
		}
		// Report the event with what was parsed, then the error.
		a.perr = err
		return ev, nil
	case TypeAssociateRJ:
		r, err := ParseReject(it.Body)
		if err != nil {
			return Event{}, offsetBy(err, it.Offset)
		}
		ev.Kind, ev.Reject = EventAssociateRJ, r
	case TypeReleaseRQ:
		ev.Kind = EventReleaseRQ
	case TypeReleaseRP:
		ev.Kind = EventReleaseRP
	case TypeAbort:
		ab, err := ParseAbort(it.Body)
		if err != nil {
			return Event{}, offsetBy(err, it.Offset)
		}
		ev.Kind, ev.Abort = EventAbort, ab
	}
	return ev, nil
}

func offsetBy(err error, off int64) error {
	if e, ok := err.(*Error); ok {
		e.Offset += off
	}
	return err
}

// request remembers what an A-ASSOCIATE-RQ proposes.
func (a *Association) request(dir Dir) {
	r := &a.assoc
	a.arena = a.arena[:0]
	a.ctx = [256]context{}
	a.impl = [2][2]int{}
	a.seenRQ = true
	a.warned = [2]bool{}
	for i := range a.msg {
		a.msg[i].reset()
	}
	a.calling = a.keep(r.CallingAE)
	a.called = a.keep(r.CalledAE)
	a.impl[dir] = a.keep(r.UserInfo.ImplementationClassUID)
	for i := range r.Contexts {
		pc := &r.Contexts[i]
		c := &a.ctx[pc.ID]
		c.proposed = true
		c.abstract = a.keep(pc.AbstractSyntax)
		c.ts = a.keep(pc.TransferSyntax())
	}
	// The requestor receives at most its announced maximum.
	a.dec[dir^1].Negotiated = negotiated(r)
}

// accept records the answers of an A-ASSOCIATE-AC.
func (a *Association) accept(dir Dir) {
	r := &a.assoc
	a.impl[dir] = a.keep(r.UserInfo.ImplementationClassUID)
	if !a.seenRQ {
		a.calling = a.keep(r.CallingAE)
		a.called = a.keep(r.CalledAE)
	}
	for i := range r.Contexts {
		pc := &r.Contexts[i]
		c := &a.ctx[pc.ID]
		c.answered = true
		c.result = pc.Result
		if ts := pc.TransferSyntax(); len(ts) > 0 {
			c.ts = a.keep(ts)
		}
	}
	a.dec[dir^1].Negotiated = negotiated(r)
}

func negotiated(r *Associate) uint32 {
	if !r.UserInfo.HasMaxLength {
		return 0
	}
	return r.UserInfo.MaxLength
}

// pdv reassembles one PDV piece.
func (a *Association) pdv(dir Dir, it Item) (Event, error) {
	s := &a.msg[dir]
	if it.Command() {
		if s.pending || s.inDataset {
			// A new command while a dataset was expected: report the
			// message as it is and come back for this piece.
			a.held, a.hold = it, true
			return a.emit(dir), nil
		}
		if it.First && !s.inCmd {
			s.cmd = s.cmd[:0]
			s.cmdBad = false
			s.inCmd = true
			s.ctx = it.ContextID
			s.cmdOff = it.Offset
		}
		if !s.inCmd {
			// The rest of a command whose start was lost (capture
			// started late, or a gap): skip it.
			return Event{}, nil
		}
		if !s.cmdBad {
			if len(s.cmd)+len(it.Body) > a.maxCommand() {
				s.cmdBad = true
				s.cmd = s.cmd[:0]
				if it.Last && it.LastFragment() {
					s.inCmd = false
				}
				return Event{}, &Error{Offset: s.cmdOff, Err: ErrCommandTooLong}
			}
			s.cmd = append(s.cmd, it.Body...)
		}
		if !(it.Last && it.LastFragment()) {
			return Event{}, nil
		}
		s.inCmd = false
		if s.cmdBad {
			s.cmdBad = false
			return Event{}, nil
		}
		m := &s.msg
		m.reset()
		m.ContextID = s.ctx
		m.AbstractSyntax, m.TransferSyntax, _ = a.Context(s.ctx)
		if err := m.parseCommand(&a.p, s.cmd); err != nil {
			return Event{}, offsetBy(err, s.cmdOff)
		}
		if !m.HasDataset {
			return a.emit(dir), nil
		}
		s.pending = true
		s.ds = s.ds[:0]
		s.dsLen = 0
		return Event{}, nil
	}
	// Dataset fragment.
	if !s.pending && !s.inDataset {
		if it.First && !s.skipDS {
			s.skipDS = true
			if it.Last && it.LastFragment() {
				s.skipDS = false
			}
			return Event{}, &Error{Offset: it.Offset, Err: ErrFragment}
		}
		if it.Last && it.LastFragment() {
			s.skipDS = false
		}
		return Event{}, nil
	}
	s.pending = false
	s.inDataset = true
	if room := a.headerBudget() - len(s.ds); room > 0 {
		s.ds = append(s.ds, it.Body[:min(room, len(it.Body))]...)
	}
	s.dsLen += int64(len(it.Body))
	if it.Last && it.LastFragment() {
		return a.emit(dir), nil
	}
	return Event{}, nil
}

// Flush tells the association that the stream of direction dir ended (the
// connection closed or the capture stopped). Once the bytes fed are used
// up, Next returns the DIMSE message being received in dir whose dataset
// has not ended, if any, as an EventDIMSE with Incomplete and
// DatasetTruncated set, and then ErrNeedMore. Both directions may be
// flushed before calling Next: the requestor's message comes first. A PDU
// cut short by the end of the stream is
// dropped without an error ([Decoder.Flush] reports it to a caller of the
// Decoder).
func (a *Association) Flush(dir Dir) {
	a.cur = dir & 1
	a.flush[a.cur] = true
}

// flushed returns the message cut short in a flushed direction.
func (a *Association) flushed() (Event, bool) {
	for _, dir := range [2]Dir{FromRequestor, FromAcceptor} {
		if !a.flush[dir] {
			continue
		}
		a.flush[dir] = false
		s := &a.msg[dir]
		if !s.pending && !s.inDataset {
			continue
		}
		ev := a.emit(dir)
		ev.Message.DatasetTruncated = true
		ev.Message.Incomplete = true
		return ev, true
	}
	return Event{}, false
}

// LimitBuffered caps what the association buffers of one message at n
// bytes, for a caller with one memory budget per message (n <= 0 changes
// nothing). Call it after setting the other limits and before the first
// Feed:
//
//   - MaxCommandLength becomes n: a command set is buffered whole, so n is
//     its limit, above DefaultMaxCommandLength as well as below it;
//   - MaxAssociateLength and MaxDatasetHeader are lowered to n when they
//     (or their defaults) are larger, and otherwise left as they are; a
//     negative MaxDatasetHeader (keep none) stays negative.
//
// MaxPDULength is left alone: P-DATA-TF PDUs are streamed, never buffered,
// so one longer than n is still decoded.
func (a *Association) LimitBuffered(n int) {
	if n <= 0 {
		return
	}
	a.MaxCommandLength = n
	if assoc := a.MaxAssociateLength; n < assoc || assoc <= 0 && n < DefaultMaxAssociateLength {
		a.MaxAssociateLength = n
	}
	if a.MaxDatasetHeader >= 0 && n < a.headerBudget() {
		a.MaxDatasetHeader = n
	}
}

// emit finishes the message of dir and returns it as an event.
func (a *Association) emit(dir Dir) Event {
	s := &a.msg[dir]
	m := &s.msg
	if s.inDataset {
		m.DatasetLength = s.dsLen
		m.DatasetTruncated = s.dsLen > int64(len(s.ds))
		m.parseDataset(&a.p, s.ds)
	}
	s.pending, s.inDataset = false, false
	return Event{Kind: EventDIMSE, Dir: dir, Offset: s.cmdOff, Message: m}
}

// Buffered returns the bytes the association holds: both PDU decoders'
// partial PDUs, the command sets and dataset headers being reassembled, and
// the AE titles and UIDs it remembers. It counts what is held, not the
// capacity kept for reuse, so the figure does not depend on earlier use.
func (a *Association) Buffered() int {
	n := len(a.arena)
	for i := range a.dec {
		n += a.dec[i].Buffered() + len(a.msg[i].cmd) + len(a.msg[i].ds)
	}
	return n
}
