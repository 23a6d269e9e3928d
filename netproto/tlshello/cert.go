package tlshello

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Certificate is an X.509 certificate (RFC 5280 4.1) read as far as
// telling who it names, who issued it and when it is valid. Its slices are
// views into the DER given to [ParseCertificate], valid as long as those
// bytes are.
type Certificate struct {
	Raw                 []byte // the whole certificate, DER
	TBS                 []byte // tbsCertificate, DER: what the signature covers
	Version             int    // 1, 2 or 3
	SerialNumber        []byte // the INTEGER's contents: big-endian two's complement
	Issuer              Name
	NotBefore, NotAfter time.Time // UTC; zero when the field is not in RFC 5280's form (see ParseCertificate)
	Subject             Name
	PublicKeyInfo       []byte // subjectPublicKeyInfo, DER
	PublicKeyAlgorithm  []byte // the algorithm OBJECT IDENTIFIER's contents (2a864886f70d010101: RSA)
	Extensions          []byte // the contents of the extensions SEQUENCE; nil without one
	SignatureAlgorithm  []byte // the OBJECT IDENTIFIER's contents (2a864886f70d01010b: SHA-256 with RSA)
	Signature           []byte // signatureValue without its unused-bits byte
}

// ParseCertificate parses a DER certificate, which must fill der. It checks
// the structure of the certificate, of tbsCertificate up to its
// extensions (whose contents it does not read), and of the issuer and
// subject names down to every attribute, so that iterating over a name
// cannot fail. Validity times in RFC 5280's form, UTCTime
// YYMMDDHHMMSSZ (years 1950 to 2049) or GeneralizedTime
// YYYYMMDDHHMMSSZ, are read into NotBefore and NotAfter; a time in another
// form leaves the field zero. Anything else is an [*Error] wrapping
// [ErrCertificate] with the offset in der. It does not allocate.
func ParseCertificate(der []byte) (Certificate, error) {
	var c Certificate
	if off, ok := c.parse(der); !ok {
		return Certificate{}, &Error{Offset: int64(off), Err: ErrCertificate}
	}
	return c, nil
}

// ASN.1 tags (class, constructed bit and number, one byte) that
// certificates use.
const (
	tagInteger         = 0x02
	tagBitString       = 0x03
	tagOID             = 0x06
	tagUTCTime         = 0x17
	tagGeneralizedTime = 0x18
	tagSequence        = 0x30
	tagSet             = 0x31
	tagVersion         = 0xa0 // [0] EXPLICIT
	tagIssuerUID       = 0x81 // [1] IMPLICIT
	tagSubjectUID      = 0x82 // [2] IMPLICIT
	tagExtensions      = 0xa3 // [3] EXPLICIT
)

// parse fills c from der; on failure it returns the offset of the element
// at fault.
func (c *Certificate) parse(der []byte) (int, bool) {
	*c = Certificate{}
	body, end, ok := element(der, 0, tagSequence)
	if !ok || end != len(der) {
		return 0, false
	}
	c.Raw = der
	p := len(der) - len(body)
	tbsStart := p
	tbs, next, ok := element(der, p, tagSequence)
	if !ok {
		return p, false
	}
	c.TBS = der[tbsStart:next]
	if off, ok := c.parseTBS(der, next, next-len(tbs)); !ok {
		return off, false
	}
	p = next
	if c.SignatureAlgorithm, next, ok = firstOf(der, p, tagSequence, tagOID); !ok {
		return p, false
	}
	p = next
	sig, next, ok := element(der, p, tagBitString)
	if !ok || len(sig) == 0 || next != len(der) {
		return p, false
	}
	c.Signature = sig[1:]
	return 0, true
}

