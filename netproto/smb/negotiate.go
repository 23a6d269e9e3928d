package smb

import (
	"bytes"
	"encoding/binary"
)

// SMB1 capabilities and security mode bits (MS-CIFS 2.2.4.52.2, MS-SMB
// 2.2.4.5.2).
const (
	Cap1Unicode          = 0x00000004
	Cap1NTSMBs           = 0x00000010
	Cap1NTStatus         = 0x00000040
	Cap1ExtendedSecurity = 0x80000000

	Mode1UserSecurity       = 0x01 // user-level rather than share-level access control
	Mode1EncryptPasswords   = 0x02 // challenge/response; without it passwords travel in clear text
	Mode1SignaturesEnabled  = 0x04
	Mode1SignaturesRequired = 0x08
)

// SMB2 capabilities and security mode bits (MS-SMB2 2.2.3, 2.2.4).
const (
	Cap2DFS               = 0x00000001
	Cap2Leasing           = 0x00000002
	Cap2LargeMTU          = 0x00000004
	Cap2MultiChannel      = 0x00000008
	Cap2PersistentHandles = 0x00000010
	Cap2DirectoryLeasing  = 0x00000020
	Cap2Encryption        = 0x00000040

	Mode2SigningEnabled  = 0x0001
	Mode2SigningRequired = 0x0002
)

// NegotiateRequest1 is an SMB1 NEGOTIATE request: the dialects the client
// offers, as strings such as "NT LM 0.12" (SMB1) and "SMB 2.002" or
// "SMB 2.???" (a client that also speaks SMB2).
type NegotiateRequest1 struct {
	b         []byte // the message
	base      int64  // its stream offset
	data, end int
}

// NegotiateRequest1 parses m as an SMB1 NEGOTIATE request.
func (m *Message) NegotiateRequest1() (NegotiateRequest1, error) {
	if err := m.check(SMB1, uint16(ComNegotiate), false); err != nil {
		return NegotiateRequest1{}, err
	}
	_, data, end, err := m.params1()
	return NegotiateRequest1{b: m.Data, base: m.Offset, data: data, end: end}, err
}

// Dialects returns an iterator over the dialect strings, in the order
// offered: a NEGOTIATE response's DialectIndex counts in it.
func (r *NegotiateRequest1) Dialects() DialectStrings {
	return DialectStrings{b: r.b, base: r.base, off: r.data, end: r.end, idx: -1}
}

// DialectStrings iterates over the dialects of an SMB1 NEGOTIATE request:
//
//	it := req.Dialects()
//	for it.Next() {
//		name := it.Value()
//	}
//	err := it.Err()
type DialectStrings struct {
	b        []byte
	base     int64
	off, end int
	idx      int
	val      []byte
	err      error
}

// Next advances to the next dialect, reporting whether there is one.
func (it *DialectStrings) Next() bool {
	if it.err != nil || it.off >= it.end {
		return false
	}
	b := it.b[it.off:it.end]
	z := bytes.IndexByte(b, 0)
	if b[0] != 0x02 || z < 0 { // BufferFormat 0x02 (dialect), then a null-terminated string
		it.err = errAt(it.base+int64(it.off), ErrBody)
		return false
	}
	it.val, it.idx = b[1:z], it.idx+1
	it.off += z + 1
	return true
}

// Value returns the current dialect string, a view into the message.
func (it *DialectStrings) Value() []byte { return it.val }

// Index returns the current dialect's position, counted from 0.
func (it *DialectStrings) Index() int { return it.idx }

// Err returns the error that stopped the iteration, or nil.
func (it *DialectStrings) Err() error { return it.err }

// NoDialect is the DialectIndex of a NEGOTIATE response that accepts none
// of the dialects offered.
const NoDialect = 0xFFFF

