// Package tlsflow is the flow adapter for TLS: importing it registers
// protocol "tls" with package flow. Encrypted flows are recognised from
// their handshake, decoded by [tlshello.Decoder]: the hellos with their
// JA3, JA3S and JA4 fingerprints, and in TLS 1.2 and before, whose
// handshake is in clear text up to the ChangeCipherSpec, the certificate
// each side sends. A direction is ignored once what it can tell has been
// reported: after a TLS 1.3 ServerHello, after the certificate, or from
// its ChangeCipherSpec or first application-data record on.
// [flow.Config.MaxMessageBytes] caps a buffered hello or certificate
// (default [tlshello.DefaultMaxHandshake] and
// [tlshello.DefaultMaxCertificate], 16 KiB each).
package tlsflow

import (
	"errors"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/tlshello"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "tls"

// The kinds of event the adapter emits, with their Detail.
const (
	// KindClientHello: the server name (SNI), the versions offered, ALPN,
	// "service" when the server port is a known port of a protocol run
	// over TLS (2762: DICOM, 2575/6661 over TLS: HL7, 443: https), and the
	// JA3 and JA4 fingerprints. [*Hello]
	KindClientHello flow.Kind = "client-hello"
	// KindServerHello: the version and cipher suite chosen, ALPN, and the
	// JA3S fingerprint. [*Hello]
	KindServerHello flow.Kind = "server-hello"
	// KindCertificate: the certificate a server (or a client asked for
	// one) sends in TLS 1.2 and before, the first of its Certificate
	// message: subject and issuer common names, validity, whether it is
	// self-signed, SHA-256 fingerprint. [*Certificate]
	KindCertificate flow.Kind = "certificate"
	// Malformed handshakes are reported as [flow.KindError].
)

func init() {
	flow.Register(flow.Protocol{
		Name: Name, Transport: flow.TCP, Ports: []uint16{2762},
		Match: tlshello.Sniff,
		New:   func() flow.Decoder { return new(decoder) },
	})
}

// Hello is the Detail of [KindClientHello] and [KindServerHello] events:
// the parsed hello (Client or Server, the other nil), valid only during
// the event.
type Hello struct {
	Client  *tlshello.ClientHello
	Server  *tlshello.ServerHello
	Service string // protocol expected on the server port, "" when unknown
}

// AppendJSON implements [flow.Detail]. A ClientHello writes server_name,
// the versions offered (GREASE values left out), alpn (the protocols
// offered), service, then sni (the same server name as server_name, which
// stays for compatibility), ja3 (the MD5, as Wireshark's
// tls.handshake.ja3), ja3_full (the string hashed, Wireshark's
// tls.handshake.ja3_full) and ja4 (FoxIO's JA4). A ServerHello writes the
// version chosen as versions, alpn (the protocol chosen), cipher
// ("0xc02f"), then ja3s and ja3s_full (Wireshark's tls.handshake.ja3s and
// ja3s_full). Fields without a value (no server name, no ALPN) are left
// out.
func (h *Hello) AppendJSON(dst []byte) []byte {
	var alpn tlshello.ProtocolList
	if c := h.Client; c != nil {
		if len(c.ServerName) > 0 {
			dst = flow.AppendBytes(dst, "server_name", c.ServerName)
		}
		dst = append(dst, `,"versions":[`...)
		if c.SupportedVersions != nil {
			n := 0
			for it := c.SupportedVersions.Iter(); it.Next(); {
				if v := it.Value(); !tlshello.IsGREASE(v) {
					dst = appendVersion(dst, n, tlshello.Version(v))
					n++
				}
			}
		} else {
			dst = appendVersion(dst, 0, c.Version)
		}
		dst = append(dst, ']')
		alpn = c.ALPN
	} else if sh := h.Server; sh != nil {
		dst = append(dst, `,"versions":[`...)
		dst = appendVersion(dst, 0, sh.SelectedVersion())
		dst = append(dst, ']')
		alpn = sh.ALPN
	}
	if len(alpn) > 0 {
		dst = append(dst, `,"alpn":[`...)
		for i, it := 0, alpn.Iter(); it.Next(); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = flow.AppendQuotedBytes(dst, it.Bytes())
		}
		dst = append(dst, ']')
	}
	if sh := h.Server; sh != nil {
		c := sh.CipherSuite
		dst = append(dst, `,"cipher":"0x`...)
		dst = append(dst, hexDigits[c>>12], hexDigits[c>>8&0xf], hexDigits[c>>4&0xf], hexDigits[c&0xf], '"')
	}
	if h.Service != "" {
		dst = flow.AppendString(dst, "service", h.Service)
	}
	if c := h.Client; c != nil {
		if len(c.ServerName) > 0 {
			dst = flow.AppendBytes(dst, "sni", c.ServerName)
		}
		// The fingerprints are digits, letters, "_", "," and "-": no
		// escaping.
		dst = append(flow.AppendKey(dst, "ja3"), '"')
		dst = append(c.AppendJA3(dst), '"')
		dst = append(flow.AppendKey(dst, "ja3_full"), '"')
		dst = append(c.AppendJA3Full(dst), '"')
		dst = append(flow.AppendKey(dst, "ja4"), '"')
		dst = append(c.AppendJA4(dst), '"')
	} else if sh := h.Server; sh != nil {
		dst = append(flow.AppendKey(dst, "ja3s"), '"')
		dst = append(sh.AppendJA3S(dst), '"')
		dst = append(flow.AppendKey(dst, "ja3s_full"), '"')
		dst = append(sh.AppendJA3SFull(dst), '"')
	}
	return dst
}

