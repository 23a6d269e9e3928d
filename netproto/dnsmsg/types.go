package dnsmsg

import "strconv"

// HeaderLen is the length of the fixed message header.
const HeaderLen = 12

// Header is the fixed header of a message.
type Header struct {
	ID    uint16
	Flags Flags
	// The number of entries in each section, as the header declares them.
	Questions, Answers, Authorities, Additionals uint16
}

// Count returns the number of entries the header declares in section s.
func (h Header) Count(s Section) int {
	switch s {
	case SectionQuestion:
		return int(h.Questions)
	case SectionAnswer:
		return int(h.Answers)
	case SectionAuthority:
		return int(h.Authorities)
	case SectionAdditional:
		return int(h.Additionals)
	}
	return 0
}

// Flags is the second 16-bit word of the header: QR, the opcode, the
// flag bits and the response code.
type Flags uint16

// The flag bits. In LLMNR (RFC 4795 §2.1.1) the bit of AA is C (conflict)
// and that of RD is T (tentative); TC keeps its meaning.
const (
	FlagResponse           Flags = 0x8000 // QR
	FlagAuthoritative      Flags = 0x0400 // AA
	FlagTruncated          Flags = 0x0200 // TC
	FlagRecursionDesired   Flags = 0x0100 // RD
	FlagRecursionAvailable Flags = 0x0080 // RA
	FlagAuthenticData      Flags = 0x0020 // AD
	FlagCheckingDisabled   Flags = 0x0010 // CD
	FlagConflict                 = FlagAuthoritative
	FlagTentative                = FlagRecursionDesired
)

// Response reports the QR bit: the message is a response.
func (f Flags) Response() bool { return f&FlagResponse != 0 }

// Authoritative reports the AA bit, which mDNS sets in every response.
func (f Flags) Authoritative() bool { return f&FlagAuthoritative != 0 }

// Truncated reports the TC bit. In an mDNS query it says that known
// answers follow in further packets (RFC 6762 §7.2).
func (f Flags) Truncated() bool { return f&FlagTruncated != 0 }

// Conflict reports LLMNR's C bit: in a query, the sender saw its name used
// by another host; in a response, the name is not considered unique.
func (f Flags) Conflict() bool { return f&FlagConflict != 0 }

// Tentative reports LLMNR's T bit: the responder has not yet verified that
// the name is unique.
func (f Flags) Tentative() bool { return f&FlagTentative != 0 }

// Opcode returns the opcode.
func (f Flags) Opcode() Opcode { return Opcode(f >> 11 & 0xF) }

// RCode returns the response code.
func (f Flags) RCode() RCode { return RCode(f & 0xF) }

// Opcode is the kind of a message (RFC 1035 §4.1.1, RFC 6895).
type Opcode uint8

// Opcodes.
const (
	OpcodeQuery  Opcode = 0
	OpcodeIQuery Opcode = 1
	OpcodeStatus Opcode = 2
	OpcodeNotify Opcode = 4
	OpcodeUpdate Opcode = 5
)

var opcodeNames = [...]string{
	OpcodeQuery: "QUERY", OpcodeIQuery: "IQUERY", OpcodeStatus: "STATUS", OpcodeNotify: "NOTIFY", OpcodeUpdate: "UPDATE",
}

// String returns the opcode's name ("QUERY", "UPDATE"), or "Opcode(3)".
func (o Opcode) String() string {
	if int(o) < len(opcodeNames) && opcodeNames[o] != "" {
		return opcodeNames[o]
	}
	return "Opcode(" + strconv.Itoa(int(o)) + ")"
}

// RCode is a response code (RFC 1035 §4.1.1, RFC 6895).
type RCode uint8

// Response codes.
const (
	RCodeSuccess        RCode = 0
	RCodeFormatError    RCode = 1
	RCodeServerFailure  RCode = 2
	RCodeNameError      RCode = 3
	RCodeNotImplemented RCode = 4
	RCodeRefused        RCode = 5
)