// parseTBS reads the contents of tbsCertificate, der[p:end].
func (c *Certificate) parseTBS(der []byte, end, p int) (int, bool) {
	tbs := der[:end]
	c.Version = 1
	if p < end && tbs[p] == tagVersion {
		v, next, ok := element(tbs, p, tagVersion)
		if !ok {
			return p, false
		}
		n, _, ok := element(v, 0, tagInteger)
		if !ok || len(n) != 1 || n[0] > 2 {
			return p, false
		}
		c.Version = int(n[0]) + 1
		p = next
	}
	var ok bool
	next := p
	if c.SerialNumber, next, ok = element(tbs, p, tagInteger); !ok || len(c.SerialNumber) == 0 {
		return p, false
	}
	p = next
	if _, next, ok = element(tbs, p, tagSequence); !ok { // signature: the algorithm again
		return p, false
	}
	p = next
	if next, ok = c.Issuer.parse(tbs, p); !ok {
		return p, false
	}
	p = next
	validity, next, ok := element(tbs, p, tagSequence)
	if !ok {
		return p, false
	}
	vp := next - len(validity)
	var q int
	if c.NotBefore, q, ok = parseTime(validity, 0); !ok {
		return vp, false
	}
	if c.NotAfter, q, ok = parseTime(validity, q); !ok || q != len(validity) {
		return vp + q, false
	}
	p = next
	if next, ok = c.Subject.parse(tbs, p); !ok {
		return p, false
	}
	p = next
	spki, next, ok := element(tbs, p, tagSequence)
	if !ok {
		return p, false
	}
	c.PublicKeyInfo = tbs[p:next]
	if c.PublicKeyAlgorithm, _, ok = firstOf(spki, 0, tagSequence, tagOID); !ok {
		return p, false
	}
	p = next
	for _, tag := range [...]byte{tagIssuerUID, tagSubjectUID} {
		if p < end && tbs[p] == tag {
			if _, next, ok = element(tbs, p, tag); !ok {
				return p, false
			}
			p = next
		}
	}
	if p < end && tbs[p] == tagExtensions {
		if c.Extensions, next, ok = firstOf(tbs, p, tagExtensions, tagSequence); !ok {
			return p, false
		}
		p = next
	}
	if p != end {
		return p, false
	}
	return 0, true
}

// element returns the contents of the DER element at b[p:], which must
// have the given tag, and the offset after it. Lengths are definite, of
// at most four bytes.
func element(b []byte, p int, tag byte) (contents []byte, next int, ok bool) {
	t, contents, next, ok := anyElement(b, p)
	if !ok || t != tag {
		return nil, p, false
	}
	return contents, next, true
}

// firstOf returns the contents of the first element, of tag inner, of the
// element at b[p:], of tag outer, and the offset after the outer one.
func firstOf(b []byte, p int, outer, inner byte) (contents []byte, next int, ok bool) {
	o, next, ok := element(b, p, outer)
	if !ok {
		return nil, p, false
	}
	if contents, _, ok = element(o, 0, inner); !ok {
		return nil, p, false
	}
	return contents, next, true
}

// anyElement returns the tag and contents of the DER element at b[p:]
// and the offset after it. High tag numbers (31 and above) are not
// accepted: X.509 has none.
func anyElement(b []byte, p int) (tag byte, contents []byte, next int, ok bool) {
	if p < 0 || len(b)-p < 2 || b[p]&0x1f == 0x1f {
		return 0, nil, p, false
	}
	tag = b[p]
	n := int(b[p+1])
	q := p + 2
	if n >= 0x80 {
		k := n & 0x7f
		if k == 0 || k > 4 || len(b)-q < k {
			return 0, nil, p, false
		}
		n = 0
		for _, c := range b[q : q+k] {
			n = n<<8 | int(c)
		}
		q += k
	}
	if n > len(b)-q {
		return 0, nil, p, false
	}
	return tag, b[q : q+n], q + n, true
}

