package tlshello

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"
)

var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	ecKey    *ecdsa.PrivateKey
	edKey    ed25519.PrivateKey
)

func keys(t testing.TB) {
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
		if ecKey, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
			t.Fatal(err)
		}
		if _, edKey, err = ed25519.GenerateKey(rand.Reader); err != nil {
			t.Fatal(err)
		}
	})
}

// A testCert is a certificate made with crypto/x509, and whether it was
// signed by its own key.
type testCert struct {
	name     string
	der      []byte
	selfSign bool
}

// testCerts makes certificates of several shapes with crypto/x509: RSA,
// ECDSA and Ed25519 keys, self-signed or issued by another, names with
// several attributes, several common names or none, non-ASCII ones,
// validity past 2049 (GeneralizedTime) and before 1970.
func testCerts(t testing.TB) []testCert {
	keys(t)
	cnAttr := func(v any) pkix.AttributeTypeAndValue {
		return pkix.AttributeTypeAndValue{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: v}
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Klinikum CA", Organization: []string{"Klinikum"}},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, ecKey.Public(), ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	make := func(name string, tmpl *x509.Certificate, key crypto.Signer, parent *x509.Certificate, signer crypto.Signer) testCert {
		if tmpl.SerialNumber == nil {
			tmpl.SerialNumber = big.NewInt(1)
		}
		if tmpl.NotBefore.IsZero() {
			tmpl.NotBefore, tmpl.NotAfter = time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC), time.Date(2027, 12, 4, 8, 0, 0, 0, time.UTC)
		}
		if parent == nil {
			parent, signer = tmpl, key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return testCert{name, der, parent == tmpl}
	}
	return []testCert{
		{"CA", caDER, true},
		make("RSA self-signed", &x509.Certificate{Subject: pkix.Name{CommonName: "pacs.example.org", Country: []string{"DE"}}}, rsaKey, nil, nil),
		make("Ed25519 self-signed", &x509.Certificate{Subject: pkix.Name{CommonName: "ris.example.org"}}, edKey, nil, nil),
		make("issued by the CA", &x509.Certificate{SerialNumber: new(big.Int).Lsh(big.NewInt(1), 150),
			Subject:  pkix.Name{CommonName: "lis.example.org", Organization: []string{"Labor"}, OrganizationalUnit: []string{"Hämatologie"}},
			DNSNames: []string{"lis.example.org"}}, rsaKey, ca, ecKey),
		make("no common name", &x509.Certificate{Subject: pkix.Name{Organization: []string{"Modality"}}}, ecKey, nil, nil),
		make("two common names", &x509.Certificate{Subject: pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{cnAttr("first"), cnAttr("second")}}}, ecKey, nil, nil),
		make("non-ASCII", &x509.Certificate{Subject: pkix.Name{CommonName: "Röntgen 病院"}}, ecKey, nil, nil),
		make("GeneralizedTime", &x509.Certificate{Subject: pkix.Name{CommonName: "long"},
			NotBefore: time.Date(1949, 12, 31, 23, 59, 59, 0, time.UTC), NotAfter: time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)}, ecKey, nil, nil),
		make("UTCTime boundaries", &x509.Certificate{Subject: pkix.Name{CommonName: "edges"},
			NotBefore: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC)}, ecKey, nil, nil),
		make("empty subject", &x509.Certificate{DNSNames: []string{"a.example"}}, rsaKey, ca, ecKey),
	}
}

// TestParseCertificateAgainstX509 checks every field against what
// crypto/x509 reads, and SelfSigned against the signature check.
func TestParseCertificateAgainstX509(t *testing.T) {
	certs := testCerts(t)
	certs = append(certs, testCert{"crypto/tls", selfSigned(t).Certificate[0], true})
	for _, s := range readStreams(t) {
		var d Decoder
		d.Feed(s)
		for {
			it, err := d.Next()
			if err != nil {
				break
			}
			if it.Kind == KindCertificate {
				certs = append(certs, testCert{"recorded", bytes.Clone(it.Certificate.Raw), true})
			}
		}
	}
	for _, tc := range certs {
		x, err := x509.ParseCertificate(tc.der)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCertificate(tc.der)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		pub, _ := x509.MarshalPKIXPublicKey(x.PublicKey)
		sum256, sum1 := c.SHA256(), c.SHA1()
		for _, f := range []struct {
			field string
			ok    bool
		}{
			{"Raw", bytes.Equal(c.Raw, x.Raw)},
			{"TBS", bytes.Equal(c.TBS, x.RawTBSCertificate)},
			{"Version", c.Version == x.Version},
			{"SerialNumber", new(big.Int).SetBytes(c.SerialNumber).Cmp(x.SerialNumber) == 0},
			{"Issuer", bytes.Equal(c.Issuer, x.RawIssuer)},
			{"Subject", bytes.Equal(c.Subject, x.RawSubject)},
			{"NotBefore", c.NotBefore.Equal(x.NotBefore) && c.NotBefore.Location() == time.UTC},
			{"NotAfter", c.NotAfter.Equal(x.NotAfter)},
			{"PublicKeyInfo", bytes.Equal(c.PublicKeyInfo, x.RawSubjectPublicKeyInfo) && bytes.Equal(c.PublicKeyInfo, pub)},
			{"Signature", bytes.Equal(c.Signature, x.Signature)},
			{"Subject CN", c.Subject.CommonName().String() == x.Subject.CommonName},
			{"Issuer CN", c.Issuer.CommonName().String() == x.Issuer.CommonName},
			{"SelfSigned", c.SelfSigned() == tc.selfSign},
			{"CheckSelfSignature", (c.CheckSelfSignature() == nil) == tc.selfSign},
			{"SHA256", sum256 == sha256.Sum256(x.Raw)},
			{"SHA1", sum1 == sha1.Sum(x.Raw)},
			{"Extensions", (c.Extensions != nil) == (len(x.Extensions) > 0)},
		} {
			if !f.ok {
				t.Errorf("%s: %s differs from crypto/x509's", tc.name, f.field)
			}
		}
		n := 0
		for it := c.Subject.Iter(); it.Next(); n++ {
		}
		if n != len(x.Subject.Names) {
			t.Errorf("%s: %d subject attributes, crypto/x509 %d", tc.name, n, len(x.Subject.Names))
		}
	}
}