func appendVersion(dst []byte, i int, v tlshello.Version) []byte {
	if i > 0 {
		dst = append(dst, ',')
	}
	return flow.AppendQuoted(dst, v.String())
}

const hexDigits = "0123456789abcdef"

// Identify implements [flow.Identifier]: the server name a client asks
// for names the server.
func (h *Hello) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if h.Client != nil && len(h.Client.ServerName) > 0 {
		yield(flow.Identity{Source: false, Kind: "tls", Name: h.Client.ServerName})
	}
}

// Certificate is the Detail of [KindCertificate] events: the certificate,
// valid only during the event.
type Certificate struct {
	Cert *tlshello.Certificate
}

// AppendJSON implements [flow.Detail]: subject_cn and issuer_cn (as UTF-8;
// left out when the name has no commonName), not_before and not_after (RFC
// 3339, UTC; left out when not in RFC 5280's form), self_signed (the
// subject and issuer names are the same; the signature is not checked)
// and sha256 (the certificate's fingerprint in lower-case hexadecimal).
func (c *Certificate) AppendJSON(dst []byte) []byte {
	x := c.Cert
	dst = c.appendName(dst, "subject_cn", x.Subject)
	dst = c.appendName(dst, "issuer_cn", x.Issuer)
	dst = appendTime(dst, "not_before", x.NotBefore)
	dst = appendTime(dst, "not_after", x.NotAfter)
	dst = flow.AppendBool(dst, "self_signed", x.SelfSigned())
	sum := x.SHA256()
	dst = append(flow.AppendKey(dst, "sha256"), '"')
	for _, b := range sum {
		dst = append(dst, hexDigits[b>>4], hexDigits[b&0xf])
	}
	return append(dst, '"')
}

func (c *Certificate) appendName(dst []byte, key string, n tlshello.Name) []byte {
	var buf [256]byte // most names fit: no allocation
	return flow.AppendNonEmpty(dst, key, n.CommonName().AppendUTF8(buf[:0]))
}

func appendTime(dst []byte, key string, t time.Time) []byte {
	if t.IsZero() {
		return dst
	}
	dst = append(flow.AppendKey(dst, key), '"')
	dst = t.UTC().AppendFormat(dst, time.RFC3339)
	return append(dst, '"')
}

