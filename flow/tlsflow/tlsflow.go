// Package tlsflow is the flow adapter for TLS: importing it registers
// protocol "tls" with package flow. Encrypted flows are recognised from
// their handshake, which is in clear text up to the ServerHello; after it
// the decoder ignores the flow. At most 16 KiB of a handshake message are
// buffered per direction.
package tlsflow

import (
	"encoding/binary"
	"errors"
	"strconv"

	"github.com/medtap/medtap/flow"
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
		Match: func(data []byte) bool {
			// A handshake record holding a ClientHello (or a ServerHello
			// when the capture starts after the client's first segment).
			return len(data) >= 6 && data[0] == 0x16 && data[1] == 3 && data[2] <= 4 && (data[5] == 1 || data[5] == 2)
		},
		New: func() flow.Decoder { return new(decoder) },
	})
}

const (
	maxTLSBuffer = 16 << 10
	hexDigits    = "0123456789abcdef"
)

var (
	errTLSRecord    = errors.New("tls: not a handshake record")
	errTLSHandshake = errors.New("tls: malformed hello")
	errTLSTooLarge  = errors.New("tls: handshake message larger than the buffer")
)

// Hello is the Detail of "client-hello" and "server-hello" events. Its
// slices are views valid during the callback.
type Hello struct {
	ServerName []byte   // SNI host name (client)
	Versions   []uint16 // offered (client) or chosen (server), TLS wire values
	ALPN       [][]byte // offered (client) or chosen (server) protocols
	Cipher     uint16   // chosen cipher suite (server)
	Service    string   // protocol expected on the server port, "" when unknown
	server     bool
}

// AppendJSON implements [flow.Detail].
func (h *Hello) AppendJSON(dst []byte) []byte {
	if len(h.ServerName) > 0 {
		dst = flow.AppendBytes(dst, "server_name", h.ServerName)
	}
	dst = append(dst, `,"versions":[`...)
	for i, v := range h.Versions {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = flow.AppendQuoted(dst, tlsVersionName(v))
	}
	dst = append(dst, ']')
	if len(h.ALPN) > 0 {
		dst = append(dst, `,"alpn":[`...)
		for i, p := range h.ALPN {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = flow.AppendQuotedBytes(dst, p)
		}
		dst = append(dst, ']')
	}
	if h.server {
		dst = append(dst, `,"cipher":"0x`...)
		dst = append(dst, hexDigits[h.Cipher>>12], hexDigits[h.Cipher>>8&0xf], hexDigits[h.Cipher>>4&0xf], hexDigits[h.Cipher&0xf], '"')
	}
	if h.Service != "" {
		dst = flow.AppendString(dst, "service", h.Service)
	}
	return dst
}

// Identify implements [flow.Identifier]: the server name a client asks
// for names the server.
func (h *Hello) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if k != KindClientHello {
		return
	}
	yield(flow.Identity{Source: false, Kind: "tls", Name: h.ServerName})
}

func tlsVersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSL 3.0"
	case 0x0301:
		return "TLS 1.0"
	case 0x0302:
		return "TLS 1.1"
	case 0x0303:
		return "TLS 1.2"
	case 0x0304:
		return "TLS 1.3"
	}
	return "0x" + strconv.FormatUint(uint64(v), 16)
}