// TestParseCertificateMalformed checks that every prefix and every
// single-byte change of a length or tag of a certificate is an error with
// an offset inside the input, or a certificate that still fits together.
func TestParseCertificateMalformed(t *testing.T) {
	der := testCerts(t)[3].der
	for n := range len(der) {
		_, err := ParseCertificate(der[:n])
		checkCertErr(t, err, n)
	}
	for i := range der {
		for _, v := range []byte{0, 0x7f, 0x80, 0x81, 0x84, 0x85, 0xff, der[i] + 1, der[i] - 1} {
			b := bytes.Clone(der)
			b[i] = v
			c, err := ParseCertificate(b)
			if err != nil {
				checkCertErr(t, err, len(b))
				continue
			}
			if len(c.Raw) != len(b) || len(c.TBS) == 0 {
				t.Fatalf("byte %d = %#x: %+v", i, v, c)
			}
			c.Subject.CommonName().AppendUTF8(nil)
		}
	}
	// Trailing bytes after the certificate.
	_, err := ParseCertificate(append(bytes.Clone(der), 0))
	checkCertErr(t, err, len(der)+1)
}

func checkCertErr(t *testing.T, err error, n int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrCertificate) || e.Offset < 0 || e.Offset > int64(n) {
		t.Fatalf("error %v for %d bytes", err, n)
	}
}

func TestParseTime(t *testing.T) {
	for _, tt := range []struct {
		tag  byte
		s    string
		want string // RFC 3339, "" for the zero time
	}{
		{tagUTCTime, "261204183224Z", "2026-12-04T18:32:24Z"},
		{tagUTCTime, "491231235959Z", "2049-12-31T23:59:59Z"},
		{tagUTCTime, "500101000000Z", "1950-01-01T00:00:00Z"},
		{tagUTCTime, "240229120000Z", "2024-02-29T12:00:00Z"},
		{tagUTCTime, "230229120000Z", ""}, // no February 29th in 2023
		{tagUTCTime, "261304183224Z", ""}, // month 13
		{tagUTCTime, "2612041832Z", ""},   // no seconds
		{tagUTCTime, "261204183224+0100", ""},
		{tagUTCTime, "26120418322aZ", ""},
		{tagGeneralizedTime, "21090123183225Z", "2109-01-23T18:32:25Z"},
		{tagGeneralizedTime, "99991231235959Z", "9999-12-31T23:59:59Z"},
		{tagGeneralizedTime, "20261204183224.5Z", ""},
		{tagGeneralizedTime, "20261204246000Z", ""},
	} {
		b := append([]byte{tt.tag, byte(len(tt.s))}, tt.s...)
		tm, next, ok := parseTime(b, 0)
		got := ""
		if !tm.IsZero() {
			got = tm.Format(time.RFC3339)
		}
		if !ok || next != len(b) || got != tt.want {
			t.Errorf("%s: %q %d %v, want %q", tt.s, got, next, ok, tt.want)
		}
	}
	if _, _, ok := parseTime([]byte{tagInteger, 1, 0}, 0); ok {
		t.Error("an INTEGER as a Time")
	}
}