// NegotiateResponse1 is an SMB1 NEGOTIATE response.
type NegotiateResponse1 struct {
	// DialectIndex is the position of the chosen dialect in the request's
	// list, or NoDialect.
	DialectIndex uint16
	// WordCount tells the form of the response: 17 for NT LM 0.12, 13 for
	// the LANMAN dialects, 1 for the core ones (or none chosen).
	WordCount    uint8
	SecurityMode uint8 // Mode1* bits
	MaxMpxCount  uint16
	MaxVCs       uint16
	MaxBuffer    uint32
	Capabilities uint32 // Cap1* bits (NT LM 0.12)
	// SystemTime is the server's clock as a FILETIME, and TimeZone its
	// offset from UTC in minutes (NT LM 0.12).
	SystemTime uint64
	TimeZone   int16
	// ServerGUID and SecurityBlob are sent with extended security
	// (Cap1ExtendedSecurity); the blob is SPNEGO's mechanism list.
	ServerGUID   GUID
	SecurityBlob []byte
	// DomainName and ServerName are sent without extended security, after
	// the challenge (which is skipped).
	DomainName, ServerName String
}

// NegotiateResponse1 parses m as an SMB1 NEGOTIATE response.
func (m *Message) NegotiateResponse1() (NegotiateResponse1, error) {
	var r NegotiateResponse1
	if err := m.check(SMB1, uint16(ComNegotiate), true); err != nil {
		return r, err
	}
	w, data, end, err := m.params1()
	if err != nil {
		return r, err
	}
	r.WordCount = uint8(len(w) / 2)
	if len(w) < 2 {
		return r, m.bodyErr(header1Size)
	}
	r.DialectIndex = binary.LittleEndian.Uint16(w)
	switch r.WordCount {
	case 17:
		r.SecurityMode = w[2]
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[3:])
		r.MaxVCs = binary.LittleEndian.Uint16(w[5:])
		r.MaxBuffer = binary.LittleEndian.Uint32(w[7:])
		r.Capabilities = binary.LittleEndian.Uint32(w[19:])
		r.SystemTime = binary.LittleEndian.Uint64(w[23:])
		r.TimeZone = int16(binary.LittleEndian.Uint16(w[31:]))
		b := m.Data[data:end]
		if r.Capabilities&Cap1ExtendedSecurity != 0 {
			if len(b) < 16 {
				return r, m.bodyErr(data)
			}
			copy(r.ServerGUID[:], b)
			if len(b) > 16 {
				r.SecurityBlob = b[16:]
			}
			return r, nil
		}
		challenge := int(w[33])
		if challenge > len(b) {
			return r, m.bodyErr(data)
		}
		s := strings1{b: m.Data, off: data + challenge, end: end, unicode: m.Header1.Unicode()}
		r.DomainName = s.next(false)
		r.ServerName = s.next(false)
	case 13:
		r.SecurityMode = w[2]
		r.MaxBuffer = uint32(binary.LittleEndian.Uint16(w[4:]))
		r.MaxMpxCount = binary.LittleEndian.Uint16(w[6:])
		r.MaxVCs = binary.LittleEndian.Uint16(w[8:])
		r.TimeZone = int16(binary.LittleEndian.Uint16(w[20:]))
		challenge := int(binary.LittleEndian.Uint16(w[22:]))
		if challenge > end-data {
			return r, m.bodyErr(data)
		}
		s := strings1{b: m.Data, off: data + challenge, end: end}
		r.DomainName = s.next(false)
	}
	return r, nil
}

// NegotiateRequest2 is an SMB2 NEGOTIATE request.
type NegotiateRequest2 struct {
	SecurityMode uint16 // Mode2* bits
	Capabilities uint32 // Cap2* bits
	ClientGUID   GUID
	dialects     []byte
	contexts     Contexts
}