func tlsService(port uint16) string {
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

type decoder struct {
	buf   [2][]byte // handshake bytes gathered from records
	rec   [2][]byte // partial record header/body across Data calls
	done  [2]bool
	off   [2]int64
	hello Hello
	vers  [16]uint16
	alpn  [8][]byte
}

func (d *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	if d.done[dir] {
		return
	}
	d.off[dir] += int64(len(data))
	// Gather whole records, then their handshake payloads.
	d.rec[dir] = append(d.rec[dir], data...)
	for {
		r := d.rec[dir]
		if len(r) < 5 {
			break
		}
		if r[0] != 0x16 || r[1] != 3 {
			c.DecodeErrorAt(dir, d.off[dir]-int64(len(r)), errTLSRecord)
			d.finish(dir)
			return
		}
		n := int(binary.BigEndian.Uint16(r[3:5]))
		tooLong := n > 1<<14+2048 // RFC 8446 5.2: the largest legal record
		if len(r) >= 9 && len(d.buf[dir]) == 0 && r[5] <= 2 {
			// The first handshake message's own length, before the whole
			// record arrived.
			tooLong = tooLong || int(r[6])<<16|int(r[7])<<8|int(r[8]) > maxTLSBuffer
		}
		if tooLong {
			c.DecodeErrorAt(dir, d.off[dir]-int64(len(r)), errTLSTooLarge)
			d.finish(dir)
			return
		}
		if len(r) < 5+n {
			if len(r) > maxTLSBuffer {
				c.DecodeErrorAt(dir, d.off[dir], errTLSTooLarge)
				d.finish(dir)
			}
			return
		}
		d.buf[dir] = append(d.buf[dir], r[5:5+n]...)
		d.rec[dir] = r[:copy(r, r[5+n:])]
		if d.handshake(c, dir) {
			return
		}
		if len(d.buf[dir]) > maxTLSBuffer {
			c.DecodeErrorAt(dir, d.off[dir], errTLSTooLarge)
			d.finish(dir)
			return
		}
	}
}

// handshake parses the first handshake message once it is complete. It
// reports whether the direction is finished.
func (d *decoder) handshake(c *flow.Context, dir flow.Dir) bool {
	b := d.buf[dir]
	if len(b) < 4 {
		return false
	}
	n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
	if n > maxTLSBuffer {
		c.DecodeErrorAt(dir, d.off[dir], errTLSTooLarge)
		d.finish(dir)
		return true
	}
	if len(b) < 4+n {
		return false
	}
	d.hello = Hello{Versions: d.vers[:0], ALPN: d.alpn[:0]}
	var err error
	switch b[0] {
	case 1:
		err = d.parseHello(b[4:4+n], false)
		d.hello.Service = tlsService(c.Flow().Server().Port())
		if err == nil {
			c.Emit(dir, KindClientHello, &d.hello)
		}
	case 2:
		d.hello.server = true
		err = d.parseHello(b[4:4+n], true)
		if err == nil {
			c.Emit(dir, KindServerHello, &d.hello)
		}
	default:
		err = errTLSHandshake
	}
	if err != nil {
		c.DecodeErrorAt(dir, d.off[dir], err)
	}
	d.hello = Hello{}
	d.finish(dir)
	return true
}

func (d *decoder) finish(dir flow.Dir) {
	d.done[dir] = true
	d.buf[dir] = nil
	d.rec[dir] = nil
}

// parseHello reads a ClientHello or ServerHello body (RFC 8446 4.1.2-3).
func (d *decoder) parseHello(b []byte, server bool) error {
	if len(b) < 2+32+1 {
		return errTLSHandshake
	}
	legacy := binary.BigEndian.Uint16(b)
	b = b[34:]
	sid := int(b[0])
	if len(b) < 1+sid {
		return errTLSHandshake
	}
	b = b[1+sid:]
	if server {
		if len(b) < 3 {
			return errTLSHandshake
		}
		d.hello.Cipher = binary.BigEndian.Uint16(b)
		b = b[3:]
	} else {
		if len(b) < 2 {
			return errTLSHandshake
		}
		cs := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+cs+1 {
			return errTLSHandshake
		}
		b = b[2+cs:]
		comp := int(b[0])
		if len(b) < 1+comp {
			return errTLSHandshake
		}
		b = b[1+comp:]
	}
	sawVersions := false
	if len(b) >= 2 {
		ext := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+ext {
			return errTLSHandshake
		}
		b = b[2 : 2+ext]
		for len(b) >= 4 {
			typ := binary.BigEndian.Uint16(b)
			n := int(binary.BigEndian.Uint16(b[2:]))
			if len(b) < 4+n {
				return errTLSHandshake
			}
			body := b[4 : 4+n]
			b = b[4+n:]
			switch typ {
			case 0: // server_name
				if !server && len(body) >= 5 && body[2] == 0 {
					l := int(binary.BigEndian.Uint16(body[3:]))
					if len(body) >= 5+l {
						d.hello.ServerName = body[5 : 5+l]
					}
				}
			case 16: // ALPN
				if len(body) >= 2 {
					body = body[2:]
					for len(body) > 0 && len(d.hello.ALPN) < cap(d.hello.ALPN) {
						l := int(body[0])
						if len(body) < 1+l {
							break
						}
						d.hello.ALPN = append(d.hello.ALPN, body[1:1+l])
						body = body[1+l:]
					}
				}
			case 43: // supported_versions
				sawVersions = true
				if server {
					if len(body) >= 2 {
						d.hello.Versions = append(d.hello.Versions, binary.BigEndian.Uint16(body))
					}
				} else if len(body) >= 1 {
					body = body[1:]
					for len(body) >= 2 && len(d.hello.Versions) < cap(d.hello.Versions) {
						v := binary.BigEndian.Uint16(body)
						body = body[2:]
						if v&0x0f0f != 0x0a0a { // skip GREASE values
							d.hello.Versions = append(d.hello.Versions, v)
						}
					}
				}
			}
		}
	}
	if !sawVersions {
		d.hello.Versions = append(d.hello.Versions, legacy)
	}
	return nil
}

func (d *decoder) Gap(c *flow.Context, dir flow.Dir, n int) { d.finish(dir) }

func (d *decoder) Close(c *flow.Context) {}
