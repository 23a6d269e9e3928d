package smb

import "strconv"

// Protocol is the version of an SMB message, from its protocol ID.
type Protocol uint8

// The protocol IDs: the first byte of a message, followed by "SMB".
const (
	SMB1 Protocol = 0xFF // SMB1 (CIFS): the protocol WannaCry spread over
	SMB2 Protocol = 0xFE // SMB 2.x and 3.x
	// Transform is an SMB 3 TRANSFORM_HEADER: an encrypted message.
	Transform Protocol = 0xFD
	// Compressed is an SMB 3.1.1 COMPRESSION_TRANSFORM_HEADER.
	Compressed Protocol = 0xFC
)

// String returns "SMB1", "SMB2", "transform" or "compressed", or a form
// like "Protocol(0x12)".
func (p Protocol) String() string {
	switch p {
	case SMB1:
		return "SMB1"
	case SMB2:
		return "SMB2"
	case Transform:
		return "transform"
	case Compressed:
		return "compressed"
	}
	return "Protocol(0x" + strconv.FormatUint(uint64(p), 16) + ")"
}

// Command1 is an SMB1 command code (MS-CIFS 2.2.2.1).
type Command1 uint8

// The SMB1 commands this package reads, and those whose data it streams.
const (
	ComClose            Command1 = 0x04
	ComRead             Command1 = 0x0A
	ComWrite            Command1 = 0x0B
	ComTransaction      Command1 = 0x25
	ComEcho             Command1 = 0x2B
	ComReadAndX         Command1 = 0x2E
	ComWriteAndX        Command1 = 0x2F
	ComTransaction2     Command1 = 0x32
	ComTreeDisconnect   Command1 = 0x71
	ComNegotiate        Command1 = 0x72
	ComSessionSetupAndX Command1 = 0x73
	ComLogoffAndX       Command1 = 0x74
	ComTreeConnectAndX  Command1 = 0x75
	ComNTTransact       Command1 = 0xA0
	ComNTCreateAndX     Command1 = 0xA2
)

var command1Names = map[Command1]string{
	ComClose: "CLOSE", ComRead: "READ", ComWrite: "WRITE", ComTransaction: "TRANSACTION", ComEcho: "ECHO",
	ComReadAndX: "READ_ANDX", ComWriteAndX: "WRITE_ANDX", ComTransaction2: "TRANSACTION2",
	ComTreeDisconnect: "TREE_DISCONNECT", ComNegotiate: "NEGOTIATE", ComSessionSetupAndX: "SESSION_SETUP_ANDX",
	ComLogoffAndX: "LOGOFF_ANDX", ComTreeConnectAndX: "TREE_CONNECT_ANDX", ComNTTransact: "NT_TRANSACT",
	ComNTCreateAndX: "NT_CREATE_ANDX",
}

// String returns the command's name without its SMB_COM_ prefix
// ("NEGOTIATE"), or a form like "Command1(0x12)" for one not listed.
func (c Command1) String() string {
	if s, ok := command1Names[c]; ok {
		return s
	}
	return "Command1(0x" + strconv.FormatUint(uint64(c), 16) + ")"
}

// Command2 is an SMB2 command code (MS-SMB2 2.2.1).
type Command2 uint16

// The SMB2 commands.
const (
	Negotiate2 Command2 = iota
	SessionSetup2
	Logoff2
	TreeConnect2
	TreeDisconnect2
	Create2
	Close2
	Flush2
	Read2
	Write2
	Lock2
	IOCtl2
	Cancel2
	Echo2
	QueryDirectory2
	ChangeNotify2
	QueryInfo2
	SetInfo2
	OplockBreak2
)

var command2Names = [...]string{
	"NEGOTIATE", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT", "TREE_DISCONNECT", "CREATE", "CLOSE", "FLUSH",
	"READ", "WRITE", "LOCK", "IOCTL", "CANCEL", "ECHO", "QUERY_DIRECTORY", "CHANGE_NOTIFY", "QUERY_INFO",
	"SET_INFO", "OPLOCK_BREAK",
}