func TestStringUTF8(t *testing.T) {
	for _, tt := range []struct {
		tag  byte
		in   string
		want string
	}{
		{0x0c, "Röntgen", "Röntgen"},
		{0x13, "PACS 1", "PACS 1"},
		{0x16, "a@b.example", "a@b.example"},
		{tagT61String, "R\xf6ntgen-Ger\xe4t", "Röntgen-Gerät"},
		{tagBMPString, "\x75\xc5\x96\x62\x00 \x00P", "病院 P"},
		{tagBMPString, "\xd8\x3d\xde\x00", "😀"}, // a surrogate pair
		{tagBMPString, "\xd8\x3d\x00a", "\ufffda"},
		{tagBMPString, "\x00a\x00", "a\ufffd"},
		{tagUniversalString, "\x00\x00\x00a\x00\x01\xf6\x00", "a😀"},
		{tagUniversalString, "\x00\x00\x00a\x00", "a\ufffd"},
		{tagUniversalString, "\xff\xff\xff\xff", "\ufffd"},
	} {
		s := String{Tag: tt.tag, Bytes: []byte(tt.in)}
		if got := string(s.AppendUTF8([]byte("x"))); got != "x"+tt.want || s.String() != tt.want {
			t.Errorf("%#x %q: %q, want %q", tt.tag, tt.in, got, tt.want)
		}
	}
}

func TestCertificateAllocs(t *testing.T) {
	der := testCerts(t)[3].der
	buf := make([]byte, 0, 256)
	n := testing.AllocsPerRun(100, func() {
		c, err := ParseCertificate(der)
		if err != nil {
			panic(err)
		}
		buf = c.Subject.CommonName().AppendUTF8(buf[:0])
		buf = c.Issuer.CommonName().AppendUTF8(buf[:0])
		_ = c.SelfSigned()
		_ = c.SHA256()
	})
	if n != 0 {
		t.Errorf("parsing a certificate allocates %v times", n)
	}
}

// TestDecoderCertificates checks Certificate messages: the first
// certificate in place or gathered across records and chunks, error
// offsets inside it, malformed lengths, MaxCertificate, empty lists.
func TestDecoderCertificates(t *testing.T) {
	leaf := testCerts(t)[3].der
	msg := handshakeMsg(TypeCertificate, certList(leaf, testCerts(t)[0].der))
	for _, max := range []int{5, 100, 1 << 14} {
		for _, chunk := range []int{1, 7, 1000, 1 << 20} {
			var d Decoder
			items := decodeAll(t, &d, records(ContentHandshake, max, msg), chunk)
			if len(items) != 1 || !bytes.Contains([]byte(items[0]), []byte(`certificate len=`)) ||
				!bytes.Contains([]byte(items[0]), []byte(`cn="lis.example.org" issuer_cn="Klinikum CA"`)) {
				t.Errorf("records of %d, chunks of %d: %q", max, chunk, items)
			}
		}
	}
	c, _ := ParseCertificate(leaf)
	subject := bytes.Index(leaf, c.Subject)
	bad := bytes.Clone(leaf)
	bad[subject] = tagSet // not a Name
	broken := func(body []byte) []byte { return records(ContentHandshake, 1<<14, handshakeMsg(TypeCertificate, body)) }
	for _, tt := range []struct {
		name   string
		stream []byte
		err    error
		off    int64
	}{
		{"broken certificate", broken(certList(bad)), ErrCertificate, 5 + 4 + 6 + int64(subject)},
		{"list length", broken(append([]byte{0, 0, 9}, certList(leaf)[3:]...)), ErrCertificate, 5},
		{"certificate longer than the list", broken(append(append([]byte{0, 0, 3}, 0, 0, 4), 0)), ErrCertificate, 5},
		{"empty certificate", broken([]byte{0, 0, 3, 0, 0, 0}), ErrCertificate, 5},
		{"two bytes", broken([]byte{0, 0}), ErrCertificate, 5},
		{"no body", broken(nil), ErrCertificate, 5},
		{"too large", broken(certList(make([]byte, DefaultMaxCertificate+1))), ErrTooLarge, 5},
	} {
		var d Decoder
		items, errs := decodeErrs(&d, tt.stream)
		if len(items) != 0 || len(errs) != 1 {
			t.Errorf("%s: %v %v", tt.name, items, errs)
			continue
		}
		var e *Error
		if !errors.As(errs[0], &e) || !errors.Is(e, tt.err) || e.Offset != tt.off {
			t.Errorf("%s: %v", tt.name, errs[0])
		}
	}
	// A client without a certificate sends an empty list.
	var d Decoder
	items, errs := decodeErrs(&d, broken([]byte{0, 0, 0}))
	if len(errs) != 0 || len(items) != 1 || items[0].Kind != KindHandshake || items[0].Type != TypeCertificate {
		t.Errorf("empty list: %v %v", items, errs)
	}
	// MaxCertificate.
	d = Decoder{MaxCertificate: len(leaf) - 1}
	if _, errs := decodeErrs(&d, records(ContentHandshake, 1<<14, msg)); len(errs) != 1 || !errors.Is(errs[0], ErrTooLarge) {
		t.Errorf("MaxCertificate: %v", errs)
	}
}

func BenchmarkParseCertificate(b *testing.B) {
	der := testCerts(b)[3].der
	b.SetBytes(int64(len(der)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := ParseCertificate(der)
		if err != nil {
			b.Fatal(err)
		}
		_ = c.Subject.CommonName()
	}
}
