package tcpsig

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/medtap/medtap/internal/p0ftest"
)

// genPacket is one generated packet: the headers tcpsig reads and the frame
// p0f reads.
type genPacket struct {
	ip, tcp []byte
	payload int
	synack  bool
	frame   []byte // Ethernet
	client  netip.AddrPort
	server  netip.AddrPort
}

// generator makes SYNs and SYN+ACKs with random header fields and option
// lists drawn from pieces that p0f reads in different ways: well-formed
// options, wrong lengths, options cut short, end of options with zero and
// non-zero padding, unknown kinds, and random bytes.
type generator struct {
	r *rand.Rand
}

func (g *generator) pick(vals ...int) int { return vals[g.r.IntN(len(vals))] }

func (g *generator) ttl() uint8 {
	if g.r.IntN(3) == 0 {
		return uint8(g.r.IntN(256))
	}
	return uint8(g.pick(64, 63, 128, 113, 255, 254, 32, 30, 1, 0, 65, 92, 93, 129, 219, 220))
}

func (g *generator) u32() uint32 {
	switch g.r.IntN(5) {
	case 0:
		return 0
	case 1:
		return 1 << g.r.IntN(32)
	}
	return g.r.Uint32()
}

// options returns a TCP option list of at most 40 bytes and a length that
// is a multiple of 4 (the data offset's unit), and the MSS it carries.
func (g *generator) options(syn bool) ([]byte, uint16) {
	var b []byte
	var mss uint16
	n := g.r.IntN(9)
	if g.r.IntN(4) == 0 {
		n = 1 + g.r.IntN(40) // many NOPs and small options: past MaxOptions
	}
	for range n {
		switch k := g.r.IntN(20); {
		case k < 3:
			mss = uint16(g.pick(1460, 1440, 1400, 536, 65495, 1331, 99, 100, 0, 1, 8960, 1380))
			if g.r.IntN(4) == 0 {
				mss = uint16(g.r.IntN(65536))
			}
			l := byte(4)
			if g.r.IntN(8) == 0 {
				l = byte(g.r.IntN(256))
			}
			b = append(b, 2, l, byte(mss>>8), byte(mss))
		case k < 5:
			l := byte(3)
			if g.r.IntN(8) == 0 {
				l = byte(g.r.IntN(256))
			}
			b = append(b, 3, l, byte(g.pick(0, 2, 6, 7, 8, 14, 15, 255)))
		case k < 7:
			l := byte(2)
			if g.r.IntN(8) == 0 {
				l = byte(g.r.IntN(256))
			}
			b = append(b, 4, l)
		case k < 9:
			l := 10
			if g.r.IntN(8) == 0 {
				l = g.r.IntN(256)
			}
			b = append(b, 8, byte(l))
			b = binary.BigEndian.AppendUint32(b, g.u32())
			b = binary.BigEndian.AppendUint32(b, g.u32())
		case k < 12:
			b = append(b, 1)
		case k < 13:
			l := g.pick(10, 18, 26, 34, 9, 35, 2, 0)
			b = append(b, 5, byte(l))
			for range max(l-2, 0) {
				b = append(b, byte(g.r.IntN(256)))
			}
		case k < 15:
			l := g.pick(2, 3, 4, 6, 10, 40, 41, 1, 0)
			b = append(b, byte(g.pick(6, 7, 9, 19, 28, 29, 30, 34, 76, 253, 254, 255)), byte(l))
			for range max(l-2, 0) {
				b = append(b, byte(g.r.IntN(256)))
			}
		case k < 17:
			b = append(b, 0) // end of options, then padding below
		default:
			for range 1 + g.r.IntN(4) {
				b = append(b, byte(g.r.IntN(256)))
			}
		}
	}
	// Pad to a multiple of 4: zeros, NOPs, or random bytes.
	pad := byte(g.pick(0, 0, 1, 0xff))
	for len(b)%4 != 0 {
		if pad == 0xff {
			b = append(b, byte(g.r.IntN(256)))
		} else {
			b = append(b, pad)
		}
	}
	if len(b) > 40 {
		b = b[:40]
	}
	if g.r.IntN(40) == 0 && len(b) >= 4 {
		// A non-zero byte as the very last of the padding.
		b[len(b)-1] = byte(1 + g.r.IntN(255))
		b[len(b)-4] = 0
	}
	return b, mss
}