// String returns the command's name as MS-SMB2 spells it without its SMB2
// prefix ("SESSION_SETUP"), or a form like "Command2(0x20)".
func (c Command2) String() string {
	if int(c) < len(command2Names) {
		return command2Names[c]
	}
	return "Command2(0x" + strconv.FormatUint(uint64(c), 16) + ")"
}

// Dialect is an SMB2 dialect revision.
type Dialect uint16

// The SMB2 dialects (MS-SMB2 2.2.3).
const (
	Dialect202      Dialect = 0x0202 // SMB 2.0.2 (Windows Vista, Server 2008)
	Dialect210      Dialect = 0x0210 // SMB 2.1 (Windows 7, Server 2008 R2)
	Dialect300      Dialect = 0x0300 // SMB 3.0 (Windows 8, Server 2012)
	Dialect302      Dialect = 0x0302 // SMB 3.0.2 (Windows 8.1, Server 2012 R2)
	Dialect311      Dialect = 0x0311 // SMB 3.1.1 (Windows 10, Server 2016 and later)
	DialectWildcard Dialect = 0x02FF // "SMB 2.???": the server speaks 2.1 or later; a second NEGOTIATE follows
)

// String returns the dialect as a version ("2.0.2", "3.1.1"), "2.???" for
// the wildcard, or a form like "0x0400" for another value.
func (d Dialect) String() string {
	switch d {
	case Dialect202:
		return "2.0.2"
	case Dialect210:
		return "2.1"
	case Dialect300:
		return "3.0"
	case Dialect302:
		return "3.0.2"
	case Dialect311:
		return "3.1.1"
	case DialectWildcard:
		return "2.???"
	}
	return string(d.AppendTo(nil))
}

// AppendTo appends what String returns to dst, without allocating when dst
// has room.
func (d Dialect) AppendTo(dst []byte) []byte {
	switch d {
	case Dialect202, Dialect210, Dialect300, Dialect302, Dialect311, DialectWildcard:
		return append(dst, d.String()...)
	}
	return append(dst, '0', 'x', hexDigits[d>>12], hexDigits[d>>8&15], hexDigits[d>>4&15], hexDigits[d&15])
}

const hexDigits = "0123456789abcdef"

// GUID is a GUID as SMB carries it (a ClientGuid or ServerGuid): the
// first three fields little-endian, as Microsoft's structure has them.
type GUID [16]byte

// AppendTo appends the GUID in its usual form,
// "73636170-7366-3130-0000-000000000000".
func (g GUID) AppendTo(dst []byte) []byte {
	for i, at := range [16]int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15} {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[g[at]>>4], hexDigits[g[at]&15])
	}
	return dst
}

// String returns the GUID in its usual form; it allocates.
func (g GUID) String() string { return string(g.AppendTo(nil)) }

// IsZero reports whether every byte of g is zero.
func (g GUID) IsZero() bool { return g == GUID{} }

// ContextType is the type of an SMB 3.1.1 negotiate context.
type ContextType uint16

// The negotiate context types (MS-SMB2 2.2.3.1).
const (
	ContextPreauthIntegrity ContextType = 1
	ContextEncryption       ContextType = 2
	ContextCompression      ContextType = 3
	ContextNetName          ContextType = 5 // the server name the client asked for, UTF-16LE
	ContextTransport        ContextType = 6
	ContextRDMATransform    ContextType = 7
	ContextSigning          ContextType = 8
)

var contextNames = [...]string{
	1: "PREAUTH_INTEGRITY_CAPABILITIES", 2: "ENCRYPTION_CAPABILITIES", 3: "COMPRESSION_CAPABILITIES",
	5: "NETNAME_NEGOTIATE_CONTEXT_ID", 6: "TRANSPORT_CAPABILITIES", 7: "RDMA_TRANSFORM_CAPABILITIES",
	8: "SIGNING_CAPABILITIES",
}

// String returns the context type's name without its SMB2_ prefix, or a
// form like "ContextType(0x100)".
func (t ContextType) String() string {
	if int(t) < len(contextNames) && contextNames[t] != "" {
		return contextNames[t]
	}
	return "ContextType(0x" + strconv.FormatUint(uint64(t), 16) + ")"
}

