package tlshello_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"

	"github.com/medtap/medtap/netproto/tlshello"
)

// A TLS 1.3 ClientHello body: cipher suites GREASE, TLS_AES_128_GCM_SHA256
// and TLS_AES_256_GCM_SHA384, then server_name, ALPN and supported_versions.
var clientHello, _ = hex.DecodeString("0303" + // legacy_version TLS 1.2
	"0000000000000000000000000000000000000000000000000000000000000000" + // random
	"00" + // legacy_session_id
	"0006" + "1a1a13011302" + // cipher_suites
	"0100" + // compression_methods
	"0030" + // extensions
	"0000" + "0015" + "0013" + "00" + "0010" + "706163732e6578616d706c652e6f7267" + // server_name pacs.example.org
	"0010" + "0008" + "0006" + "05" + "6469636f6d" + // ALPN dicom
	"002b" + "0007" + "06" + "3a3a03040303") // supported_versions GREASE, TLS 1.3, TLS 1.2

func ExampleParseClientHello() {
	h, err := tlshello.ParseClientHello(clientHello)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("server name %s, ALPN %s, up to %v\n", h.ServerName, h.ALPN.First(), h.MaxVersion())
	it := h.CipherSuites.Iter()
	for it.Next() {
		if c := it.Value(); !tlshello.IsGREASE(c) {
			fmt.Printf("cipher suite %#04x\n", c)
		}
	}
	// Output:
	// server name pacs.example.org, ALPN dicom, up to TLS 1.3
	// cipher suite 0x1301
	// cipher suite 0x1302
}

func ExampleDecoder() {
	// A handshake record holding the ClientHello, then a ChangeCipherSpec
	// record, as two TCP segments cut inside the hello.
	record := append([]byte{0x16, 3, 1, 0, 4 + byte(len(clientHello)), 1, 0, 0, byte(len(clientHello))}, clientHello...)
	stream := append(record, 0x14, 3, 3, 0, 1, 1)
	var d tlshello.Decoder
	for _, segment := range [][]byte{stream[:40], stream[40:]} {
		d.Feed(segment)
		for {
			it, err := d.Next()
			if err == tlshello.ErrNeedMore {
				break
			}
			if err != nil {
				fmt.Println(err)
				continue
			}
			switch it.Kind {
			case tlshello.KindClientHello:
				fmt.Printf("%d: ClientHello for %s\n", it.Offset, it.ClientHello.ServerName)
			case tlshello.KindEncrypted:
				fmt.Printf("%d: %v, encrypted from here\n", it.Offset, it.Record)
			default:
				fmt.Printf("%d: %v\n", it.Offset, it.Type)
			}
		}
	}
	// Output:
	// 5: ClientHello for pacs.example.org
	// 104: change_cipher_spec, encrypted from here
}

func ExampleSniff() {
	fmt.Println(tlshello.Sniff([]byte{0x16, 0x03, 0x01, 0x00, 0x63, 0x01, 0x00, 0x00, 0x5f}))
	fmt.Println(tlshello.Sniff([]byte("GET / HTTP/1.1\r\n")))
	// Output:
	// true
	// false
}

func ExampleClientHello_AppendJA4() {
	h, err := tlshello.ParseClientHello(clientHello)
	if err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, 0, 256) // reused: the fingerprints allocate nothing
	buf = h.AppendJA3(buf[:0])
	fmt.Printf("JA3 %s\n", buf)
	fmt.Printf("JA3 string %s\n", h.AppendJA3Full(buf[:0]))
	fmt.Printf("JA4 %s\n", h.AppendJA4(buf[:0]))
	fmt.Printf("JA4_r %s\n", h.AppendJA4Raw(buf[:0]))
	// Output:
	// JA3 1dae9c1bb9ff5e63c969a12a81eed58d
	// JA3 string 771,4865-4866,0-16-43,,
	// JA4 t13d0203dm_62ed6f6ca7ad_b9a491fefe05
	// JA4_r t13d0203dm_1301,1302_002b
}

func ExampleParseCertificate() {
	// A self-signed certificate as a device might present it (made here
	// with crypto/x509; in a capture it comes from a Decoder's
	// KindCertificate item).
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Röntgen 3", Organization: []string{"Radiologie"}},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		fmt.Println(err)
		return
	}

	c, err := tlshello.ParseCertificate(der)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("subject CN %s, issuer CN %s, self-signed %v\n", c.Subject.CommonName(), c.Issuer.CommonName(), c.SelfSigned())
	fmt.Printf("valid %s to %s\n", c.NotBefore.Format(time.DateOnly), c.NotAfter.Format(time.DateOnly))
	for it := c.Subject.Iter(); it.Next(); {
		fmt.Printf("attribute %x: %s\n", it.Type(), it.Value())
	}
	fmt.Println("signature checks:", c.CheckSelfSignature() == nil)
	// Output:
	// subject CN Röntgen 3, issuer CN Röntgen 3, self-signed true
	// valid 2026-01-01 to 2036-01-01
	// attribute 55040a: Radiologie
	// attribute 550403: Röntgen 3
	// signature checks: true
}