// NegotiateRequest2 parses m as an SMB2 NEGOTIATE request.
func (m *Message) NegotiateRequest2() (NegotiateRequest2, error) {
	var r NegotiateRequest2
	if err := m.check(SMB2, uint16(Negotiate2), false); err != nil {
		return r, err
	}
	b := m.Data
	if len(b) < header2Size+36 || binary.LittleEndian.Uint16(b[header2Size:]) != 36 {
		return r, m.bodyErr(header2Size)
	}
	n := int(binary.LittleEndian.Uint16(b[66:]))
	r.SecurityMode = binary.LittleEndian.Uint16(b[68:])
	r.Capabilities = binary.LittleEndian.Uint32(b[72:])
	copy(r.ClientGUID[:], b[76:92])
	d, ok := sub(b, header2Size+36, 2*n)
	if !ok {
		return r, m.bodyErr(66)
	}
	r.dialects = d
	r.contexts.b, r.contexts.base = b, m.Offset
	for i := range n {
		if Dialect(binary.LittleEndian.Uint16(d[2*i:])) == Dialect311 {
			r.contexts.off = int(binary.LittleEndian.Uint32(b[92:]))
			r.contexts.left = int(binary.LittleEndian.Uint16(b[96:]))
		}
	}
	return r, nil
}

// NumDialects returns the number of dialects offered.
func (r *NegotiateRequest2) NumDialects() int { return len(r.dialects) / 2 }

// Dialect returns the i-th dialect offered.
func (r *NegotiateRequest2) Dialect(i int) Dialect {
	return Dialect(binary.LittleEndian.Uint16(r.dialects[2*i:]))
}

// Contexts returns an iterator over the negotiate contexts, sent when the
// client offers SMB 3.1.1.
func (r *NegotiateRequest2) Contexts() Contexts { return r.contexts }

// NegotiateResponse2 is an SMB2 NEGOTIATE response.
type NegotiateResponse2 struct {
	SecurityMode uint16 // Mode2* bits
	Dialect      Dialect
	ServerGUID   GUID
	Capabilities uint32 // Cap2* bits
	MaxTransact  uint32
	MaxRead      uint32
	MaxWrite     uint32
	// SystemTime is the server's clock and ServerStartTime when it
	// started (often 0), as FILETIMEs.
	SystemTime, ServerStartTime uint64
	// SecurityBuffer is SPNEGO's mechanism list (NegTokenInit2).
	SecurityBuffer []byte
	contexts       Contexts
}

// NegotiateResponse2 parses m as an SMB2 NEGOTIATE response.
func (m *Message) NegotiateResponse2() (NegotiateResponse2, error) {
	var r NegotiateResponse2
	if err := m.check(SMB2, uint16(Negotiate2), true); err != nil {
		return r, err
	}
	b := m.Data
	if len(b) < header2Size+64 || binary.LittleEndian.Uint16(b[header2Size:]) != 65 {
		return r, m.bodyErr(header2Size)
	}
	r.SecurityMode = binary.LittleEndian.Uint16(b[66:])
	r.Dialect = Dialect(binary.LittleEndian.Uint16(b[68:]))
	copy(r.ServerGUID[:], b[72:88])
	r.Capabilities = binary.LittleEndian.Uint32(b[88:])
	r.MaxTransact = binary.LittleEndian.Uint32(b[92:])
	r.MaxRead = binary.LittleEndian.Uint32(b[96:])
	r.MaxWrite = binary.LittleEndian.Uint32(b[100:])
	r.SystemTime = binary.LittleEndian.Uint64(b[104:])
	r.ServerStartTime = binary.LittleEndian.Uint64(b[112:])
	sec, ok := sub(b, int(binary.LittleEndian.Uint16(b[120:])), int(binary.LittleEndian.Uint16(b[122:])))
	if !ok {
		return r, m.bodyErr(120)
	}
	if len(sec) > 0 {
		r.SecurityBuffer = sec
	}
	r.contexts.b, r.contexts.base = b, m.Offset
	if r.Dialect == Dialect311 {
		r.contexts.off = int(binary.LittleEndian.Uint32(b[124:]))
		r.contexts.left = int(binary.LittleEndian.Uint16(b[70:]))
	}
	return r, nil
}

// Contexts returns an iterator over the negotiate contexts, sent when the
// server chose SMB 3.1.1.
func (r *NegotiateResponse2) Contexts() Contexts { return r.contexts }
