package ntlmssp

// The DER encodings of the object identifiers Unwrap knows.
const (
	oidSPNEGO  = "\x2b\x06\x01\x05\x05\x02"                 // 1.3.6.1.5.5.2
	oidNTLMSSP = "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" // 1.3.6.1.4.1.311.2.2.10
)

// DER tags of the elements Unwrap walks through.
const (
	tagOID         = 0x06
	tagOctetString = 0x04
	tagSequence    = 0x30
	tagGSSAPI      = 0x60 // [APPLICATION 0]: the InitialContextToken of RFC 2743 3.1
	tagNegInit     = 0xa0 // NegotiationToken choice [0]: NegTokenInit
	tagNegResp     = 0xa1 // NegotiationToken choice [1]: NegTokenResp
	tagMechToken   = 0xa2 // [2]: mechToken of NegTokenInit, responseToken of NegTokenResp
)

// Unwrap returns the NTLMSSP message carried in a security blob: the blob
// itself when it is a bare NTLMSSP message; the mechToken of an SPNEGO
// NegTokenInit (RFC 4178 4.2.1), in its GSS-API InitialContextToken framing
// or not; the responseToken of a NegTokenResp (4.2.2); or the token of a
// GSS-API framing whose mechanism is NTLMSSP itself. The result is a view
// into blob.
//
// It returns an error wrapping [ErrNoNTLMSSP] when the blob is well formed
// as far as it was read but carries another mechanism's token (Kerberos)
// or no token at all, and [ErrDER] when its encoding is broken. It never
// allocates except to return an error.
func Unwrap(blob []byte) ([]byte, error) {
	if len(blob) >= len(Signature) && string(blob[:len(Signature)]) == Signature {
		return blob, nil
	}
	tag, start, end, err := tlv(blob, 0)
	if err != nil {
		return nil, err
	}
	switch tag {
	case tagGSSAPI:
		t, s, e, err := tlv(blob[:end], start)
		if err != nil {
			return nil, err
		}
		if t != tagOID {
			return nil, errAt(start, ErrDER)
		}
		switch string(blob[s:e]) {
		case oidSPNEGO:
			return negToken(blob[:end], e)
		case oidNTLMSSP:
			return ntlmToken(blob, e, end)
		}
		return nil, errAt(start, ErrNoNTLMSSP)
	case tagNegInit, tagNegResp:
		return negToken(blob, 0)
	}
	return nil, errAt(0, ErrNoNTLMSSP)
}

// negToken reads the NegotiationToken at b[off:] and returns the NTLMSSP
// message in its mechToken or responseToken, both tagged [2].
func negToken(b []byte, off int) ([]byte, error) {
	tag, start, end, err := tlv(b, off)
	if err != nil {
		return nil, err
	}
	if tag != tagNegInit && tag != tagNegResp {
		return nil, errAt(off, ErrDER)
	}
	t, s, e, err := tlv(b[:end], start)
	if err != nil {
		return nil, err
	}
	if t != tagSequence {
		return nil, errAt(start, ErrDER)
	}
	for p := s; p < e; {
		ft, fs, fe, err := tlv(b[:e], p)
		if err != nil {
			return nil, err
		}
		if ft == tagMechToken {
			ot, os, oe, err := tlv(b[:fe], fs)
			if err != nil {
				return nil, err
			}
			if ot != tagOctetString {
				return nil, errAt(fs, ErrDER)
			}
			return ntlmToken(b, os, oe)
		}
		p = fe
	}
	return nil, errAt(off, ErrNoNTLMSSP)
}

// ntlmToken returns b[start:end] when it begins an NTLMSSP message.
func ntlmToken(b []byte, start, end int) ([]byte, error) {
	tok := b[start:end]
	if len(tok) < len(Signature) || string(tok[:len(Signature)]) != Signature {
		return nil, errAt(start, ErrNoNTLMSSP)
	}
	return tok, nil
}

// tlv reads the header of the DER element at b[off:] and returns its tag
// and the bounds of its content, which lie within b. Lengths take at most
// four bytes; the indefinite form, which DER forbids, is an error.
func tlv(b []byte, off int) (tag byte, start, end int, err error) {
	if len(b)-off < 2 {
		return 0, 0, 0, errAt(off, ErrDER)
	}
	tag, n, p := b[off], int(b[off+1]), off+2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 || len(b)-p < k {
			return 0, 0, 0, errAt(off, ErrDER)
		}
		n = 0
		for _, c := range b[p : p+k] {
			n = n<<8 | int(c)
		}
		p += k
	}
	if n < 0 || n > len(b)-p {
		return 0, 0, 0, errAt(off, ErrDER)
	}
	return tag, p, p + n, nil
}
