package tlshello

import "strconv"

// Version is a protocol version as TLS carries it on the wire
// (legacy_version, supported_versions, a record's version).
type Version uint16

// Protocol versions.
const (
	VersionSSL30 Version = 0x0300
	VersionTLS10 Version = 0x0301
	VersionTLS11 Version = 0x0302
	VersionTLS12 Version = 0x0303
	VersionTLS13 Version = 0x0304
)

// String returns "SSL 3.0", "TLS 1.0" to "TLS 1.3", or "0x" and the value in
// lower-case hexadecimal without padding (a GREASE value 0x0a0a is "0xa0a").
func (v Version) String() string {
	switch v {
	case VersionSSL30:
		return "SSL 3.0"
	case VersionTLS10:
		return "TLS 1.0"
	case VersionTLS11:
		return "TLS 1.1"
	case VersionTLS12:
		return "TLS 1.2"
	case VersionTLS13:
		return "TLS 1.3"
	}
	return "0x" + strconv.FormatUint(uint64(v), 16)
}

// IsGREASE reports whether v is one of the sixteen values RFC 8701 reserves
// so that peers learn to ignore unknown values (0x0a0a, 0x1a1a, … 0xfafa). They
// appear among cipher suites, extensions, groups, signature algorithms and
// versions, and fingerprints such as JA3 and JA4 leave them out.
func IsGREASE(v uint16) bool { return v&0x0f0f == 0x0a0a && v>>8 == v&0xff }

// ContentType is the type of a TLS record.
type ContentType uint8

// Record content types.
const (
	ContentChangeCipherSpec ContentType = 20
	ContentAlert            ContentType = 21
	ContentHandshake        ContentType = 22
	ContentApplicationData  ContentType = 23
)

var contentNames = [...]string{
	ContentChangeCipherSpec: "change_cipher_spec",
	ContentAlert:            "alert",
	ContentHandshake:        "handshake",
	ContentApplicationData:  "application_data",
}

func (c ContentType) String() string { return codeName(contentNames[:], int(c), "ContentType") }

// HandshakeType is the type of a handshake message.
type HandshakeType uint8

// Handshake message types (RFC 8446 4 and the TLS 1.2 ones).
const (
	TypeHelloRequest        HandshakeType = 0
	TypeClientHello         HandshakeType = 1
	TypeServerHello         HandshakeType = 2
	TypeNewSessionTicket    HandshakeType = 4
	TypeEndOfEarlyData      HandshakeType = 5
	TypeEncryptedExtensions HandshakeType = 8
	TypeCertificate         HandshakeType = 11
	TypeServerKeyExchange   HandshakeType = 12
	TypeCertificateRequest  HandshakeType = 13
	TypeServerHelloDone     HandshakeType = 14
	TypeCertificateVerify   HandshakeType = 15
	TypeClientKeyExchange   HandshakeType = 16
	TypeFinished            HandshakeType = 20
	TypeCertificateStatus   HandshakeType = 22
	TypeKeyUpdate           HandshakeType = 24
	TypeMessageHash         HandshakeType = 254
)

var handshakeNames = [...]string{
	TypeHelloRequest:        "hello_request",
	TypeClientHello:         "client_hello",
	TypeServerHello:         "server_hello",
	TypeNewSessionTicket:    "new_session_ticket",
	TypeEndOfEarlyData:      "end_of_early_data",
	TypeEncryptedExtensions: "encrypted_extensions",
	TypeCertificate:         "certificate",
	TypeServerKeyExchange:   "server_key_exchange",
	TypeCertificateRequest:  "certificate_request",
	TypeServerHelloDone:     "server_hello_done",
	TypeCertificateVerify:   "certificate_verify",
	TypeClientKeyExchange:   "client_key_exchange",
	TypeFinished:            "finished",
	TypeCertificateStatus:   "certificate_status",
	TypeKeyUpdate:           "key_update",
	TypeMessageHash:         "message_hash",
}

func (t HandshakeType) String() string { return codeName(handshakeNames[:], int(t), "HandshakeType") }

// ExtensionType identifies a hello extension.
type ExtensionType uint16

// Extension types (IANA TLS ExtensionType Values). The package decodes the
// first six; the others are named for String.
const (
	ExtServerName           ExtensionType = 0  // RFC 6066
	ExtSupportedGroups      ExtensionType = 10 // RFC 8422, 7919 (elliptic_curves before)
	ExtECPointFormats       ExtensionType = 11 // RFC 8422
	ExtSignatureAlgorithms  ExtensionType = 13 // RFC 8446
	ExtALPN                 ExtensionType = 16 // application_layer_protocol_negotiation, RFC 7301
	ExtSupportedVersions    ExtensionType = 43 // RFC 8446
	ExtStatusRequest        ExtensionType = 5
	ExtSCT                  ExtensionType = 18 // signed_certificate_timestamp
	ExtPadding              ExtensionType = 21
	ExtEncryptThenMAC       ExtensionType = 22
	ExtExtendedMasterSecret ExtensionType = 23
	ExtCompressCertificate  ExtensionType = 27
	ExtRecordSizeLimit      ExtensionType = 28
	ExtSessionTicket        ExtensionType = 35
	ExtPreSharedKey         ExtensionType = 41
	ExtEarlyData            ExtensionType = 42
	ExtCookie               ExtensionType = 44
	ExtPSKKeyExchangeModes  ExtensionType = 45
	ExtCertificateAuthority ExtensionType = 47
	ExtPostHandshakeAuth    ExtensionType = 49
	ExtSignatureAlgsCert    ExtensionType = 50
	ExtKeyShare             ExtensionType = 51
	ExtRenegotiationInfo    ExtensionType = 0xff01
)

var extensionNames = [...]string{
	ExtServerName:           "server_name",
	ExtStatusRequest:        "status_request",
	ExtSupportedGroups:      "supported_groups",
	ExtECPointFormats:       "ec_point_formats",
	ExtSignatureAlgorithms:  "signature_algorithms",
	ExtALPN:                 "application_layer_protocol_negotiation",
	ExtSCT:                  "signed_certificate_timestamp",
	ExtPadding:              "padding",
	ExtEncryptThenMAC:       "encrypt_then_mac",
	ExtExtendedMasterSecret: "extended_master_secret",
	ExtCompressCertificate:  "compress_certificate",
	ExtRecordSizeLimit:      "record_size_limit",
	ExtSessionTicket:        "session_ticket",
	ExtPreSharedKey:         "pre_shared_key",
	ExtEarlyData:            "early_data",
	ExtSupportedVersions:    "supported_versions",
	ExtCookie:               "cookie",
	ExtPSKKeyExchangeModes:  "psk_key_exchange_modes",
	ExtCertificateAuthority: "certificate_authorities",
	ExtPostHandshakeAuth:    "post_handshake_auth",
	ExtSignatureAlgsCert:    "signature_algorithms_cert",
	ExtKeyShare:             "key_share",
}

func (t ExtensionType) String() string {
	if t == ExtRenegotiationInfo {
		return "renegotiation_info"
	}
	return codeName(extensionNames[:], int(t), "ExtensionType")
}

// codeName returns names[v], or typ(v) when v has no name.
func codeName(names []string, v int, typ string) string {
	if v < len(names) && names[v] != "" {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(v) + ")"
}
