// Package tlsflow is the flow adapter for TLS: importing it registers
// protocol "tls" with package flow. Encrypted flows are recognised from
// their handshake, which is in clear text up to the ServerHello, decoded
// by [tlshello.Decoder]; after the first hello of a direction the adapter
// ignores it. [flow.Config.MaxMessageBytes] caps a buffered handshake
// message (default [tlshello.DefaultMaxHandshake], 16 KiB).
package tlsflow

import (
	"errors"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/tlshello"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "tls"

// The kinds of event the adapter emits, with their Detail.
const (
	// KindClientHello: server_name (SNI), the versions offered, ALPN, and
	// "service" when the server port is a known port of a protocol run
	// over TLS (2762: DICOM, 2575/6661 over TLS: HL7, 443: https). [*Hello]
	KindClientHello flow.Kind = "client-hello"
	// KindServerHello: the version and cipher suite chosen. [*Hello]
	KindServerHello flow.Kind = "server-hello"
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

// AppendJSON implements [flow.Detail]: server_name, the versions offered
// (client; GREASE values left out) or chosen (server), alpn, the cipher
// chosen (server) and service.
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

// decoder follows the handshake of each direction up to its first hello.
type decoder struct {
	dec   [2]tlshello.Decoder
	done  [2]bool
	hello Hello
}

func (d *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	if d.done[dir&1] {
		return
	}
	t := &d.dec[dir&1]
	t.MaxHandshake = c.MaxMessageBytes() // 0: tlshello's default
	t.Feed(data)
	d.drain(c, dir)
}

// drain reports the first hello of dir, or what stops it; the direction
// is then done and its bytes ignored.
func (d *decoder) drain(c *flow.Context, dir flow.Dir) {
	t := &d.dec[dir&1]
	for !d.done[dir&1] {
		it, err := t.Next()
		switch {
		case err == tlshello.ErrNeedMore:
			return
		case errors.Is(err, tlshello.ErrTruncated):
			// A hello cut by a gap or the end of the flow: nothing to say.
		case err != nil:
			c.DecodeError(dir, err)
			d.finish(dir)
		case it.Kind == tlshello.KindClientHello:
			d.hello = Hello{Client: it.ClientHello, Service: service(c.Flow().Server().Port())}
			c.Emit(dir, KindClientHello, &d.hello)
			d.hello = Hello{}
			d.finish(dir)
		case it.Kind == tlshello.KindServerHello:
			d.hello = Hello{Server: it.ServerHello}
			c.Emit(dir, KindServerHello, &d.hello)
			d.hello = Hello{}
			d.finish(dir)
		case it.Kind == tlshello.KindEncrypted:
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
