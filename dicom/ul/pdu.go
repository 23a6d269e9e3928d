package ul

import (
	"math"
	"strconv"
)

// Type is a PDU type (PS3.8 section 9.3).
type Type uint8

// The PDU types.
const (
	TypeAssociateRQ Type = 0x01
	TypeAssociateAC Type = 0x02
	TypeAssociateRJ Type = 0x03
	TypePDataTF     Type = 0x04
	TypeReleaseRQ   Type = 0x05
	TypeReleaseRP   Type = 0x06
	TypeAbort       Type = 0x07
)

var typeNames = [...]string{
	TypeAssociateRQ: "A-ASSOCIATE-RQ",
	TypeAssociateAC: "A-ASSOCIATE-AC",
	TypeAssociateRJ: "A-ASSOCIATE-RJ",
	TypePDataTF:     "P-DATA-TF",
	TypeReleaseRQ:   "A-RELEASE-RQ",
	TypeReleaseRP:   "A-RELEASE-RP",
	TypeAbort:       "A-ABORT",
}

// Valid reports whether t is one of the seven PDU types.
func (t Type) Valid() bool { return t >= TypeAssociateRQ && t <= TypeAbort }

// String returns the PDU name, such as "A-ASSOCIATE-RQ".
func (t Type) String() string {
	if t.Valid() {
		return typeNames[t]
	}
	return "PDU(0x" + strconv.FormatUint(uint64(t), 16) + ")"
}

// HeaderLen is the length of a PDU header: type, reserved byte, 32-bit length.
const HeaderLen = 6

// DefaultMaxPDULength is the default limit on the length of one PDU (the
// value of its length field).
const DefaultMaxPDULength = 16 << 20

// DefaultMaxAssociateLength is the default limit on the length of PDUs
// other than P-DATA-TF.
const DefaultMaxAssociateLength = 256 << 10

// associateFixedLen is the length of the fixed fields of an A-ASSOCIATE-RQ
// or -AC body, before its items.
const associateFixedLen = 68

// limit returns n as a uint32 limit, def when n <= 0.
func limit(n, def int) uint32 {
	if n <= 0 {
		n = def
	}
	if uint64(n) > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(n)
}

// Control is the message control header of a PDV (PS3.8 annex E.2): two
// bits.
type Control uint8

// The message control header bits.
const (
	ControlCommand Control = 0x01 // the fragment is part of a command set (else a dataset)
	ControlLast    Control = 0x02 // the fragment is the last of its command set or dataset
)

// String returns "command" or "dataset", followed by "|last" when the last
// bit is set, or a form like "Control(0x9)" when other bits are set.
func (c Control) String() string { return nameOrValue(controlNames[:], int(c), "Control", true) }

var controlNames = [...]string{
	0:                            "dataset",
	ControlLast:                  "dataset|last",
	ControlCommand:               "command",
	ControlCommand | ControlLast: "command|last",
}

// AppendPDUHeader appends a PDU header of type t announcing length bytes of
// body.
func AppendPDUHeader(dst []byte, t Type, length uint32) []byte {
	return append(dst, byte(t), 0, byte(length>>24), byte(length>>16), byte(length>>8), byte(length))
}

