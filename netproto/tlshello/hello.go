package tlshello

// ClientHello is a parsed ClientHello body (RFC 8446 4.1.2; RFC 5246 7.4.1.2
// for TLS 1.0 to 1.2 and SSL 3.0). Its slices are views into the body given
// to [ParseClientHello], valid as long as those bytes are.
type ClientHello struct {
	Version            Version    // legacy_version; TLS 1.3 clients send TLS 1.2 (see MaxVersion)
	Random             []byte     // 32 bytes
	SessionID          []byte     // legacy_session_id, 0 to 32 bytes
	CipherSuites       Uint16List // in the client's order of preference
	CompressionMethods []byte     // one byte each, at least one
	Extensions         Extensions // nil when the hello has no extensions block

	// Decoded from the first extension of each type; nil when absent.
	ServerName          []byte       // the first host_name of server_name (SNI); nil also when it holds none
	ALPN                ProtocolList // the protocols offered
	SupportedVersions   Uint16List   // the versions offered
	SupportedGroups     Uint16List   // named groups (elliptic_curves before RFC 8422)
	SignatureAlgorithms Uint16List   // signature schemes, in the client's order
	ECPointFormats      []byte       // one byte each
}

// ServerHello is a parsed ServerHello body (RFC 8446 4.1.3; RFC 5246
// 7.4.1.3), a HelloRetryRequest included. Its slices are views into the body
// given to [ParseServerHello], valid as long as those bytes are.
type ServerHello struct {
	Version           Version    // legacy_version; TLS 1.3 servers send TLS 1.2 (see SelectedVersion)
	Random            []byte     // 32 bytes
	SessionID         []byte     // legacy_session_id_echo, 0 to 32 bytes
	CipherSuite       uint16     // the cipher suite chosen
	CompressionMethod uint8      // the compression method chosen
	Extensions        Extensions // nil when the hello has no extensions block

	// Decoded from the first extension of each type; nil when absent.
	SupportedVersions Uint16List   // selected_version: one value
	ALPN              ProtocolList // the protocol chosen: one name
	ECPointFormats    []byte       // one byte each
}

// MaxVersion returns the highest version the client offers: the highest
// value of supported_versions that is not GREASE, or Version when there is
// none. JA4 starts with it.
func (h *ClientHello) MaxVersion() Version {
	hi := Version(0)
	it := h.SupportedVersions.Iter()
	for it.Next() {
		if v := it.Value(); !IsGREASE(v) && Version(v) > hi {
			hi = Version(v)
		}
	}
	if hi == 0 {
		return h.Version
	}
	return hi
}

// SelectedVersion returns the version the server chose: the value of
// supported_versions when present, Version otherwise.
func (h *ServerHello) SelectedVersion() Version {
	if h.SupportedVersions.Len() > 0 {
		return Version(h.SupportedVersions.At(0))
	}
	return h.Version
}

// helloRetryRandom is the Random of a HelloRetryRequest (RFC 8446 4.1.3):
// SHA-256 of "HelloRetryRequest".
const helloRetryRandom = "\xcf\x21\xad\x74\xe5\x9a\x61\x11\xbe\x1d\x8c\x02\x1e\x65\xb8\x91" +
	"\xc2\xa2\x11\x16\x7a\xbb\x8c\x5e\x07\x9e\x09\xe2\xc8\xa8\x33\x9c"

// IsHelloRetryRequest reports whether h is a TLS 1.3 HelloRetryRequest: the
// server asks the client for a new ClientHello (with another key share)
// instead of accepting the first.
func (h *ServerHello) IsHelloRetryRequest() bool { return string(h.Random) == helloRetryRandom }

