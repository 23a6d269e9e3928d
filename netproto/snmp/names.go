package snmp

import "strconv"

// Version is the msgVersion of a message.
type Version int64

// The versions of SNMP messages.
const (
	V1  Version = 0
	V2c Version = 1
	V3  Version = 3
)

func (v Version) String() string {
	switch v {
	case V1:
		return "v1"
	case V2c:
		return "v2c"
	case V3:
		return "v3"
	}
	return "Version(" + strconv.FormatInt(int64(v), 10) + ")"
}

// PDUType is the BER tag of a PDU.
type PDUType uint8

// The PDU types of SNMPv1 (RFC 1157) and SNMPv2 (RFC 3416).
const (
	GetRequest     PDUType = 0xa0
	GetNextRequest PDUType = 0xa1
	Response       PDUType = 0xa2 // GetResponse in SNMPv1
	SetRequest     PDUType = 0xa3
	TrapV1         PDUType = 0xa4 // SNMPv1 Trap-PDU
	GetBulkRequest PDUType = 0xa5
	InformRequest  PDUType = 0xa6
	TrapV2         PDUType = 0xa7 // SNMPv2-Trap-PDU
	Report         PDUType = 0xa8
)

var pduNames = [...]string{"get-request", "get-next-request", "response", "set-request", "trap",
	"get-bulk-request", "inform-request", "snmpv2-trap", "report"}

// String returns the PDU's ASN.1 name in lower case with hyphens:
// "get-request", "get-next-request", "response", "set-request", "trap"
// (SNMPv1), "get-bulk-request", "inform-request", "snmpv2-trap", "report".
func (t PDUType) String() string {
	if t >= GetRequest && t <= Report {
		return pduNames[t-GetRequest]
	}
	return "PDUType(0x" + strconv.FormatUint(uint64(t), 16) + ")"
}

// ErrorStatus is the error-status of a PDU (RFC 3416 section 3).
type ErrorStatus int64

// Error statuses.
const (
	NoError             ErrorStatus = 0
	TooBig              ErrorStatus = 1
	NoSuchName          ErrorStatus = 2
	BadValue            ErrorStatus = 3
	ReadOnly            ErrorStatus = 4
	GenErr              ErrorStatus = 5
	NoAccess            ErrorStatus = 6
	WrongType           ErrorStatus = 7
	WrongLength         ErrorStatus = 8
	WrongEncoding       ErrorStatus = 9
	WrongValue          ErrorStatus = 10
	NoCreation          ErrorStatus = 11
	InconsistentValue   ErrorStatus = 12
	ResourceUnavailable ErrorStatus = 13
	CommitFailed        ErrorStatus = 14
	UndoFailed          ErrorStatus = 15
	AuthorizationError  ErrorStatus = 16
	NotWritable         ErrorStatus = 17
	InconsistentName    ErrorStatus = 18
)

var errorStatusNames = [...]string{"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
	"noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
	"resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable", "inconsistentName"}

// String returns the ASN.1 name ("noSuchName"), or "ErrorStatus(n)".
func (s ErrorStatus) String() string {
	if s >= 0 && int(s) < len(errorStatusNames) {
		return errorStatusNames[s]
	}
	return "ErrorStatus(" + strconv.FormatInt(int64(s), 10) + ")"
}

// GenericTrap is the generic-trap field of an SNMPv1 trap.
type GenericTrap int64

var genericTrapNames = [...]string{"coldStart", "warmStart", "linkDown", "linkUp", "authenticationFailure",
	"egpNeighborLoss", "enterpriseSpecific"}

// String returns the ASN.1 name ("linkDown"), or "GenericTrap(n)".
func (g GenericTrap) String() string {
	if g >= 0 && int(g) < len(genericTrapNames) {
		return genericTrapNames[g]
	}
	return "GenericTrap(" + strconv.FormatInt(int64(g), 10) + ")"
}

// SecurityModel is the msgSecurityModel of an SNMPv3 message.
type SecurityModel int64

// USM is the User-based Security Model (RFC 3414), the one in use.
const USM SecurityModel = 3

func (m SecurityModel) String() string {
	switch m {
	case 1:
		return "v1"
	case 2:
		return "v2c"
	case USM:
		return "usm"
	case 4:
		return "tsm"
	}
	return "SecurityModel(" + strconv.FormatInt(int64(m), 10) + ")"
}