func be16(b []byte) uint16 { _ = b[1]; return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// pduHeader splits the PDU header that b begins with (HeaderLen bytes):
// type, reserved byte, length of the body.
func pduHeader(b []byte) (t Type, reserved uint8, length uint32) {
	_ = b[HeaderLen-1]
	return Type(b[0]), b[1], be32(b[2:])
}

// pdvHeaderLen is the length of a PDV item header: 32-bit item length,
// presentation context ID and message control header.
const pdvHeaderLen = 6

// pdvHeader splits the PDV item header that b begins with (pdvHeaderLen
// bytes). The item length counts the context ID and the control header.
func pdvHeader(b []byte) (length uint32, ctx uint8, ctl Control) {
	_ = b[pdvHeaderLen-1]
	return be32(b), b[4], Control(b[5])
}

// resyncWindow is the most bytes a decision to resynchronise on a PDU
// header needs: an A-ASSOCIATE-RQ or -AC header, its fixed fields and the
// header of the application context item that must follow them.
const resyncWindow = HeaderLen + associateFixedLen + 4

// plausibleAt decides whether w starts with a PDU header that a decoder
// may resynchronise on, or reports that w is too short to tell (decided
// false). allow, when not 0, holds a bit 1<<t for each type t plausible in
// the state of the association. A header is plausible when its type is
// allowed, its reserved byte is zero, its length fits its type (at most
// max for P-DATA-TF, maxA for A-ASSOCIATE) and what follows it is what its
// type requires:
//
//   - P-DATA-TF: a first PDV item that fits the PDU, with an odd
//     presentation context ID and a message control header of two bits;
//   - A-ASSOCIATE-RQ and -AC: protocol version 1, reserved fields zero, AE
//     titles of printable characters (the -AC may leave them zero), then
//     an application context item of 1 to 64 bytes within the PDU;
//   - A-ASSOCIATE-RJ, A-RELEASE-RQ/RP and A-ABORT: a length of 4, reserved
//     bytes zero and, for a reject or an abort, a known result and source.
//
// Every check looks at a byte of w, so the answer for a given stream
// position does not depend on how many bytes past it are at hand: more
// bytes only turn "undecided" into an answer.
func plausibleAt(w []byte, allow uint8, max, maxA uint32) (ok, decided bool) {
	if len(w) == 0 {
		return false, false
	}
	t := Type(w[0])
	if !t.Valid() || allow != 0 && allow&(1<<t) == 0 {
		return false, true
	}
	if len(w) < 2 {
		return false, false
	}
	if w[1] != 0 {
		return false, true
	}
	if len(w) < HeaderLen {
		return false, false
	}
	n := be32(w[2:])
	if !lengthFits(t, n, max, maxA) {
		return false, true
	}
	switch t {
	case TypePDataTF:
		if len(w) < HeaderLen+pdvHeaderLen {
			return false, false
		}
		return plausiblePData(w, max), true
	case TypeAssociateRQ, TypeAssociateAC:
		return plausibleAssociate(t, w[HeaderLen:min(len(w), resyncWindow)], n)
	}
	if len(w) < HeaderLen+4 {
		return false, false
	}
	b := w[HeaderLen : HeaderLen+4]
	switch t {
	case TypeAssociateRJ: // reserved, result, source, reason
		return b[0] == 0 && (b[1] == 1 || b[1] == 2) && b[2] >= 1 && b[2] <= 3, true
	case TypeAbort: // reserved, reserved, source, reason
		return b[0] == 0 && b[1] == 0 && b[2] <= 2 && b[3] <= 6, true
	}
	return be32(b) == 0, true // release: reserved
}

// lengthFits reports whether n is a plausible length for a PDU of type t:
// at most max for a P-DATA-TF, maxA for an A-ASSOCIATE-RQ or -AC with room
// for its fixed fields and an application context item, 4 for the others.
func lengthFits(t Type, n, max, maxA uint32) bool {
	switch t {
	case TypePDataTF:
		return n >= pdvHeaderLen && n <= max
	case TypeAssociateRQ, TypeAssociateAC:
		return n >= associateFixedLen+4+1 && n <= maxA
	}
	return n == 4
}

// plausibleAssociate checks the start of the body b of an A-ASSOCIATE-RQ
// or -AC of length n, as far as b goes (see plausibleAt).
func plausibleAssociate(t Type, b []byte, n uint32) (ok, decided bool) {
	// Protocol version 1 and a reserved field.
	if len(b) >= 1 && b[0] != 0 || len(b) >= 2 && b[1] != 1 || len(b) >= 4 && b[2]|b[3] != 0 {
		return false, true
	}
	// Called and calling AE titles.
	for _, c := range b[min(len(b), 4):min(len(b), 36)] {
		if (c < 0x20 || c > 0x7e) && (t == TypeAssociateRQ || c != 0) {
			return false, true
		}
	}
	// 32 reserved bytes.
	for _, c := range b[min(len(b), 36):min(len(b), associateFixedLen)] {
		if c != 0 {
			return false, true
		}
	}
	if len(b) < associateFixedLen+4 {
		return false, false
	}
	// The application context item header.
	item := b[associateFixedLen:]
	l := uint32(be16(item[2:]))
	return item[0] == 0x10 && item[1] == 0 && l >= 1 && l <= 64 && associateFixedLen+4+l <= n, true
}

// plausiblePData reports whether w, the twelve bytes of a P-DATA-TF header
// (its PDU length at most max) and its first PDV item header, could start
// a P-DATA-TF: the PDV fits the PDU, its presentation context ID is odd
// and its message control header has two bits.
func plausiblePData(w []byte, max uint32) bool {
	_ = w[HeaderLen+pdvHeaderLen-1]
	t, reserved, pdu := pduHeader(w)
	if t != TypePDataTF || reserved != 0 || pdu < pdvHeaderLen || pdu > max {
		return false
	}
	n, ctx, ctl := pdvHeader(w[HeaderLen:])
	return n >= 2 && n <= pdu-4 && ctx&1 == 1 && ctl <= ControlCommand|ControlLast
}