// ParseClientHello parses the body of a ClientHello handshake message (the
// bytes after its four-byte header). It checks the length of every field
// and vector, that the extensions block fills the rest of the body and that
// every extension fits in it, and the inner lengths of the extensions it
// decodes; anything else is an [*Error] wrapping [ErrMalformed] with the
// offset in body. It does not allocate.
func ParseClientHello(body []byte) (ClientHello, error) {
	var h ClientHello
	if off, err := h.parse(body); err != nil {
		return ClientHello{}, &Error{Offset: int64(off), Err: err}
	}
	return h, nil
}

// ParseServerHello parses the body of a ServerHello handshake message, with
// the checks of [ParseClientHello].
func ParseServerHello(body []byte) (ServerHello, error) {
	var h ServerHello
	if off, err := h.parse(body); err != nil {
		return ServerHello{}, &Error{Offset: int64(off), Err: err}
	}
	return h, nil
}

// parse fills h from b; on failure it returns the offset of the problem in
// b and a sentinel.
func (h *ClientHello) parse(b []byte) (int, error) {
	*h = ClientHello{}
	var off int
	var err error
	h.Version, h.Random, h.SessionID, off, err = parseStart(b)
	if err != nil {
		return off, err
	}
	cs, next, ok := vec16(b, off)
	if !ok || len(cs) == 0 || len(cs)%2 != 0 {
		return off, ErrMalformed
	}
	h.CipherSuites, off = cs, next
	cm, next, ok := vec8(b, off)
	if !ok || len(cm) == 0 {
		return off, ErrMalformed
	}
	h.CompressionMethods, off = cm, next
	if off == len(b) {
		return 0, nil
	}
	h.Extensions, off, err = extensions(b, off, clientDecoded, func(t ExtensionType, body []byte) (ok bool) {
		switch t {
		case ExtServerName:
			h.ServerName, ok = serverName(body)
		case ExtALPN:
			h.ALPN, ok = protocols(body, false)
		case ExtSupportedVersions:
			h.SupportedVersions, ok = list(body, vec8, 2)
		case ExtSupportedGroups:
			h.SupportedGroups, ok = list(body, vec16, 2)
		case ExtSignatureAlgorithms:
			h.SignatureAlgorithms, ok = list(body, vec16, 2)
		case ExtECPointFormats:
			h.ECPointFormats, ok = list(body, vec8, 1)
		}
		return ok
	})
	return off, err
}

// parse fills h from b; on failure it returns the offset of the problem in
// b and a sentinel.
func (h *ServerHello) parse(b []byte) (int, error) {
	*h = ServerHello{}
	var off int
	var err error
	h.Version, h.Random, h.SessionID, off, err = parseStart(b)
	if err != nil {
		return off, err
	}
	if len(b)-off < 3 {
		return off, ErrMalformed
	}
	h.CipherSuite = uint16(be16(b[off:]))
	h.CompressionMethod = b[off+2]
	off += 3
	if off == len(b) {
		return 0, nil
	}
	h.Extensions, off, err = extensions(b, off, serverDecoded, func(t ExtensionType, body []byte) (ok bool) {
		switch t {
		case ExtALPN:
			h.ALPN, ok = protocols(body, true)
		case ExtSupportedVersions:
			h.SupportedVersions, ok = body, len(body) == 2
		case ExtECPointFormats:
			h.ECPointFormats, ok = list(body, vec8, 1)
		}
		return ok
	})
	return off, err
}

// parseStart reads legacy_version, random and legacy_session_id, the start
// of both hellos, and returns the offset after them.
func parseStart(b []byte) (v Version, random, sid []byte, off int, err error) {
	if len(b) < 2+32 {
		return 0, nil, nil, len(b), ErrMalformed
	}
	sid, off, ok := vec8(b, 34)
	if !ok || len(sid) > 32 {
		return 0, nil, nil, 34, ErrMalformed
	}
	return Version(be16(b)), b[2:34], sid, off, nil
}

// The extensions each hello decodes, as bits 1<<type.
const (
	clientDecoded = 1<<ExtServerName | 1<<ExtALPN | 1<<ExtSupportedVersions | 1<<ExtSupportedGroups |
		1<<ExtSignatureAlgorithms | 1<<ExtECPointFormats
	serverDecoded = 1<<ExtALPN | 1<<ExtSupportedVersions | 1<<ExtECPointFormats
)

