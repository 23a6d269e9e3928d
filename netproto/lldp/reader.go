package lldp

// TLVType is the 7-bit type of an LLDP TLV.
type TLVType uint8

// The TLV types of IEEE 802.1AB.
const (
	TypeEnd                TLVType = 0
	TypeChassisID          TLVType = 1
	TypePortID             TLVType = 2
	TypeTTL                TLVType = 3
	TypePortDescription    TLVType = 4
	TypeSystemName         TLVType = 5
	TypeSystemDescription  TLVType = 6
	TypeSystemCapabilities TLVType = 7
	TypeManagementAddress  TLVType = 8
	TypeOrgSpecific        TLVType = 127
)

// TLV is one type-length-value of an LLDPDU. Value is a view into the
// LLDPDU.
type TLV struct {
	Type   TLVType
	Value  []byte
	Offset int // of the two-byte header in the LLDPDU
}

// Reader is a cursor over the TLVs of one LLDPDU (the payload of an
// EtherType 0x88cc frame):
//
//	var r lldp.Reader
//	r.Reset(payload)
//	for r.Next() {
//		tlv := r.TLV()
//		...
//	}
//	err := r.Err()
//
// Iteration stops after the End of LLDPDU TLV (which it does not yield), at
// the end of the data, or at a TLV that runs past it (Err returns an
// [*Error] wrapping [ErrTruncated]). Bytes after the End TLV (Ethernet
// padding) are ignored. The zero value is ready for Reset; a Reader
// allocates nothing.
type Reader struct {
	data []byte
	off  int
	tlv  TLV
	err  error
	done bool
}

// Reset starts reading data.
func (r *Reader) Reset(data []byte) { *r = Reader{data: data} }

// Next advances to the next TLV and reports whether there is one.
func (r *Reader) Next() bool {
	if r.done {
		return false
	}
	rest := r.data[r.off:]
	if len(rest) == 0 {
		r.done = true
		return false
	}
	if len(rest) < 2 {
		r.err, r.done = errAt(r.off, ErrTruncated), true
		return false
	}
	typ := TLVType(rest[0] >> 1)
	n := int(rest[0]&1)<<8 | int(rest[1])
	if typ == TypeEnd {
		r.done = true
		return false
	}
	if n > len(rest)-2 {
		r.err, r.done = errAt(r.off, ErrTruncated), true
		return false
	}
	r.tlv = TLV{Type: typ, Value: rest[2 : 2+n : 2+n], Offset: r.off}
	r.off += 2 + n
	return true
}

// TLV returns the current TLV.
func (r *Reader) TLV() TLV { return r.tlv }

// Err returns the error that stopped iteration, or nil.
func (r *Reader) Err() error { return r.err }

// Sniff reports whether data begins an LLDPDU: a chassis id TLV of a valid
// length and subtype. It does not allocate.
func Sniff(data []byte) bool {
	if len(data) < 4 || data[0]>>1 != byte(TypeChassisID) {
		return false
	}
	n := int(data[0]&1)<<8 | int(data[1])
	return n >= 2 && n <= 256 && n <= len(data)-2 && data[2] >= 1 && data[2] <= 7
}
