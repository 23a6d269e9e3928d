package ul

import "strconv"

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

// Message control header bits of a PDV (PS3.8 annex E.2).
const (
	ControlCommand = 0x01 // the fragment is part of a command set (else a dataset)
	ControlLast    = 0x02 // the fragment is the last of its command set or dataset
)

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

// plausibleHeader reports whether h, six bytes, could start a PDU: used to
// resynchronise after an error or a gap.
func plausibleHeader(h []byte, max, maxAssociate uint32) bool {
	t := Type(h[0])
	if !t.Valid() || h[1] != 0 {
		return false
	}
	n := be32(h[2:])
	switch t {
	case TypeAssociateRJ, TypeReleaseRQ, TypeReleaseRP, TypeAbort:
		return n == 4
	case TypeAssociateRQ, TypeAssociateAC:
		return n >= 68 && n <= maxAssociate
	default: // P-DATA-TF
		return n >= 6 && n <= max
	}
}