// Status is an NTSTATUS code (MS-ERREF 2.3).
type Status uint32

// A few of the status codes a session setup ends with.
const (
	StatusSuccess                Status = 0x00000000
	StatusPending                Status = 0x00000103
	StatusMoreProcessingRequired Status = 0xC0000016
	StatusAccessDenied           Status = 0xC0000022
	StatusLogonFailure           Status = 0xC000006D
	StatusAccountRestriction     Status = 0xC000006E
	StatusPasswordExpired        Status = 0xC0000071
	StatusAccountDisabled        Status = 0xC0000072
	StatusNotSupported           Status = 0xC00000BB
	StatusBadNetworkName         Status = 0xC00000CC
	StatusAccountLockedOut       Status = 0xC0000234
	StatusUserSessionDeleted     Status = 0xC0000203
	StatusNetworkSessionExpired  Status = 0xC000035C
	StatusInvalidParameter       Status = 0xC000000D
	StatusPasswordMustChange     Status = 0xC0000224
	StatusNoMoreFiles            Status = 0x80000006
	StatusObjectNameNotFound     Status = 0xC0000034
)

var statusNames = map[Status]string{
	StatusSuccess: "STATUS_SUCCESS", StatusPending: "STATUS_PENDING",
	StatusMoreProcessingRequired: "STATUS_MORE_PROCESSING_REQUIRED", StatusAccessDenied: "STATUS_ACCESS_DENIED",
	StatusLogonFailure: "STATUS_LOGON_FAILURE", StatusAccountRestriction: "STATUS_ACCOUNT_RESTRICTION",
	StatusPasswordExpired: "STATUS_PASSWORD_EXPIRED", StatusAccountDisabled: "STATUS_ACCOUNT_DISABLED",
	StatusNotSupported: "STATUS_NOT_SUPPORTED", StatusBadNetworkName: "STATUS_BAD_NETWORK_NAME",
	StatusAccountLockedOut: "STATUS_ACCOUNT_LOCKED_OUT", StatusUserSessionDeleted: "STATUS_USER_SESSION_DELETED",
	StatusNetworkSessionExpired: "STATUS_NETWORK_SESSION_EXPIRED", StatusInvalidParameter: "STATUS_INVALID_PARAMETER",
	StatusPasswordMustChange: "STATUS_PASSWORD_MUST_CHANGE", StatusNoMoreFiles: "STATUS_NO_MORE_FILES",
	StatusObjectNameNotFound: "STATUS_OBJECT_NAME_NOT_FOUND",
}

// String returns the status's name ("STATUS_LOGON_FAILURE") for the codes
// listed here, or its value in hexadecimal ("0xc0000001").
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "0x" + strconv.FormatUint(uint64(s)|1<<32, 16)[1:]
}

// IsError reports whether s is an error code (severity 3).
func (s Status) IsError() bool { return s>>30 == 3 }

// NetBIOSType is the type of a NetBIOS session service packet (RFC 1002
// 4.3.1).
type NetBIOSType uint8

// The packet types. On TCP 445 (direct hosting) only session messages are
// sent.
const (
	NetBIOSMessage          NetBIOSType = 0x00
	NetBIOSRequest          NetBIOSType = 0x81 // session request: called and calling names
	NetBIOSPositiveResponse NetBIOSType = 0x82
	NetBIOSNegativeResponse NetBIOSType = 0x83 // with an error code
	NetBIOSRetarget         NetBIOSType = 0x84 // retarget response: another address and port
	NetBIOSKeepAlive        NetBIOSType = 0x85
)

// String returns the packet type's name ("session request"), or a form
// like "NetBIOSType(0x86)".
func (t NetBIOSType) String() string {
	switch t {
	case NetBIOSMessage:
		return "session message"
	case NetBIOSRequest:
		return "session request"
	case NetBIOSPositiveResponse:
		return "positive session response"
	case NetBIOSNegativeResponse:
		return "negative session response"
	case NetBIOSRetarget:
		return "retarget session response"
	case NetBIOSKeepAlive:
		return "session keep alive"
	}
	return "NetBIOSType(0x" + strconv.FormatUint(uint64(t), 16) + ")"
}
