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

// plausibleHeader reports whether h, six bytes, could start a PDU: used to
// resynchronise after an error or a gap.
func plausibleHeader(h []byte, max, maxAssociate uint32) bool {
	t, reserved, n := pduHeader(h)
	if !t.Valid() || reserved != 0 {
		return false
	}
	switch t {
	case TypeAssociateRJ, TypeReleaseRQ, TypeReleaseRP, TypeAbort:
		return n == 4
	case TypeAssociateRQ, TypeAssociateAC:
		return n >= associateFixedLen && n <= maxAssociate
	default: // P-DATA-TF
		return n >= pdvHeaderLen && n <= max
	}
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
