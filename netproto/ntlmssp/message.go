package ntlmssp

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// Signature begins every NTLMSSP message.
const Signature = "NTLMSSP\x00"

// MessageType is the MessageType field of a message.
type MessageType uint32

// The message types of MS-NLMP 2.2.1.
const (
	TypeNegotiate    MessageType = 1 // client to server: what the client supports
	TypeChallenge    MessageType = 2 // server to client: the challenge and the server's names
	TypeAuthenticate MessageType = 3 // client to server: who logs on, and the responses
)

// String returns "NEGOTIATE", "CHALLENGE" or "AUTHENTICATE", or a form like
// "MessageType(9)" for another value.
func (t MessageType) String() string {
	switch t {
	case TypeNegotiate:
		return "NEGOTIATE"
	case TypeChallenge:
		return "CHALLENGE"
	case TypeAuthenticate:
		return "AUTHENTICATE"
	}
	return "MessageType(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// Flags are the NegotiateFlags of a message (MS-NLMP 2.2.2.5).
type Flags uint32

// The negotiate flags, named as in MS-NLMP without their NTLMSSP_NEGOTIATE_
// prefix.
const (
	FlagUnicode                 Flags = 0x00000001 // strings are UTF-16LE
	FlagOEM                     Flags = 0x00000002 // strings are in the OEM code page
	FlagRequestTarget           Flags = 0x00000004 // the server must send its target name
	FlagSign                    Flags = 0x00000010
	FlagSeal                    Flags = 0x00000020
	FlagDatagram                Flags = 0x00000040
	FlagLMKey                   Flags = 0x00000080
	FlagNTLM                    Flags = 0x00000200
	FlagAnonymous               Flags = 0x00000800
	FlagOEMDomainSupplied       Flags = 0x00001000
	FlagOEMWorkstationSupplied  Flags = 0x00002000
	FlagAlwaysSign              Flags = 0x00008000
	FlagTargetTypeDomain        Flags = 0x00010000
	FlagTargetTypeServer        Flags = 0x00020000
	FlagExtendedSessionSecurity Flags = 0x00080000
	FlagIdentify                Flags = 0x00100000
	FlagRequestNonNTSessionKey  Flags = 0x00400000
	FlagTargetInfo              Flags = 0x00800000 // the CHALLENGE carries target information (AV pairs)
	FlagVersion                 Flags = 0x02000000 // the message carries a Version
	Flag128                     Flags = 0x20000000
	FlagKeyExchange             Flags = 0x40000000
	Flag56                      Flags = 0x80000000
)

var flagNames = [32]string{
	0: "UNICODE", 1: "OEM", 2: "REQUEST_TARGET", 4: "SIGN", 5: "SEAL", 6: "DATAGRAM", 7: "LM_KEY",
	9: "NTLM", 11: "ANONYMOUS", 12: "OEM_DOMAIN_SUPPLIED", 13: "OEM_WORKSTATION_SUPPLIED",
	15: "ALWAYS_SIGN", 16: "TARGET_TYPE_DOMAIN", 17: "TARGET_TYPE_SERVER", 19: "EXTENDED_SESSIONSECURITY",
	20: "IDENTIFY", 22: "REQUEST_NON_NT_SESSION_KEY", 23: "TARGET_INFO", 25: "VERSION", 29: "128",
	30: "KEY_EXCH", 31: "56",
}

// String returns the names of the flags set, joined by "|" (an unnamed bit
// as its hexadecimal value), or "0" when none is.
func (f Flags) String() string {
	if f == 0 {
		return "0"
	}
	var b strings.Builder
	for i := range 32 {
		bit := Flags(1) << i
		if f&bit == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		if flagNames[i] != "" {
			b.WriteString(flagNames[i])
		} else {
			b.WriteString("0x" + strconv.FormatUint(uint64(bit), 16))
		}
	}
	return b.String()
}

// Response says what kind of challenge response an AUTHENTICATE carries,
// from the lengths of its LM and NT responses; the responses themselves are
// never returned.
type Response uint8

// The kinds of response.
const (
	ResponseNone      Response = iota // not an AUTHENTICATE, or lengths that fit no kind
	ResponseAnonymous                 // no user name and no NT response: an anonymous (null session) logon
	ResponseLM                        // an LM response only
	ResponseNTLMv1                    // a 24-byte NT response: NTLMv1 (or its NTLM2 session response variant)
	ResponseNTLMv2                    // a longer NT response: NTLMv2
)

var responseNames = [...]string{"", "anonymous", "lm", "ntlmv1", "ntlmv2"}

// String returns "anonymous", "lm", "ntlmv1" or "ntlmv2", "" for
// ResponseNone, or a form like "Response(9)" for another value.
func (r Response) String() string {
	if int(r) < len(responseNames) {
		return responseNames[r]
	}
	return "Response(" + strconv.Itoa(int(r)) + ")"
}

// Message is a parsed NTLMSSP message. Its byte slices are views into the
// bytes given to [Parse], valid as long as they are.
type Message struct {
	Type  MessageType
	Flags Flags
	// Version is the sender's: the server's in a CHALLENGE, the client's in
	// a NEGOTIATE or AUTHENTICATE. It is zero when the message carries
	// none (FlagVersion not set, or no room for it before the payload).
	Version Version

	// NEGOTIATE: the domain and workstation the client supplied (OEM,
	// rarely sent). AUTHENTICATE: the user's domain, user name and
	// workstation, UTF-16LE when FlagUnicode is set.
	Domain, User, Workstation String
	// CHALLENGE: the server's target name (its domain or computer name)
	// and its target information, AV pairs (see [Message.AVPairs] and
	// [Message.Target]).
	TargetName String
	TargetInfo []byte

	// Response is what kind of response an AUTHENTICATE carries.
	Response Response
}

// Sniff reports whether data begins an NTLMSSP message: the signature and
// a known message type. It never allocates.
func Sniff(data []byte) bool {
	if len(data) < 12 || string(data[:8]) != Signature {
		return false
	}
	t := MessageType(binary.LittleEndian.Uint32(data[8:]))
	return t >= TypeNegotiate && t <= TypeAuthenticate
}

// Offsets of the fixed fields (MS-NLMP 2.2.1).
const (
	negFlags, negDomain, negWorkstation, negVersion       = 12, 16, 24, 32
	chalTarget, chalFlags, chalInfo, chalVersion          = 12, 20, 40, 48
	authLM, authNT, authDomain, authUser, authWorkstation = 12, 20, 28, 36, 44
	authKey, authFlags, authVersion                       = 52, 60, 64
)

// Parse parses one NTLMSSP message held whole in b. It allocates nothing
// except to return an error.
func Parse(b []byte) (Message, error) {
	var m Message
	if len(b) < 12 || string(b[:8]) != Signature {
		return m, errAt(0, ErrSignature)
	}
	m.Type = MessageType(binary.LittleEndian.Uint32(b[8:]))
	p := fields{b: b, start: len(b), bad: -1}
	switch m.Type {
	case TypeNegotiate:
		if len(b) < negFlags+4 {
			return m, errAt(len(b), ErrTruncated)
		}
		m.Flags = Flags(binary.LittleEndian.Uint32(b[negFlags:]))
		if len(b) >= negVersion {
			m.Domain = String{Raw: p.field(negDomain)}
			m.Workstation = String{Raw: p.field(negWorkstation)}
		}
		m.Version = p.version(m.Flags, negVersion)
	case TypeChallenge:
		if len(b) < chalFlags+12 {
			return m, errAt(len(b), ErrTruncated)
		}
		m.Flags = Flags(binary.LittleEndian.Uint32(b[chalFlags:]))
		m.TargetName = String{Raw: p.field(chalTarget), Unicode: m.Flags&FlagUnicode != 0}
		if len(b) >= chalInfo+8 {
			m.TargetInfo = p.field(chalInfo)
		}
		m.Version = p.version(m.Flags, chalVersion)
	case TypeAuthenticate:
		if len(b) < authFlags+4 {
			return m, errAt(len(b), ErrTruncated)
		}
		m.Flags = Flags(binary.LittleEndian.Uint32(b[authFlags:]))
		u := m.Flags&FlagUnicode != 0
		lm, nt := p.field(authLM), p.field(authNT)
		m.Domain = String{Raw: p.field(authDomain), Unicode: u}
		m.User = String{Raw: p.field(authUser), Unicode: u}
		m.Workstation = String{Raw: p.field(authWorkstation), Unicode: u}
		p.field(authKey)
		m.Version = p.version(m.Flags, authVersion)
		m.Response = classify(len(lm), len(nt), len(m.User.Raw))
	default:
		return m, errAt(8, ErrType)
	}
	if p.bad >= 0 {
		return Message{}, errAt(p.bad, ErrField)
	}
	return m, nil
}

// fields reads the payload field descriptors of a message (length,
// maximum length, offset), remembering where the first payload begins (so
// that the Version is known to lie before it) and the first bad one.
type fields struct {
	b     []byte
	start int // lowest offset of a non-empty payload field
	bad   int // offset of the first bad descriptor, -1 when none
}

func (p *fields) field(at int) []byte {
	if p.bad >= 0 {
		return nil
	}
	n := int(binary.LittleEndian.Uint16(p.b[at:]))
	off := int(binary.LittleEndian.Uint32(p.b[at+4:]))
	if n == 0 {
		return nil
	}
	if off > len(p.b) || n > len(p.b)-off {
		p.bad = at
		return nil
	}
	p.start = min(p.start, off)
	return p.b[off : off+n]
}

func (p *fields) version(f Flags, at int) Version {
	if f&FlagVersion == 0 || at+8 > len(p.b) || at+8 > p.start {
		return Version{}
	}
	v := p.b[at:]
	return Version{Major: v[0], Minor: v[1], Build: binary.LittleEndian.Uint16(v[2:]), Revision: v[7]}
}

func classify(lm, nt, user int) Response {
	switch {
	case nt == 0 && lm <= 1 && user == 0:
		return ResponseAnonymous
	case nt == 0 && lm == 24:
		return ResponseLM
	case nt == 24:
		return ResponseNTLMv1
	case nt > 24:
		return ResponseNTLMv2
	}
	return ResponseNone
}
