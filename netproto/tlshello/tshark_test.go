package tlshello

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAgainstTshark writes the recorded streams, crypto/tls handshakes and
// hand-built hellos as captures and checks that tshark's TLS dissector
// finds the same hellos: the JA3 and JA3S strings (legacy version, cipher
// suites, extensions in order, groups and point formats, without GREASE)
// and their MD5s, server names, ALPN protocols and supported versions. It
// is skipped without tshark.
func TestAgainstTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	streams := readStreams(t)
	pairs := map[string][2][]byte{}
	for name := range streams {
		if base, ok := strings.CutSuffix(name, ".c2s"); ok {
			pairs[base] = [2][]byte{streams[name], streams[base+".s2c"]}
		}
	}
	for name, s := range goSessions(t) {
		pairs["go-"+name] = [2][]byte{s.c2s, s.s2c}
	}
	for name, p := range handBuilt() {
		pairs[name] = p
	}
	dir := t.TempDir()
	for name, p := range pairs {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, name+".pcap")
			if err := os.WriteFile(file, capture(p[0], p[1]), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(tshark, "-n", "-r", file, "-Y", "tls.handshake.type == 1 || tls.handshake.type == 2", "-T", "fields",
				"-e", "tls.handshake.ja3_full", "-e", "tls.handshake.ja3s_full", "-e", "tls.handshake.extensions_server_name",
				"-e", "tls.handshake.extensions_alpn_str", "-e", "tls.handshake.extensions.supported_version",
				"-e", "tls.handshake.ja3", "-e", "tls.handshake.ja3s").Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			// The first ClientHello and the first ServerHello: after a
			// HelloRetryRequest, tshark also sees the second ones, after
			// the ChangeCipherSpec records where the decoder stops.
			var client, server string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				f := strings.Split(line, "\t")
				for len(f) < 7 {
					f = append(f, "")
				}
				// The JA3 strings and their MD5s in one field each.
				for i := range 2 {
					if f[i] != "" {
						f[i] += " " + f[5+i]
					}
				}
				f = f[:5]
				if f[0] != "" && client == "" {
					client = strings.Join(f, " | ")
				}
				if f[1] != "" && server == "" {
					server = strings.Join(f, " | ")
				}
			}
			want := []string{client, server}
			got := []string{ours(t, p[0], true), ours(t, p[1], false)}
			if !slices.Equal(got, want) {
				t.Errorf("medtap:\n%s\ntshark:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// ours returns the first hello of stream in the form of tshark's fields.
func ours(t *testing.T, stream []byte, client bool) string {
	var d Decoder
	d.Feed(stream)
	for {
		it, err := d.Next()
		if err != nil {
			t.Fatalf("no hello before %v", err)
		}
		var sni, alpn, versions []string
		var ja, jas string
		switch {
		case client && it.Kind == KindClientHello:
			h := it.ClientHello
			ja = string(h.AppendJA3Full(nil)) + " " + string(h.AppendJA3(nil))
			if h.ServerName != nil {
				sni = append(sni, string(h.ServerName))
			}
			for p := h.ALPN.Iter(); p.Next(); {
				alpn = append(alpn, string(p.Bytes()))
			}
			for v := h.SupportedVersions.Iter(); v.Next(); {
				versions = append(versions, fmt.Sprintf("0x%04x", v.Value()))
			}
		case !client && it.Kind == KindServerHello:
			h := it.ServerHello
			jas = string(h.AppendJA3SFull(nil)) + " " + string(h.AppendJA3S(nil))
			if p := h.ALPN.First(); p != nil {
				alpn = append(alpn, string(p))
			}
			if h.SupportedVersions != nil {
				versions = append(versions, fmt.Sprintf("0x%04x", h.SupportedVersions.At(0)))
			}
		default:
			continue
		}
		return strings.Join([]string{ja, jas, strings.Join(sni, ","), strings.Join(alpn, ","), strings.Join(versions, ",")}, " | ")
	}
}

// capture returns a pcap file of one TCP connection from 10.0.0.5:50123
// to 10.0.0.9:443 carrying c2s and s2c, a segment per record (of at most
// 1400 bytes), so that tshark's fields of one frame belong to one record.
func capture(c2s, s2c []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, 1) // Ethernet
	client, server := [4]byte{10, 0, 0, 5}, [4]byte{10, 0, 0, 9}
	seq := [2]uint32{1000, 5000}
	ts := uint32(0)
	packet := func(dir int, flags byte, payload []byte) {
		src, dst, sport, dport := client, server, uint16(50123), uint16(443)
		if dir == 1 {
			src, dst, sport, dport = server, client, 443, 50123
		}
		var p []byte
		p = append(p, 2, 0, 0, 0, 0, byte(1-dir), 2, 0, 0, 0, 0, byte(dir), 8, 0)
		p = append(p, 0x45, 0)
		p = binary.BigEndian.AppendUint16(p, uint16(40+len(payload)))
		p = append(p, 0, 0, 0x40, 0, 64, 6, 0, 0)
		p = append(append(p, src[:]...), dst[:]...)
		p = binary.BigEndian.AppendUint16(p, sport)
		p = binary.BigEndian.AppendUint16(p, dport)
		p = binary.BigEndian.AppendUint32(p, seq[dir])
		p = binary.BigEndian.AppendUint32(p, seq[1-dir])
		p = append(p, 5<<4, flags, 0xff, 0xff, 0, 0, 0, 0)
		p = append(p, payload...)
		ts++
		b = binary.LittleEndian.AppendUint32(b, ts)
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
		seq[dir] += uint32(len(payload))
		if flags&0x02 != 0 {
			seq[dir]++
		}
	}
	packet(0, 0x02, nil)
	packet(1, 0x12, nil)
	packet(0, 0x10, nil)
	for dir, s := range [][]byte{c2s, s2c} {
		for len(s) > 0 {
			n := len(s)
			if len(s) >= 5 {
				n = min(n, 5+int(binary.BigEndian.Uint16(s[3:])))
			}
			for r := s[:n]; len(r) > 0; {
				m := min(len(r), 1400)
				packet(dir, 0x18, r[:m])
				r = r[m:]
			}
			s = s[n:]
		}
	}
	return b
}
