package tcpsig

// MaxLen bounds the length of a signature's text: [Signature.AppendTo]
// never appends more bytes than this, whatever the Signature's fields hold.
// The text of a signature [FromHeaders] computes is at most 237 bytes.
const MaxLen = 384

// AppendTo appends the signature in p0f's raw_sig syntax
// (ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass, see the package
// documentation) and returns the extended buffer. It allocates nothing
// when dst has room for [MaxLen] more bytes. The zero Signature is written
// as an empty string.
func (s Signature) AppendTo(dst []byte) []byte {
	if s.Version == 0 {
		return dst
	}
	dst = appendUint(dst, uint64(s.Version))
	dst = append(dst, ':')
	dst = appendUint(dst, uint64(s.TTL))
	dst = append(dst, '+')
	if d, ok := s.Distance(); ok {
		dst = appendUint(dst, uint64(d))
	} else {
		dst = append(dst, '?')
	}
	dst = append(dst, ':')
	dst = appendUint(dst, uint64(s.IPOptLen))
	dst = append(dst, ':')
	if s.MSS == SpecialMSS && IsSYNACK(s.Flags) {
		dst = append(dst, '*')
	} else {
		dst = appendUint(dst, uint64(s.MSS))
	}
	dst = append(dst, ':')
	if s.WindowMultiple > 0 && (s.WindowUnit == WindowMSS || s.WindowUnit == WindowMTU) {
		dst = append(dst, s.WindowUnit.String()...)
		dst = append(dst, '*')
		dst = appendUint(dst, uint64(s.WindowMultiple))
	} else {
		dst = appendUint(dst, uint64(s.Window))
	}
	dst = append(dst, ',')
	dst = appendUint(dst, uint64(s.WScale))
	dst = append(dst, ':')
	n := min(int(s.NumOptions), MaxOptions)
	for i, o := range s.Options[:n] {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = o.AppendTo(dst)
		if o == OptEOL {
			dst = append(dst, '+')
			dst = appendUint(dst, uint64(s.EOLPad))
		}
	}
	dst = append(dst, ':')
	dst = s.Quirks.AppendTo(dst)
	if s.Payload {
		return append(dst, ":+"...)
	}
	return append(dst, ":0"...)
}

// String returns the signature in p0f's raw_sig syntax, "" for the zero
// Signature.
func (s Signature) String() string {
	var buf [MaxLen]byte
	return string(s.AppendTo(buf[:0]))
}

func appendUint(dst []byte, v uint64) []byte {
	switch {
	case v < 10:
		return append(dst, byte('0'+v))
	case v < 100:
		return append(dst, byte('0'+v/10), byte('0'+v%10))
	}
	var buf [20]byte
	i := len(buf)
	for v > 0 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[i:]...)
}

func appendHex(dst []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	var buf [16]byte
	i := len(buf)
	for {
		i--
		buf[i] = digits[v&15]
		v >>= 4
		if v == 0 {
			break
		}
	}
	return append(dst, buf[i:]...)
}

func itoa(v uint64) string {
	var buf [20]byte
	return string(appendUint(buf[:0], v))
}
