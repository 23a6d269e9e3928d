package smb

// NetBIOS is a NetBIOS session service packet other than a session
// message, as a client sends it to port 139 before its first SMB message.
type NetBIOS struct {
	Type NetBIOSType
	// Called and Calling are a session request's names: the server's as
	// the client addressed it (often "*SMBSERVER" or an address) and the
	// client's own NetBIOS name.
	Called, Calling NetBIOSName
	// Error is a negative response's error code (0x80 not listening on
	// the called name, 0x82 called name not present, ...).
	Error uint8
}

// NetBIOSName is a NetBIOS name decoded from its first-level encoding
// (RFC 1001 14.1): fifteen characters padded with spaces, then a suffix
// byte that says what the name stands for (0x00 workstation, 0x20 file
// server).
type NetBIOSName struct {
	Raw [16]byte
}

// AppendTo appends the name without its padding and suffix.
func (n *NetBIOSName) AppendTo(dst []byte) []byte {
	end := 15
	for end > 0 && (n.Raw[end-1] == ' ' || n.Raw[end-1] == 0) {
		end--
	}
	return append(dst, n.Raw[:end]...)
}

// Suffix returns the name's sixteenth byte.
func (n *NetBIOSName) Suffix() byte { return n.Raw[15] }

// String returns the name and its suffix as Wireshark shows them,
// "RADWS07<00>"; it allocates.
func (n *NetBIOSName) String() string {
	return string(append(n.AppendTo(nil), '<', hexDigits[n.Raw[15]>>4], hexDigits[n.Raw[15]&15], '>'))
}

// maxNetBIOS caps the length of a NetBIOS session service packet other than
// a session message: a session request is two encoded names of at most 255
// bytes each with their scopes.
const maxNetBIOS = 512

// parseNetBIOS parses the body of a packet of type t; ok is false when the
// body does not fit the type.
func parseNetBIOS(t NetBIOSType, b []byte) (nb NetBIOS, ok bool) {
	nb.Type = t
	switch t {
	case NetBIOSRequest:
		n, ok := decodeName(b, &nb.Called)
		if !ok {
			return nb, false
		}
		n2, ok := decodeName(b[n:], &nb.Calling)
		return nb, ok && n+n2 == len(b)
	case NetBIOSPositiveResponse, NetBIOSKeepAlive:
		return nb, len(b) == 0
	case NetBIOSNegativeResponse:
		if len(b) != 1 {
			return nb, false
		}
		nb.Error = b[0]
		return nb, true
	case NetBIOSRetarget:
		return nb, len(b) == 6
	}
	return nb, false
}

// decodeName decodes an encoded name (length 32, then 32 letters 'A'-'P')
// and skips its scope labels up to the terminating zero, returning the bytes
// used.
func decodeName(b []byte, n *NetBIOSName) (int, bool) {
	if len(b) < 34 || b[0] != 32 {
		return 0, false
	}
	for i := range 16 {
		hi, lo := b[1+2*i]-'A', b[2+2*i]-'A'
		if hi > 15 || lo > 15 {
			return 0, false
		}
		n.Raw[i] = hi<<4 | lo
	}
	p := 33
	for p < len(b) && b[p] != 0 {
		p += 1 + int(b[p])
	}
	if p >= len(b) {
		return 0, false
	}
	return p + 1, true
}