func (g *generator) window(mss, peerMSS uint16) uint16 {
	m := int(mss)
	k := 1 + g.r.IntN(50)
	var w int
	switch g.r.IntN(12) {
	case 0:
		w = m * k
	case 1:
		w = (m - 12) * k
	case 2:
		w = 1460 * k
	case 3:
		w = 1448 * k
	case 4:
		w = (m + 40) * k
	case 5:
		w = (m + 60) * k
	case 6:
		w = 1500 * k
	case 7:
		w = int(peerMSS) * k
	case 8:
		w = (int(peerMSS) - 12) * k
	case 9:
		w = g.pick(0, 65535, 65534, 29200, 64240, 8192, 1024, 32768, 5840)
	default:
		w = g.r.IntN(65536)
	}
	return uint16(w)
}

// packet returns a SYN from client to server or, with synack, a SYN+ACK
// from server to client answering a SYN whose MSS was peerMSS.
func (g *generator) packet(client, server netip.AddrPort, synack bool, peerMSS uint16) genPacket {
	opts, mss := g.options(!synack)
	tcp := make([]byte, 20+len(opts))
	src, dst := client, server
	if synack {
		src, dst = server, client
	}
	binary.BigEndian.PutUint16(tcp[0:], src.Port())
	binary.BigEndian.PutUint16(tcp[2:], dst.Port())
	binary.BigEndian.PutUint32(tcp[4:], g.u32())
	ack := g.u32()
	if g.r.IntN(4) == 0 {
		ack = uint32(g.r.IntN(256)) << 24
	}
	binary.BigEndian.PutUint32(tcp[8:], ack)
	tcp[12] = byte(len(tcp)/4)<<4 | byte(g.r.IntN(16)&g.pick(0, 0, 1, 0x0f))
	flags := byte(0x02)
	if synack {
		flags |= 0x10
	}
	for _, extra := range [...]byte{0x08, 0x20, 0x40, 0x80} {
		if g.r.IntN(6) == 0 {
			flags |= extra
		}
	}
	tcp[13] = flags
	binary.BigEndian.PutUint16(tcp[14:], g.window(mss, peerMSS))
	if g.r.IntN(6) == 0 {
		binary.BigEndian.PutUint16(tcp[18:], uint16(g.r.IntN(65536)))
	}
	copy(tcp[20:], opts)
	payload := 0
	if g.r.IntN(6) == 0 {
		payload = 1 + g.r.IntN(30)
	}

	var ip []byte
	var ethType uint16
	if src.Addr().Is4() {
		ethType = 0x0800
		optWords := 0
		if g.r.IntN(6) == 0 {
			optWords = 1 + g.r.IntN(10)
		}
		ip = make([]byte, 20+4*optWords)
		ip[0] = 0x40 | byte(5+optWords)
		ip[1] = byte(g.r.IntN(256))
		if g.r.IntN(2) == 0 {
			ip[1] &^= 3
		}
		binary.BigEndian.PutUint16(ip[2:], uint16(len(ip)+len(tcp)+payload))
		if g.r.IntN(3) != 0 {
			binary.BigEndian.PutUint16(ip[4:], uint16(g.r.IntN(65536)))
		}
		var fl uint16
		if g.r.IntN(3) != 0 {
			fl |= 0x4000
		}
		if g.r.IntN(10) == 0 {
			fl |= 0x8000
		}
		binary.BigEndian.PutUint16(ip[6:], fl)
		ip[8] = g.ttl()
		ip[9] = 6
		s, d := src.Addr().As4(), dst.Addr().As4()
		copy(ip[12:], s[:])
		copy(ip[16:], d[:])
		for i := 20; i < len(ip); i++ {
			ip[i] = byte(g.r.IntN(256))
		}
	} else {
		ethType = 0x86dd
		ip = make([]byte, 40)
		vtf := uint32(6) << 28
		if g.r.IntN(2) == 0 {
			vtf |= uint32(g.r.IntN(256)) << 20
		}
		if g.r.IntN(2) == 0 {
			vtf |= uint32(g.r.IntN(1 << 20))
		}
		binary.BigEndian.PutUint32(ip[0:], vtf)
		binary.BigEndian.PutUint16(ip[4:], uint16(len(tcp)+payload))
		ip[6] = 6
		ip[7] = g.ttl()
		s, d := src.Addr().As16(), dst.Addr().As16()
		copy(ip[8:], s[:])
		copy(ip[24:], d[:])
	}
	frame := make([]byte, 0, 14+len(ip)+len(tcp)+payload)
	frame = append(frame, 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, byte(ethType>>8), byte(ethType))
	frame = append(frame, ip...)
	frame = append(frame, tcp...)
	for range payload {
		frame = append(frame, 'x')
	}
	return genPacket{ip: ip, tcp: tcp, payload: payload, synack: synack, frame: frame, client: client, server: server}
}