// parseTime reads the Time at b[p:]: a UTCTime or GeneralizedTime. ok is
// false when the element is neither; t is zero when its contents are not
// in RFC 5280's form.
func parseTime(b []byte, p int) (t time.Time, next int, ok bool) {
	tag, s, next, ok := anyElement(b, p)
	if !ok || tag != tagUTCTime && tag != tagGeneralizedTime {
		return time.Time{}, p, false
	}
	var year int
	if tag == tagUTCTime {
		if len(s) != 13 {
			return time.Time{}, next, true
		}
		yy, ok := digits(s[:2])
		if !ok {
			return time.Time{}, next, true
		}
		year = 1900 + yy
		if yy < 50 {
			year = 2000 + yy
		}
		s = s[2:]
	} else {
		if len(s) != 15 {
			return time.Time{}, next, true
		}
		var ok bool
		if year, ok = digits(s[:4]); !ok {
			return time.Time{}, next, true
		}
		s = s[4:]
	}
	// s: MMDDHHMMSSZ
	var f [5]int
	for i := range f {
		v, ok := digits(s[2*i : 2*i+2])
		if !ok {
			return time.Time{}, next, true
		}
		f[i] = v
	}
	month, day, hour, minute, sec := f[0], f[1], f[2], f[3], f[4]
	if s[10] != 'Z' || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, next, true
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // February 30th
		return time.Time{}, next, true
	}
	return t, next, true
}

