package smb

import "encoding/binary"

// Header sizes.
const (
	header1Size   = 32 // SMB1 header; a message also has at least a word count and a byte count
	header2Size   = 64 // SMB2 header
	transformSize = 52 // TRANSFORM_HEADER
	compressSize  = 16 // COMPRESSION_TRANSFORM_HEADER (unchained)
	minMessage1   = header1Size + 3
)

// Header1 is the header of an SMB1 message (MS-CIFS 2.2.3.1).
type Header1 struct {
	Command Command1
	// Status is an NTSTATUS when Flags2 has SMB_FLAGS2_NT_STATUS (0x4000),
	// otherwise a DOS error class (low byte) and code (high 16 bits).
	Status Status
	Flags  uint8
	Flags2 uint16
	TID    uint16
	PID    uint32 // PIDHigh and PIDLow
	UID    uint16
	MID    uint16
}

// Response reports whether the message is a reply (SMB_FLAGS_REPLY).
func (h *Header1) Response() bool { return h.Flags&0x80 != 0 }

// Unicode reports whether strings are UTF-16LE (SMB_FLAGS2_UNICODE).
func (h *Header1) Unicode() bool { return h.Flags2&0x8000 != 0 }

// ExtendedSecurity reports whether the sender uses extended security
// (SMB_FLAGS2_EXTENDED_SECURITY): authentication by security blobs (SPNEGO,
// NTLMSSP) rather than by challenge and passwords in the NEGOTIATE and
// SESSION_SETUP_ANDX messages.
func (h *Header1) ExtendedSecurity() bool { return h.Flags2&0x0800 != 0 }

// Header2 is the header of an SMB2 message (MS-SMB2 2.2.1).
type Header2 struct {
	CreditCharge uint16
	Status       Status // in a request of SMB 3.x, the ChannelSequence and Reserved fields instead
	Command      Command2
	Credits      uint16
	Flags        uint32
	NextCommand  uint32 // offset of the next message of a compound chain from this one, 0 for the last
	MessageID    uint64
	AsyncID      uint64 // when Async
	TreeID       uint32 // when not Async
	SessionID    uint64
}

// SMB2 header flags.
const (
	Flag2Response = 0x00000001 // SMB2_FLAGS_SERVER_TO_REDIR
	Flag2Async    = 0x00000002
	Flag2Related  = 0x00000004 // a related operation of a compound chain
	Flag2Signed   = 0x00000008
)

// Response reports whether the message is a response.
func (h *Header2) Response() bool { return h.Flags&Flag2Response != 0 }

// Async reports whether the message has an AsyncID rather than a TreeID.
func (h *Header2) Async() bool { return h.Flags&Flag2Async != 0 }

// Signed reports whether the message is signed.
func (h *Header2) Signed() bool { return h.Flags&Flag2Signed != 0 }

// Message is one SMB1 or SMB2 message. Its views are valid until the next
// call of [Decoder.Next] or [Decoder.Feed] (for [ParseMessage], as long as
// the bytes given to it).
type Message struct {
	Protocol Protocol // SMB1 or SMB2
	// Offset is the stream offset of the message's first byte.
	Offset int64
	// Data is the message, header and body: whole unless Truncated.
	Data []byte
	// Length is the message's length in the stream.
	Length int
	// Truncated is set when Data holds only the first bytes of the
	// message: a READ response's or WRITE request's file data, or any
	// message longer than the decoder's MaxMessage, is skipped.
	Truncated bool
	// Compound is the position of the message in its frame: 0 for the
	// first (or only) one, then 1, 2, ... along an SMB2 compound chain.
	Compound int
	// Header1 is the header of an SMB1 message, Header2 that of an SMB2
	// message; the other is zero.
	Header1 Header1
	Header2 Header2
}

// Response reports whether the message is a response (a reply).
func (m *Message) Response() bool {
	if m.Protocol == SMB1 {
		return m.Header1.Response()
	}
	return m.Header2.Response()
}

// Status returns the status of the message's header.
func (m *Message) Status() Status {
	if m.Protocol == SMB1 {
		return m.Header1.Status
	}
	return m.Header2.Status
}

// ParseMessage parses one SMB1 or SMB2 message held in b (without its
// 4-byte transport header; for an SMB2 compound, the first message, which
// extends to NextCommand or to the end of b). It does not allocate.
func ParseMessage(b []byte) (Message, error) {
	m, err := parseHeader(b, 0)
	if err != nil {
		return m, err
	}
	if n := m.Header2.NextCommand; n != 0 {
		if !validNext(n, len(b)) {
			return m, errAt(20, ErrHeader)
		}
		b = b[:n]
	}
	m.Data, m.Length = b, len(b)
	return m, nil
}