var rcodeNames = [...]string{
	RCodeSuccess: "NOERROR", RCodeFormatError: "FORMERR", RCodeServerFailure: "SERVFAIL",
	RCodeNameError: "NXDOMAIN", RCodeNotImplemented: "NOTIMP", RCodeRefused: "REFUSED",
	6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE",
}

// String returns the code's mnemonic ("NOERROR", "NXDOMAIN"), or
// "RCode(12)".
func (r RCode) String() string {
	if int(r) < len(rcodeNames) && rcodeNames[r] != "" {
		return rcodeNames[r]
	}
	return "RCode(" + strconv.Itoa(int(r)) + ")"
}

// Type is a record type, or a question's type (QTYPE).
type Type uint16

// Record types.
const (
	TypeA     Type = 1
	TypeNS    Type = 2
	TypeCNAME Type = 5
	TypeSOA   Type = 6
	TypeNULL  Type = 10
	TypePTR   Type = 12
	TypeHINFO Type = 13
	TypeMX    Type = 15
	TypeTXT   Type = 16
	TypeAAAA  Type = 28
	TypeSRV   Type = 33
	TypeNAPTR Type = 35
	TypeDNAME Type = 39
	TypeOPT   Type = 41
	TypeRRSIG Type = 46
	TypeNSEC  Type = 47
	TypeSVCB  Type = 64
	TypeHTTPS Type = 65
	TypeANY   Type = 255
)

var typeNames = map[Type]string{
	TypeA: "A", TypeNS: "NS", TypeCNAME: "CNAME", TypeSOA: "SOA", TypeNULL: "NULL", TypePTR: "PTR",
	TypeHINFO: "HINFO", TypeMX: "MX", TypeTXT: "TXT", TypeAAAA: "AAAA", TypeSRV: "SRV", TypeNAPTR: "NAPTR",
	TypeDNAME: "DNAME", TypeOPT: "OPT", TypeRRSIG: "RRSIG", TypeNSEC: "NSEC", TypeSVCB: "SVCB",
	TypeHTTPS: "HTTPS", TypeANY: "ANY",
}

// String returns the type's mnemonic ("A", "SRV"), or for a type without
// one the form RFC 3597 gives unknown types in presentation format,
// "TYPE65280", which dig and zone files read back.
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// Class is a record's or a question's class, without the top bit (see
// [Question.UnicastResponse] and [Resource.CacheFlush]).
type Class uint16

// Classes.
const (
	ClassIN   Class = 1
	ClassCH   Class = 3
	ClassHS   Class = 4
	ClassNONE Class = 254
	ClassANY  Class = 255
)

// String returns the class's mnemonic ("IN"), or "CLASS7" as RFC 3597
// writes unknown classes.
func (c Class) String() string {
	switch c {
	case ClassIN:
		return "IN"
	case ClassCH:
		return "CH"
	case ClassHS:
		return "HS"
	case ClassNONE:
		return "NONE"
	case ClassANY:
		return "ANY"
	}
	return "CLASS" + strconv.Itoa(int(c))
}

// Section is a part of a message.
type Section uint8

// Sections, in message order.
const (
	SectionQuestion Section = iota
	SectionAnswer
	SectionAuthority
	SectionAdditional
)

var sectionNames = [...]string{"question", "answer", "authority", "additional"}

// String returns "question", "answer", "authority" or "additional".
func (s Section) String() string {
	if int(s) < len(sectionNames) {
		return sectionNames[s]
	}
	return "Section(" + strconv.Itoa(int(s)) + ")"
}

// AppendTo appends t as String returns it, without allocating.
func (t Type) AppendTo(dst []byte) []byte {
	if s, ok := typeNames[t]; ok {
		return append(dst, s...)
	}
	return strconv.AppendUint(append(dst, "TYPE"...), uint64(t), 10)
}