// extensions checks the extensions block at b[off:], which must fill the
// rest of b, and every extension header in it, and hands the first
// extension of each type in decoded (bits 1<<type) to decode, which
// reports whether its body is well-formed. It returns the block, or the
// offset of the block or extension at fault.
func extensions(b []byte, off int, decoded uint64, decode func(t ExtensionType, body []byte) bool) (Extensions, int, error) {
	e, next, ok := vec16(b, off)
	if !ok || next != len(b) {
		return nil, off, ErrMalformed
	}
	for p := 0; p < len(e); {
		t, body, ok := extension(e, p)
		if ok && t < 64 && decoded&(1<<t) != 0 {
			decoded &^= 1 << t // only the first of a type
			ok = decode(t, body)
		}
		if !ok {
			return nil, off + 2 + p, ErrMalformed
		}
		p += 4 + len(body)
	}
	return e, 0, nil
}

// extension returns the type and body of the extension at e[p:], and
// whether it fits in e.
func extension(e []byte, p int) (ExtensionType, []byte, bool) {
	if len(e)-p < 4 {
		return 0, nil, false
	}
	end := p + 4 + be16(e[p+2:])
	if end > len(e) {
		return 0, nil, false
	}
	return ExtensionType(be16(e[p:])), e[p+4 : end], true
}

// list returns the vector that makes up body exactly, a non-empty list of
// size-byte values.
func list(body []byte, vec func([]byte, int) ([]byte, int, bool), size int) ([]byte, bool) {
	v, next, ok := vec(body, 0)
	if !ok || next != len(body) || len(v) == 0 || len(v)%size != 0 {
		return nil, false
	}
	return v, true
}

// serverName decodes a ClientHello's server_name body (RFC 6066 3): a
// non-empty list of (name_type, non-empty name), of which it returns the
// first host_name (type 0), nil when there is none.
func serverName(body []byte) ([]byte, bool) {
	names, next, ok := vec16(body, 0)
	if !ok || next != len(body) || len(names) == 0 {
		return nil, false
	}
	var host []byte
	for p := 0; p < len(names); {
		name, q, ok := vec16(names, p+1)
		if !ok || len(name) == 0 {
			return nil, false
		}
		if names[p] == 0 && host == nil {
			host = name
		}
		p = q
	}
	return host, true
}

// protocols decodes an ALPN body (RFC 7301 3.1): a non-empty list of
// non-empty names, exactly one in a ServerHello.
func protocols(body []byte, one bool) (ProtocolList, bool) {
	names, next, ok := vec16(body, 0)
	if !ok || next != len(body) || len(names) == 0 {
		return nil, false
	}
	n := 0
	for p := 0; p < len(names); n++ {
		name, q, ok := vec8(names, p)
		if !ok || len(name) == 0 {
			return nil, false
		}
		p = q
	}
	if one && n != 1 {
		return nil, false
	}
	return names, true
}

func be16(b []byte) int { return int(b[0])<<8 | int(b[1]) }

// vec8 returns the vector with a one-byte length at b[off:] and the offset
// after it.
func vec8(b []byte, off int) (v []byte, next int, ok bool) {
	if off >= len(b) {
		return nil, off, false
	}
	end := off + 1 + int(b[off])
	if end > len(b) {
		return nil, off, false
	}
	return b[off+1 : end], end, true
}

// vec16 returns the vector with a two-byte length at b[off:] and the offset
// after it.
func vec16(b []byte, off int) (v []byte, next int, ok bool) {
	if off < 0 || len(b)-off < 2 {
		return nil, off, false
	}
	end := off + 2 + be16(b[off:])
	if end > len(b) {
		return nil, off, false
	}
	return b[off+2 : end], end, true
}
