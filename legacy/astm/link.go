package astm

import (
	"strconv"
	"time"
)

// The E1381 timers a passive observer can check.
const (
	// DefaultSenderTimeout is how long a sender waits for the reply (ACK,
	// NAK or EOT) to an ENQ or a frame: 15 s in E1381.
	DefaultSenderTimeout = 15 * time.Second
	// DefaultReceiverTimeout is how long a receiver waits for the next frame
	// after its reply: 30 s in E1381.
	DefaultReceiverTimeout = 30 * time.Second
)

// LinkEventKind says what a [LinkEvent] is.
type LinkEventKind uint8

// Link event kinds.
const (
	// LinkContention: both sides asked to send; an ENQ was answered by an
	// ENQ. E1381 gives the line to the instrument.
	LinkContention LinkEventKind = iota + 1
	// LinkTimeout: a side waited longer than its E1381 timer; see
	// [LinkEvent.Awaiting].
	LinkTimeout
)

var linkEventNames = [...]string{"", "contention", "timeout"}

// String returns "contention" or "timeout", or a form like
// "LinkEventKind(3)" for an unknown value.
func (k LinkEventKind) String() string {
	if k != 0 && int(k) < len(linkEventNames) {
		return linkEventNames[k]
	}
	return "LinkEventKind(" + strconv.Itoa(int(k)) + ")"
}

// Awaiting says what the side that timed out was waiting for.
type Awaiting uint8

// What a side waits for.
const (
	// AwaitingReply: the sender of an ENQ or a frame waited for the
	// receiver's reply longer than [Link.SenderTimeout].
	AwaitingReply Awaiting = iota + 1
	// AwaitingFrame: the receiver waited for the next frame, after its
	// reply, longer than [Link.ReceiverTimeout].
	AwaitingFrame
)

var awaitingNames = [...]string{"", "reply", "frame"}

// String returns "reply" or "frame", or a form like "Awaiting(3)" for an
// unknown value.
func (a Awaiting) String() string {
	if a != 0 && int(a) < len(awaitingNames) {
		return awaitingNames[a]
	}
	return "Awaiting(" + strconv.Itoa(int(a)) + ")"
}

// A LinkEvent is what one item reveals of the link. The zero value (Kind 0)
// means nothing.
type LinkEvent struct {
	Kind     LinkEventKind
	Awaiting Awaiting      // for LinkTimeout
	Waited   time.Duration // for LinkTimeout: how long the side waited
}

// A Link follows the E1381 link states of one connection from what a
// passive observer sees: the items of both directions (two [Decoder]s) and
// the times they were seen. It reports contention (an ENQ answered by an
// ENQ) and timeouts: a reply to an ENQ or a frame that came later than the
// sender's timer, and a frame that came later than the receiver's timer
// after the previous reply. The zero value is ready to use; a Link never
// allocates.
type Link struct {
	// SenderTimeout is the sender's timer; 0 (or less) means
	// [DefaultSenderTimeout].
	SenderTimeout time.Duration
	// ReceiverTimeout is the receiver's timer; 0 (or less) means
	// [DefaultReceiverTimeout].
	ReceiverTimeout time.Duration

	// Per direction of the sender.
	enqPending [2]bool      // sent ENQ, no reply yet
	waitReply  [2]time.Time // sent ENQ or a frame at this time, no reply yet
	lastReply  [2]time.Time // the other side last acknowledged this one at this time
}

// Reset forgets the state of the link, keeping the timers, for a new
// connection.
func (l *Link) Reset() { *l = Link{SenderTimeout: l.SenderTimeout, ReceiverTimeout: l.ReceiverTimeout} }

// Observe takes an item of kind k seen in direction dir (0 or 1, one per
// direction of the connection; only the lowest bit is used) at time at, and
// returns what it reveals. ENQ, ACK, NAK, EOT and frames (also those with a
// bad checksum and retransmissions) matter; other kinds are ignored. Items
// must be observed in the order they were seen, across both directions.
//
// Contention is reported on the second ENQ, and the first one is then no
// longer pending. A reply timeout is reported on the late ACK, NAK or EOT
// (an EOT from the receiver is an interrupt request and counts as a reply;
// an EOT from the side sending ends its transfer), a frame timeout on the
// late frame.
func (l *Link) Observe(dir int, k Kind, at time.Time) LinkEvent {
	d, o := dir&1, (dir&1)^1
	var ev LinkEvent
	switch k {
	case KindENQ:
		if l.enqPending[o] {
			l.enqPending[o], l.waitReply[o] = false, time.Time{}
			return LinkEvent{Kind: LinkContention}
		}
		l.enqPending[d] = true
		l.waitReply[d] = at
		l.lastReply[d] = time.Time{}
	case KindFrame:
		if t := l.lastReply[d]; !t.IsZero() && at.Sub(t) > l.receiverTimeout() {
			ev = LinkEvent{Kind: LinkTimeout, Awaiting: AwaitingFrame, Waited: at.Sub(t)}
		}
		l.waitReply[d] = at
	case KindACK, KindNAK, KindEOT:
		// A reply from d to o, unless d itself is ending its transfer.
		if k == KindEOT && l.waitReply[o].IsZero() {
			l.waitReply[d], l.lastReply[d], l.enqPending[d] = time.Time{}, time.Time{}, false
			return ev
		}
		if t := l.waitReply[o]; !t.IsZero() && at.Sub(t) > l.senderTimeout() {
			ev = LinkEvent{Kind: LinkTimeout, Awaiting: AwaitingReply, Waited: at.Sub(t)}
		}
		l.enqPending[o] = false
		l.waitReply[o] = time.Time{}
		l.lastReply[o] = at
		if k == KindEOT {
			l.lastReply[o] = time.Time{}
		}
	}
	return ev
}

func (l *Link) senderTimeout() time.Duration {
	if l.SenderTimeout > 0 {
		return l.SenderTimeout
	}
	return DefaultSenderTimeout
}

func (l *Link) receiverTimeout() time.Duration {
	if l.ReceiverTimeout > 0 {
		return l.ReceiverTimeout
	}
	return DefaultReceiverTimeout
}

// An Annotator tracks, for one direction of a stream, the record that a
// comment (C) record annotates: the last record other than a comment in the
// same transfer. ENQ and EOT (a new or ended transfer), a terminator (L)
// record and [Annotator.Reset] (call it at a gap) clear it; records of an
// unknown type leave it as it is. The zero value is ready to use; an
// Annotator never allocates.
type Annotator struct {
	typ RecordType
	seq int
}

// Observe takes the next item of the direction. For a comment record it
// returns the type and sequence number of the record the comment annotates:
// type 0 when there is none, sequence number -1 for a header or a record
// without one. For any other item it returns 0, -1.
func (a *Annotator) Observe(it Item) (annotates RecordType, seq int) {
	switch it.Kind {
	case KindENQ, KindEOT:
		a.typ = 0
	case KindRecord:
		switch t := it.Record.Type; t {
		case TypeComment:
			if a.typ == 0 {
				return 0, -1
			}
			return a.typ, a.seq
		case TypeHeader:
			a.typ, a.seq = t, -1
		case TypeTerminator:
			a.typ = 0
		case TypePatient, TypeOrder, TypeResult, TypeQuery, TypeManufacturer, TypeScientific:
			a.typ, a.seq = t, it.Record.Seq()
		}
	}
	return 0, -1
}

// Reset forgets the annotated record, as at a gap in the stream.
func (a *Annotator) Reset() { a.typ = 0 }
