package tlshello

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Fingerprints of hellos: JA3 and JA3S (Salesforce's, as Wireshark computes
// them: tls.handshake.ja3_full, ja3, ja3s_full and ja3s) and JA4 (FoxIO's
// TLS client fingerprint, BSD 3-Clause licence; the rest of the JA4+
// family is not implemented). Each method appends to dst and allocates
// nothing when dst has room: the strings that are hashed are built in dst
// and replaced by their digest.

// AppendJA3Full appends the JA3 string of h, Wireshark's
// tls.handshake.ja3_full: the legacy version, the cipher suites, the
// extension types in wire order, the supported groups and the EC point
// formats, in decimal, values joined by "-" and fields by ",", without
// GREASE values:
//
//	771,4865-4866-49195,0-11-10-35-16-22-23-13-43-45-51,29-23-24,0
func (h *ClientHello) AppendJA3Full(dst []byte) []byte {
	dst = strconv.AppendUint(dst, uint64(h.Version), 10)
	dst = append(dst, ',')
	dst = appendDecimals(dst, h.CipherSuites)
	dst = append(dst, ',')
	dst = appendExtTypes(dst, h.Extensions)
	dst = append(dst, ',')
	dst = appendDecimals(dst, h.SupportedGroups)
	dst = append(dst, ',')
	for i, p := range h.ECPointFormats {
		if i > 0 {
			dst = append(dst, '-')
		}
		dst = strconv.AppendUint(dst, uint64(p), 10)
	}
	return dst
}

// AppendJA3 appends the JA3 fingerprint of h, Wireshark's
// tls.handshake.ja3: the MD5 of [ClientHello.AppendJA3Full] in 32
// lower-case hexadecimal digits.
func (h *ClientHello) AppendJA3(dst []byte) []byte {
	start := len(dst)
	dst = h.AppendJA3Full(dst)
	return appendMD5(dst, start)
}

// AppendJA3SFull appends the JA3S string of h, Wireshark's
// tls.handshake.ja3s_full: the legacy version, the cipher suite and the
// extension types in wire order, in decimal, without GREASE values:
//
//	771,49199,65281-0-11-35-23
func (h *ServerHello) AppendJA3SFull(dst []byte) []byte {
	dst = strconv.AppendUint(dst, uint64(h.Version), 10)
	dst = append(dst, ',')
	dst = strconv.AppendUint(dst, uint64(h.CipherSuite), 10)
	dst = append(dst, ',')
	return appendExtTypes(dst, h.Extensions)
}

// AppendJA3S appends the JA3S fingerprint of h, Wireshark's
// tls.handshake.ja3s: the MD5 of [ServerHello.AppendJA3SFull] in 32
// lower-case hexadecimal digits.
func (h *ServerHello) AppendJA3S(dst []byte) []byte {
	start := len(dst)
	dst = h.AppendJA3SFull(dst)
	return appendMD5(dst, start)
}

// appendMD5 replaces dst[start:] by its MD5 in hexadecimal.
func appendMD5(dst []byte, start int) []byte {
	sum := md5.Sum(dst[start:])
	return hex.AppendEncode(dst[:start], sum[:])
}

// appendDecimals appends the values of l that are not GREASE, in decimal,
// joined by "-".
func appendDecimals(dst []byte, l Uint16List) []byte {
	n := 0
	for it := l.Iter(); it.Next(); {
		if v := it.Value(); !IsGREASE(v) {
			if n > 0 {
				dst = append(dst, '-')
			}
			dst = strconv.AppendUint(dst, uint64(v), 10)
			n++
		}
	}
	return dst
}

// appendExtTypes appends the types of the extensions of e that are not
// GREASE, in decimal, joined by "-".
func appendExtTypes(dst []byte, e Extensions) []byte {
	n := 0
	for it := e.Iter(); it.Next(); {
		if t := uint16(it.Type()); !IsGREASE(t) {
			if n > 0 {
				dst = append(dst, '-')
			}
			dst = strconv.AppendUint(dst, uint64(t), 10)
			n++
		}
	}
	return dst
}

// AppendJA4 appends the JA4 fingerprint of h, a ClientHello carried over
// TCP, as FoxIO's specification defines it:
//
//	t13d1516h2_8daaf6152771_e5627efa2ab1
//
// "t" (TLS over TCP); the highest version offered (supported_versions,
// else the legacy version) as "13", "12", "11", "10", "s3", "s2", "d1",
// "d2", "d3" or "00"; "d" when the server_name extension is present, "i"
// when not; the number of cipher suites and of extensions, two digits
// each, at most 99; the first and last characters of the first ALPN
// protocol ("00" without ALPN; when either is not an ASCII letter or
// digit, the first and last digits of the protocol in hexadecimal); then
// the first 12 hexadecimal digits of the SHA-256 of the cipher suites
// sorted, and of the extension types sorted without server_name and ALPN,
// followed by "_" and the signature algorithms in wire order (see
// [ClientHello.AppendJA4Raw] for the strings hashed). GREASE values are
// left out everywhere. An empty list hashes as "000000000000".
//
// The lists are sorted through a fixed-size array on the stack: a hello
// with up to 128 values in a list costs one pass over it, a longer one
// (a hostile one: real clients offer fewer than 100) one more pass per
// 128 values.
func (h *ClientHello) AppendJA4(dst []byte) []byte {
	dst = h.appendJA4a(dst)
	dst = append(dst, '_')
	start := len(dst)
	dst = appendSorted(dst, valueSource{list: h.CipherSuites})
	dst = appendHash12(dst, start)
	dst = append(dst, '_')
	start = len(dst)
	dst = h.appendJA4c(dst)
	return appendHash12(dst, start)
}

// AppendJA4Raw appends JA4_r, the raw form of [ClientHello.AppendJA4]:
// its first part, then the sorted cipher suites, the sorted extension
// types and the signature algorithms themselves, each value in four
// lower-case hexadecimal digits, joined by ",":
//
//	t13d1516h2_002f,0035,009c,...,cca9_0005,000a,...,ff01_0403,0804,...
func (h *ClientHello) AppendJA4Raw(dst []byte) []byte {
	dst = h.appendJA4a(dst)
	dst = append(dst, '_')
	dst = appendSorted(dst, valueSource{list: h.CipherSuites})
	dst = append(dst, '_')
	return h.appendJA4c(dst)
}

// appendJA4a appends the first part of JA4, up to the first "_".
func (h *ClientHello) appendJA4a(dst []byte) []byte {
	dst = append(dst, 't')
	dst = append(dst, ja4Version(h.MaxVersion())...)
	if h.Extensions.Has(ExtServerName) {
		dst = append(dst, 'd')
	} else {
		dst = append(dst, 'i')
	}
	dst = appendCount(dst, valueSource{list: h.CipherSuites}.count())
	dst = appendCount(dst, valueSource{ext: h.Extensions, all: true}.count())
	alpn := h.ALPN.First()
	switch {
	case len(alpn) == 0:
		dst = append(dst, '0', '0')
	case isAlnum(alpn[0]) && isAlnum(alpn[len(alpn)-1]):
		dst = append(dst, alpn[0], alpn[len(alpn)-1])
	default:
		dst = append(dst, hexDigit[alpn[0]>>4], hexDigit[alpn[len(alpn)-1]&0xf])
	}
	return dst
}

// appendJA4c appends the string of JA4's third part before hashing: the
// sorted extension types less server_name and ALPN, then "_" and the
// signature algorithms when there are any.
func (h *ClientHello) appendJA4c(dst []byte) []byte {
	dst = appendSorted(dst, valueSource{ext: h.Extensions})
	n := 0
	for it := h.SignatureAlgorithms.Iter(); it.Next(); {
		if v := it.Value(); !IsGREASE(v) {
			if n == 0 {
				dst = append(dst, '_')
			} else {
				dst = append(dst, ',')
			}
			dst = appendHex4(dst, v)
			n++
		}
	}
	return dst
}

func ja4Version(v Version) string {
	switch v {
	case VersionTLS13:
		return "13"
	case VersionTLS12:
		return "12"
	case VersionTLS11:
		return "11"
	case VersionTLS10:
		return "10"
	case VersionSSL30:
		return "s3"
	case 0x0002:
		return "s2"
	case 0xfeff:
		return "d1"
	case 0xfefd:
		return "d2"
	case 0xfefc:
		return "d3"
	}
	return "00"
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

const hexDigit = "0123456789abcdef"

func appendCount(dst []byte, n int) []byte {
	n = min(n, 99)
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}

func appendHex4(dst []byte, v uint16) []byte {
	return append(dst, hexDigit[v>>12], hexDigit[v>>8&0xf], hexDigit[v>>4&0xf], hexDigit[v&0xf])
}

// appendHash12 replaces dst[start:] by the first 12 hexadecimal digits of
// its SHA-256, or by "000000000000" when it is empty.
func appendHash12(dst []byte, start int) []byte {
	if len(dst) == start {
		return append(dst, "000000000000"...)
	}
	sum := sha256.Sum256(dst[start:])
	return hex.AppendEncode(dst[:start], sum[:6])
}

// A valueSource is one of the lists JA4 counts and sorts: cipher suites
// (list), or extension types (ext; all: server_name and ALPN included).
// GREASE values are left out.
type valueSource struct {
	list Uint16List
	ext  Extensions
	all  bool
}

// next returns the value at b[p:] and the position after it, or ok false
// at the end. GREASE values and, unless all, server_name and ALPN are
// skipped.
func (s valueSource) next(p int) (v uint16, q int, ok bool) {
	for {
		if s.ext == nil {
			if len(s.list)-p < 2 {
				return 0, p, false
			}
			v, p = uint16(s.list[p])<<8|uint16(s.list[p+1]), p+2
			if !IsGREASE(v) {
				return v, p, true
			}
			continue
		}
		t, body, ok := extension(s.ext, p)
		if !ok {
			return 0, p, false
		}
		v, p = uint16(t), p+4+len(body)
		if !IsGREASE(v) && (s.all || t != ExtServerName && t != ExtALPN) {
			return v, p, true
		}
	}
}

func (s valueSource) count() int {
	n := 0
	for _, p, ok := s.next(0); ok; _, p, ok = s.next(p) {
		n++
	}
	return n
}

// sortChunk is the size of the array appendSorted sorts in one pass.
const sortChunk = 128

// appendSorted appends the values of s in ascending order, each in four
// hexadecimal digits, joined by ",". It sorts keys value<<32|position
// (unique, so that repeated values are kept) in passes through a
// fixed-size array: each pass keeps the sortChunk smallest keys above
// those of the passes before in a max-heap, sorts them and appends them.
func appendSorted(dst []byte, s valueSource) []byte {
	var heap [sortChunk]uint64
	passed := false // a pass has appended keys up to last
	last := uint64(0)
	for {
		n := 0
		i := uint64(0)
		for v, p, ok := s.next(0); ok; v, p, ok = s.next(p) {
			k := uint64(v)<<32 | i
			i++
			if passed && k <= last {
				continue
			}
			switch {
			case n < sortChunk:
				heap[n] = k
				n++
				siftUp(heap[:n], n-1)
			case k < heap[0]:
				heap[0] = k
				siftDown(heap[:n], 0)
			}
		}
		if n == 0 {
			return dst
		}
		// Heapsort: the max-heap becomes ascending order.
		for end := n - 1; end > 0; end-- {
			heap[0], heap[end] = heap[end], heap[0]
			siftDown(heap[:end], 0)
		}
		for _, k := range heap[:n] {
			if passed {
				dst = append(dst, ',')
			}
			passed = true
			dst = appendHex4(dst, uint16(k>>32))
		}
		last = heap[n-1]
		if n < sortChunk {
			return dst
		}
	}
}

func siftUp(h []uint64, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent] >= h[i] {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func siftDown(h []uint64, i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1] > h[c] {
			c++
		}
		if h[i] >= h[c] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