// digits returns the decimal number in s, all of whose bytes must be
// digits.
func digits(s []byte) (int, bool) {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// SelfSigned reports whether the certificate's issuer and subject are the
// same name, byte for byte: it names itself as its issuer, as self-signed
// certificates (and roots) do. It does not check the signature; see
// [Certificate.CheckSelfSignature].
func (c *Certificate) SelfSigned() bool {
	return len(c.Subject) > 0 && bytes.Equal(c.Issuer, c.Subject)
}

// CheckSelfSignature verifies the certificate's signature with its own
// public key, through crypto/x509: nil means the certificate was signed by
// the key it carries. Unlike the rest of this package it allocates and
// takes tens of microseconds (a signature verification), and it returns an
// error for what crypto/x509 does not parse or verify (MD5 and SHA-1
// signatures among them).
func (c *Certificate) CheckSelfSignature() error {
	x, err := x509.ParseCertificate(c.Raw)
	if err != nil {
		return err
	}
	return x.CheckSignature(x.SignatureAlgorithm, x.RawTBSCertificate, x.Signature)
}

// SHA256 returns the SHA-256 fingerprint of the certificate (of Raw).
func (c *Certificate) SHA256() [sha256.Size]byte { return sha256.Sum256(c.Raw) }

// SHA1 returns the SHA-1 fingerprint of the certificate (of Raw).
func (c *Certificate) SHA1() [sha1.Size]byte { return sha1.Sum(c.Raw) }

// Name is an X.509 distinguished name as the certificate carries it: the
// DER of a SEQUENCE of relative distinguished names (SETs of attribute
// type and value), in the certificate's order, most significant first
// (C=DE, O=..., CN=...). Two names are the same name when their bytes are
// equal (RFC 5280 7.1 allows more matches, which certificates that name
// their issuer do not need).
type Name []byte

// parse checks the Name at b[p:] down to every attribute, makes n its
// DER, and returns the offset after it.
func (n *Name) parse(b []byte, p int) (int, bool) {
	rdns, next, ok := element(b, p, tagSequence)
	if !ok {
		return p, false
	}
	for q := 0; q < len(rdns); {
		set, qn, ok := element(rdns, q, tagSet)
		if !ok {
			return p, false
		}
		for r := 0; r < len(set); {
			atv, rn, ok := element(set, r, tagSequence)
			if !ok {
				return p, false
			}
			_, vn, ok := element(atv, 0, tagOID)
			if !ok {
				return p, false
			}
			if _, _, end, ok := anyElement(atv, vn); !ok || end != len(atv) {
				return p, false
			}
			r = rn
		}
		q = qn
	}
	*n = b[p:next]
	return next, true
}

// oidCommonName is the contents of id-at-commonName, 2.5.4.3.
const oidCommonName = "\x55\x04\x03"

// CommonName returns the value of the name's commonName (2.5.4.3)
// attribute: the last one when there are several (the most specific, as
// RFC 6125 6.4.4 and crypto/x509 take it), a zero String when there is
// none.
func (n Name) CommonName() String {
	var cn String
	for it := n.Iter(); it.Next(); {
		if string(it.Type()) == oidCommonName {
			cn = it.Value()
		}
	}
	return cn
}

// Iter returns an iterator over the attributes of the name, in the
// certificate's order.
func (n Name) Iter() NameIter {
	rdns, _, _ := element(n, 0, tagSequence)
	return NameIter{rest: rdns}
}

// NameIter steps through the attributes of a [Name]:
//
//	it := cert.Subject.Iter()
//	for it.Next() {
//		oid, v := it.Type(), it.Value()
//	}
type NameIter struct {
	rest, set []byte
	typ       []byte
	val       String
}

// Next advances to the next attribute and reports whether there is one.
func (it *NameIter) Next() bool {
	for len(it.set) == 0 {
		set, next, ok := element(it.rest, 0, tagSet)
		if !ok {
			return false
		}
		it.set, it.rest = set, it.rest[next:]
	}
	atv, next, ok := element(it.set, 0, tagSequence)
	if !ok {
		it.set, it.rest = nil, nil
		return false
	}
	it.set = it.set[next:]
	oid, vn, ok := element(atv, 0, tagOID)
	if !ok {
		return false
	}
	tag, v, _, ok := anyElement(atv, vn)
	if !ok {
		return false
	}
	it.typ, it.val = oid, String{Tag: tag, Bytes: v}
	return true
}

// Type returns the current attribute's type: the contents of its OBJECT
// IDENTIFIER ("\x55\x04\x03" for commonName).
func (it *NameIter) Type() []byte { return it.typ }

// Value returns the current attribute's value.
func (it *NameIter) Value() String { return it.val }

// Err returns nil: [ParseCertificate] checks every attribute of the names
// it returns. It is there so that loops read like those over other medtap
// iterators.
func (it *NameIter) Err() error { return nil }

// String is an attribute value of a [Name]: its ASN.1 tag and contents,
// a view into the certificate. Directory strings (RFC 5280
// DirectoryString and the IA5String of emailAddress) are the usual ones.
type String struct {
	Tag   byte // the element's tag: 0x0c UTF8String, 0x13 PrintableString, 0x14 T61String, 0x16 IA5String, 0x1e BMPString, ...
	Bytes []byte
}

// ASN.1 string tags String.AppendUTF8 converts.
const (
	tagT61String       = 0x14
	tagUniversalString = 0x1c
	tagBMPString       = 0x1e
)

// AppendUTF8 appends the value as UTF-8: BMPString (UTF-16) and
// UniversalString (UTF-32) are converted, T61String is read as ISO 8859-1
// (as crypto/x509 and OpenSSL write it; Wireshark applies the T.61
// character set instead, which differs above 0x7f), and every other type
// is appended as it is. Invalid code units become U+FFFD.
func (s String) AppendUTF8(dst []byte) []byte {
	b := s.Bytes
	switch s.Tag {
	case tagT61String:
		for _, c := range b {
			dst = utf8.AppendRune(dst, rune(c))
		}
		return dst
	case tagBMPString:
		for i := 0; i+1 < len(b); i += 2 {
			r := rune(b[i])<<8 | rune(b[i+1])
			if utf16.IsSurrogate(r) && i+3 < len(b) {
				if r2 := rune(b[i+2])<<8 | rune(b[i+3]); utf16.DecodeRune(r, r2) != utf8.RuneError {
					r = utf16.DecodeRune(r, r2)
					i += 2
				}
			}
			dst = utf8.AppendRune(dst, r) // a lone surrogate becomes U+FFFD
		}
		if len(b)%2 != 0 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
		return dst
	case tagUniversalString:
		for i := 0; i+3 < len(b); i += 4 {
			dst = utf8.AppendRune(dst, rune(uint32(b[i])<<24|uint32(b[i+1])<<16|uint32(b[i+2])<<8|uint32(b[i+3])))
		}
		if len(b)%4 != 0 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
		return dst
	}
	return append(dst, b...)
}

// String returns the value as UTF-8 (see AppendUTF8); it allocates.
func (s String) String() string { return string(s.AppendUTF8(nil)) }