// writePcap writes frames as a pcap file of Ethernet frames, one
// millisecond apart.
func writePcap(tb testing.TB, name string, frames [][]byte) {
	tb.Helper()
	b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, 1) // Ethernet
	for i, f := range frames {
		b = binary.LittleEndian.AppendUint32(b, uint32(1767322800+i/1000))
		b = binary.LittleEndian.AppendUint32(b, uint32(i%1000)*1000)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	if err := os.WriteFile(name, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestAgainstP0f generates thousands of SYNs and SYN+ACKs with random
// header fields and hostile option lists, has p0f fingerprint them, and
// checks that every raw_sig p0f prints equals the signature FromHeaders
// computes for the same packet.
func TestAgainstP0f(t *testing.T) {
	p0f := p0ftest.Tool(t)
	n := 4000
	if testing.Short() {
		n = 500
	}
	g := &generator{r: rand.New(rand.NewPCG(11, 212))}
	var pkts []genPacket
	var frames [][]byte
	want := map[[3]string]string{} // (kind, client, server) -> medtap's signature
	for i := range n {
		var client, server netip.AddrPort
		port := uint16(10000 + i)
		if g.r.IntN(5) == 0 {
			client = netip.AddrPortFrom(netip.MustParseAddr("fd11:212::1"), port)
			server = netip.AddrPortFrom(netip.MustParseAddr("fd11:212::2"), 80)
		} else {
			client = netip.AddrPortFrom(netip.MustParseAddr("10.212.0.1"), port)
			server = netip.AddrPortFrom(netip.MustParseAddr("10.212.0.2"), 80)
		}
		syn := g.packet(client, server, false, 0)
		pkts = append(pkts, syn)
		sig, err := FromHeaders(syn.ip, syn.tcp, syn.payload, 0)
		if err != nil {
			t.Fatalf("SYN %d: %v", i, err)
		}
		want[[3]string{"syn", client.String(), server.String()}] = sig.String()
		if g.r.IntN(3) != 0 {
			sa := g.packet(client, server, true, sig.MSS)
			pkts = append(pkts, sa)
			sig2, err := FromHeaders(sa.ip, sa.tcp, sa.payload, sig.MSS)
			if err != nil {
				t.Fatalf("SYN+ACK %d: %v", i, err)
			}
			want[[3]string{"syn+ack", client.String(), server.String()}] = sig2.String()
		}
	}
	for _, p := range pkts {
		frames = append(frames, p.frame)
	}
	file := filepath.Join(t.TempDir(), "gen.pcap")
	writePcap(t, file, frames)
	// Without the signatures of tools, p0f prints the SYN+ACK of every flow.
	got := p0ftest.Run(t, p0f, file, p0ftest.NoToolsDB(t))
	var syns, synacks, bad int
	for _, s := range got {
		kind := "syn"
		if s.SYNACK {
			kind = "syn+ack"
			synacks++
		} else {
			syns++
		}
		w, ok := want[[3]string{kind, s.Client.String(), s.Server.String()}]
		if !ok {
			t.Errorf("p0f printed a %s of %v -> %v that was not generated", kind, s.Client, s.Server)
			continue
		}
		if w != s.RawSig {
			bad++
			if bad <= 20 {
				t.Errorf("%s %v -> %v:\n p0f    %s\n medtap %s", kind, s.Client, s.Server, s.RawSig, w)
			}
		}
	}
	if syns != n || synacks != len(pkts)-n {
		t.Errorf("p0f printed %d SYN signatures of %d, %d SYN+ACK of %d", syns, n, synacks, len(pkts)-n)
	}
	t.Logf("p0f printed %d SYN and %d SYN+ACK signatures (of %d generated packets); %d differ from medtap's", syns, synacks, len(pkts), bad)
}