// parseHeader parses the header at the start of b, at stream offset off;
// b holds at least the first bytes of the message (all of it for SMB2's
// NextCommand check).
func parseHeader(b []byte, off int64) (Message, error) {
	m := Message{Offset: off}
	if len(b) < 4 || b[1] != 'S' || b[2] != 'M' || b[3] != 'B' {
		return m, errAt(off, ErrNotSMB)
	}
	m.Protocol = Protocol(b[0])
	switch m.Protocol {
	case SMB1:
		if len(b) < minMessage1 {
			return m, errAt(off, ErrHeader)
		}
		m.Header1 = Header1{
			Command: Command1(b[4]),
			Status:  Status(binary.LittleEndian.Uint32(b[5:])),
			Flags:   b[9],
			Flags2:  binary.LittleEndian.Uint16(b[10:]),
			PID:     uint32(binary.LittleEndian.Uint16(b[12:]))<<16 | uint32(binary.LittleEndian.Uint16(b[26:])),
			TID:     binary.LittleEndian.Uint16(b[24:]),
			UID:     binary.LittleEndian.Uint16(b[28:]),
			MID:     binary.LittleEndian.Uint16(b[30:]),
		}
	case SMB2:
		if len(b) < header2Size || binary.LittleEndian.Uint16(b[4:]) != header2Size {
			return m, errAt(off, ErrHeader)
		}
		h := &m.Header2
		h.CreditCharge = binary.LittleEndian.Uint16(b[6:])
		h.Status = Status(binary.LittleEndian.Uint32(b[8:]))
		h.Command = Command2(binary.LittleEndian.Uint16(b[12:]))
		h.Credits = binary.LittleEndian.Uint16(b[14:])
		h.Flags = binary.LittleEndian.Uint32(b[16:])
		h.NextCommand = binary.LittleEndian.Uint32(b[20:])
		h.MessageID = binary.LittleEndian.Uint64(b[24:])
		if h.Async() {
			h.AsyncID = binary.LittleEndian.Uint64(b[32:])
		} else {
			h.TreeID = binary.LittleEndian.Uint32(b[36:])
		}
		h.SessionID = binary.LittleEndian.Uint64(b[40:])
	default:
		return m, errAt(off, ErrNotSMB)
	}
	return m, nil
}

// validNext reports whether an SMB2 NextCommand points at a header that
// can lie within the left bytes of the frame.
func validNext(n uint32, left int) bool {
	return n >= header2Size && uint64(n)+header2Size <= uint64(left)
}

// streamed reports whether the file data of a message with this header is
// passed over rather than buffered: READ responses and WRITE requests.
func streamed(b []byte) bool {
	switch Protocol(b[0]) {
	case SMB1:
		resp := b[9]&0x80 != 0
		switch Command1(b[4]) {
		case ComReadAndX, ComRead:
			return resp
		case ComWriteAndX, ComWrite:
			return !resp
		}
	case SMB2:
		resp := binary.LittleEndian.Uint32(b[16:])&Flag2Response != 0
		switch Command2(binary.LittleEndian.Uint16(b[12:])) {
		case Read2:
			return resp
		case Write2:
			return !resp
		}
	}
	return false
}

// TransformHeader describes an SMB 3 encrypted message (TRANSFORM_HEADER)
// or an SMB 3.1.1 compressed one (COMPRESSION_TRANSFORM_HEADER), whose
// content the decoder skips.
type TransformHeader struct {
	Protocol Protocol // Transform or Compressed
	// OriginalSize is the size of the message before encryption or
	// compression.
	OriginalSize uint32
	// SessionID is the session of an encrypted message.
	SessionID uint64
	// Algorithm is the compression algorithm (MS-SMB2 2.2.42): 0 none,
	// 1 LZNT1, 2 LZ77, 3 LZ77+Huffman, 4 Pattern_V1, 5 LZ4.
	Algorithm uint16
	// Length is the length of the whole message in the stream.
	Length int
}

func parseTransform(b []byte, length int) TransformHeader {
	t := TransformHeader{Protocol: Protocol(b[0]), Length: length}
	if t.Protocol == Transform {
		t.OriginalSize = binary.LittleEndian.Uint32(b[36:])
		t.SessionID = binary.LittleEndian.Uint64(b[44:])
	} else {
		t.OriginalSize = binary.LittleEndian.Uint32(b[4:])
		t.Algorithm = binary.LittleEndian.Uint16(b[8:])
	}
	return t
}