// Identify implements [flow.Identifier]: the subject's common name names
// the sender of the certificate (the server, or a client that sends one)
// as a host.
func (c *Certificate) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if cn := c.Cert.Subject.CommonName().AppendUTF8(buf); len(cn) > len(buf) {
		yield(flow.Identity{Source: true, Kind: "host", Name: cn[len(buf):]})
	}
}

// service names the protocol usually run over TLS on a server port.
func service(port uint16) string {
	switch port {
	case 2762:
		return "dicom"
	case 2575, 6661:
		return "hl7"
	case 443:
		return "https"
	}
	return ""
}

// decoder follows the handshake of each direction until it has told what
// it can: the hellos, and the certificates of TLS 1.2 and before.
type decoder struct {
	dec   [2]tlshello.Decoder
	done  [2]bool
	hello Hello
	cert  Certificate
}

func (d *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	if d.done[dir&1] {
		return
	}
	t := &d.dec[dir&1]
	t.MaxHandshake = c.MaxMessageBytes() // 0: tlshello's default
	t.MaxCertificate = c.MaxMessageBytes()
	t.Feed(data)
	d.drain(c, dir)
}

// drain reports the hellos and the certificate of dir, and ends the
// direction (its bytes are then ignored) when nothing more can come in
// clear text: at a TLS 1.3 ServerHello (not at a HelloRetryRequest, after
// which the second hellos are reported too), after the certificate, at the
// messages that follow it (ServerHelloDone, ClientKeyExchange) and at the
// first encrypted record.
func (d *decoder) drain(c *flow.Context, dir flow.Dir) {
	t := &d.dec[dir&1]
	for !d.done[dir&1] {
		it, err := t.Next()
		switch {
		case err == tlshello.ErrNeedMore:
			return
		case errors.Is(err, tlshello.ErrTruncated):
			// A message cut by a gap or the end of the flow: nothing to say.
		case err != nil:
			c.DecodeError(dir, err)
			d.finish(dir)
		case it.Kind == tlshello.KindClientHello:
			d.hello = Hello{Client: it.ClientHello, Service: service(c.Flow().Server().Port())}
			c.Emit(dir, KindClientHello, &d.hello)
			d.hello = Hello{}
		case it.Kind == tlshello.KindServerHello:
			sh := it.ServerHello
			d.hello = Hello{Server: sh}
			c.Emit(dir, KindServerHello, &d.hello)
			d.hello = Hello{}
			if v := sh.SelectedVersion(); v >= tlshello.VersionTLS13 {
				// The client's ChangeCipherSpec is a dummy, followed by a
				// second ClientHello after a HelloRetryRequest.
				d.dec[dir.Reverse()&1].SetVersion(v)
				if !sh.IsHelloRetryRequest() {
					d.finish(dir) // the rest of the handshake is encrypted
				}
			}
		case it.Kind == tlshello.KindCertificate:
			d.cert.Cert = it.Certificate
			c.Emit(dir, KindCertificate, &d.cert)
			d.cert.Cert = nil
			d.finish(dir)
		case it.Kind == tlshello.KindEncrypted,
			it.Type == tlshello.TypeServerHelloDone, it.Type == tlshello.TypeClientKeyExchange:
			d.finish(dir)
		}
	}
}

func (d *decoder) finish(dir flow.Dir) {
	d.done[dir&1] = true
	d.dec[dir&1].Reset()
}

func (d *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {
	if !d.done[dir&1] {
		d.dec[dir&1].Gap(n)
		d.drain(c, dir)
	}
}

func (d *decoder) Close(c *flow.Context) {
	for dir := flow.ClientToServer; dir <= flow.ServerToClient; dir++ {
		if !d.done[dir] {
			d.dec[dir].Flush()
			d.drain(c, dir)
		}
	}
}

// Buffered implements [flow.BufferedDecoder].
func (d *decoder) Buffered() int { return d.dec[0].Buffered() + d.dec[1].Buffered() }
