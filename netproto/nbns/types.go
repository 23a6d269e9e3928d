package nbns

import "strconv"

// Header is the fixed header of a message.
type Header struct {
	ID    uint16 // NAME_TRN_ID
	Flags Flags
	// The number of entries in each section, as the header declares them.
	Questions, Answers, Authorities, Additionals uint16
}

// Flags is the second 16-bit word of the header: R, the opcode, NM_FLAGS
// and the response code (RFC 1002 §4.2.1.1).
type Flags uint16

// The NM_FLAGS bits.
const (
	FlagResponse           Flags = 0x8000 // R
	FlagAuthoritative      Flags = 0x0400 // AA
	FlagTruncated          Flags = 0x0200 // TC
	FlagRecursionDesired   Flags = 0x0100 // RD
	FlagRecursionAvailable Flags = 0x0080 // RA
	FlagBroadcast          Flags = 0x0010 // B
)

// Response reports the R bit: the message is a response.
func (f Flags) Response() bool { return f&FlagResponse != 0 }

// Authoritative reports the AA bit.
func (f Flags) Authoritative() bool { return f&FlagAuthoritative != 0 }

// Truncated reports the TC bit.
func (f Flags) Truncated() bool { return f&FlagTruncated != 0 }

// RecursionDesired reports the RD bit: the request is for a NetBIOS name
// server (WINS) rather than the other hosts of the link.
func (f Flags) RecursionDesired() bool { return f&FlagRecursionDesired != 0 }

// RecursionAvailable reports the RA bit.
func (f Flags) RecursionAvailable() bool { return f&FlagRecursionAvailable != 0 }

// Broadcast reports the B bit: the message was broadcast.
func (f Flags) Broadcast() bool { return f&FlagBroadcast != 0 }

// Opcode returns the opcode.
func (f Flags) Opcode() Opcode { return Opcode(f >> 11 & 0xF) }

// RCode returns the response code.
func (f Flags) RCode() RCode { return RCode(f & 0xF) }

// Opcode is what a message does (RFC 1002 §4.2.1.1).
type Opcode uint8

// Opcodes. Refresh is 8 in RFC 1002 and 9 in what Windows sends (an
// erratum of the RFC); both are OpRefresh to String.
const (
	OpQuery                  Opcode = 0
	OpRegistration           Opcode = 5
	OpRelease                Opcode = 6
	OpWACK                   Opcode = 7
	OpRefresh                Opcode = 8
	OpRefreshAlt             Opcode = 9
	OpMultihomedRegistration Opcode = 15
)

// String returns "query", "registration", "release", "wack", "refresh",
// "multihomed-registration", or "Opcode(3)".
func (o Opcode) String() string {
	switch o {
	case OpQuery:
		return "query"
	case OpRegistration:
		return "registration"
	case OpRelease:
		return "release"
	case OpWACK:
		return "wack"
	case OpRefresh, OpRefreshAlt:
		return "refresh"
	case OpMultihomedRegistration:
		return "multihomed-registration"
	}
	return "Opcode(" + strconv.Itoa(int(o)) + ")"
}

// RCode is a response code (RFC 1002 §4.2.6 and following).
type RCode uint8

// Response codes.
const (
	RCodeSuccess        RCode = 0
	RCodeFormatError    RCode = 1 // FMT_ERR
	RCodeServerFailure  RCode = 2 // SRV_ERR
	RCodeNameError      RCode = 3 // NAM_ERR: the name does not exist
	RCodeNotImplemented RCode = 4 // IMP_ERR
	RCodeRefused        RCode = 5 // RFS_ERR
	RCodeActive         RCode = 6 // ACT_ERR: the name is owned by another node
	RCodeConflict       RCode = 7 // CFT_ERR: the name is in conflict
)

var rcodeNames = [...]string{"success", "format-error", "server-failure", "name-error", "not-implemented",
	"refused", "active", "conflict"}

// String returns the code in lower-case words ("name-error", "active"), or
// "RCode(9)".
func (r RCode) String() string {
	if int(r) < len(rcodeNames) {
		return rcodeNames[r]
	}
	return "RCode(" + strconv.Itoa(int(r)) + ")"
}

// Type is a record or question type.
type Type uint16

// Types (RFC 1002 §4.2.1.2, §4.2.1.3).
const (
	TypeA      Type = 0x0001
	TypeNS     Type = 0x0002
	TypeNULL   Type = 0x000A
	TypeNB     Type = 0x0020 // general name service record: the addresses of a name
	TypeNBSTAT Type = 0x0021 // node status: a node's name table
)

// String returns "NB", "NBSTAT", "A", "NS", "NULL", or "Type(0x0005)".
func (t Type) String() string {
	switch t {
	case TypeA:
		return "A"
	case TypeNS:
		return "NS"
	case TypeNULL:
		return "NULL"
	case TypeNB:
		return "NB"
	case TypeNBSTAT:
		return "NBSTAT"
	}
	return "Type(0x" + hex4(uint16(t)) + ")"
}

func hex4(v uint16) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>12], digits[v>>8&0xF], digits[v>>4&0xF], digits[v&0xF]})
}

// NodeType is the owner node type (ONT) of a name: how the node resolves
// names (RFC 1001 §10, and "hybrid" of RFC 1002's successors).
type NodeType uint8

// Node types.
const (
	NodeB NodeType = 0 // broadcast
	NodeP NodeType = 1 // point-to-point: asks a name server
	NodeM NodeType = 2 // mixed: broadcast, then the name server
	NodeH NodeType = 3 // hybrid: the name server, then broadcast
)

// String returns "B", "P", "M" or "H".
func (t NodeType) String() string { return string("BPMH"[t&3]) }

// NBFlags are the flags of an address in NB record data.
type NBFlags uint16

// Group reports the G bit: the name is a group name, not a unique one.
func (f NBFlags) Group() bool { return f&0x8000 != 0 }

// NodeType returns the owner node type.
func (f NBFlags) NodeType() NodeType { return NodeType(f >> 13 & 3) }

// NameFlags are the flags of a name in a node status name table.
type NameFlags uint16

// Group reports the G bit: the name is a group name.
func (f NameFlags) Group() bool { return f&0x8000 != 0 }

// NodeType returns the owner node type.
func (f NameFlags) NodeType() NodeType { return NodeType(f >> 13 & 3) }

// Deregistering reports the DRG bit: the name is being released.
func (f NameFlags) Deregistering() bool { return f&0x1000 != 0 }

// Conflict reports the CNF bit: the name is in conflict.
func (f NameFlags) Conflict() bool { return f&0x0800 != 0 }

// Active reports the ACT bit: the name is active (always set).
func (f NameFlags) Active() bool { return f&0x0400 != 0 }

// Permanent reports the PRM bit: the permanent node name.
func (f NameFlags) Permanent() bool { return f&0x0200 != 0 }
