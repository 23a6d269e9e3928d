package astm

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLink(t *testing.T) {
	type step struct {
		ms   int64 // time of the item
		dir  int
		kind Kind
	}
	tests := []struct {
		name string
		link Link
		in   []step
		want []string // "step: event" for the steps that report one
	}{
		{
			name: "late reply and late frame",
			in: []step{{0, 0, KindENQ}, {16000, 1, KindACK}, {47000, 0, KindFrame}, {47001, 1, KindACK},
				{48000, 0, KindEOT}},
			want: []string{"1: timeout reply 16s", "2: timeout frame 31s"},
		},
		{
			name: "contention, then a busy receiver",
			in: []step{{0, 1, KindENQ}, {5, 0, KindENQ}, {1000, 0, KindENQ}, {1001, 1, KindNAK}, {2000, 0, KindENQ},
				{2001, 1, KindACK}, {2002, 0, KindFrame}, {2003, 1, KindACK}, {2004, 0, KindEOT}},
			want: []string{"1: contention"},
		},
		{
			name: "the answering ENQ is not pending",
			in:   []step{{0, 0, KindENQ}, {1, 1, KindENQ}, {2, 0, KindENQ}, {3, 1, KindENQ}},
			want: []string{"1: contention", "3: contention"},
		},
		{
			name: "exactly at the timers",
			in:   []step{{0, 0, KindENQ}, {15000, 1, KindACK}, {45000, 0, KindFrame}, {60000, 1, KindACK}},
		},
		{
			name: "late NAK to a frame",
			in:   []step{{0, 0, KindENQ}, {1, 1, KindACK}, {2, 0, KindFrame}, {20000, 1, KindNAK}},
			want: []string{"3: timeout reply 19.998s"},
		},
		{
			name: "receiver interrupt counts as a reply and stops the frame timer",
			in:   []step{{0, 0, KindENQ}, {1, 1, KindACK}, {2, 0, KindFrame}, {17002, 1, KindEOT}, {60000, 0, KindFrame}},
			want: []string{"3: timeout reply 17s"},
		},
		{
			name: "the sender's EOT ends the transfer",
			in: []step{{0, 0, KindENQ}, {1, 1, KindACK}, {2, 0, KindFrame}, {3, 1, KindACK}, {100000, 0, KindEOT},
				{200000, 1, KindACK}},
		},
		{
			name: "frames before any reply",
			in:   []step{{0, 0, KindFrame}, {60000, 0, KindFrame}, {60001, 1, KindACK}},
		},
		{
			name: "ENQ restarts the exchange",
			in: []step{{0, 0, KindENQ}, {1, 1, KindACK}, {2, 0, KindEOT}, {100000, 0, KindENQ}, {100001, 1, KindACK},
				{100002, 0, KindFrame}},
		},
		{
			name: "records and unknown kinds are ignored",
			in:   []step{{0, 0, KindENQ}, {5000, 0, KindRecord}, {5000, 1, 0}, {6000, 1, KindACK}, {50000, 0, KindRecord}},
		},
		{
			name: "custom timers",
			link: Link{SenderTimeout: time.Second, ReceiverTimeout: 2 * time.Second},
			in:   []step{{0, 0, KindENQ}, {1500, 1, KindACK}, {3600, 0, KindFrame}, {3700, 1, KindACK}},
			want: []string{"1: timeout reply 1.5s", "2: timeout frame 2.1s"},
		},
		{
			name: "directions by their lowest bit",
			in:   []step{{0, 2, KindENQ}, {1, 3, KindENQ}},
			want: []string{"1: contention"},
		},
	}
	t0 := time.Date(2024, 6, 27, 13, 54, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.link
			for pass := range 2 { // the second pass checks Reset
				var got []string
				for i, s := range tt.in {
					ev := l.Observe(s.dir, s.kind, t0.Add(time.Duration(s.ms)*time.Millisecond))
					switch ev.Kind {
					case 0:
						if ev != (LinkEvent{}) {
							t.Errorf("step %d: %+v", i, ev)
						}
					case LinkContention:
						got = append(got, fmt.Sprintf("%d: %s", i, ev.Kind))
					default:
						got = append(got, fmt.Sprintf("%d: %s %s %v", i, ev.Kind, ev.Awaiting, ev.Waited))
					}
				}
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("pass %d: got\n%s\nwant\n%s", pass, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
				l.Reset()
				if l.SenderTimeout != tt.link.SenderTimeout || l.ReceiverTimeout != tt.link.ReceiverTimeout {
					t.Error("Reset changed the timers")
				}
			}
		})
	}
}

func TestLinkNames(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{LinkContention.String(), "contention"}, {LinkTimeout.String(), "timeout"}, {LinkEventKind(0).String(), "LinkEventKind(0)"},
		{LinkEventKind(7).String(), "LinkEventKind(7)"}, {AwaitingReply.String(), "reply"}, {AwaitingFrame.String(), "frame"},
		{Awaiting(12).String(), "Awaiting(12)"}, {KindRecord.String(), "record"}, {Kind(12).String(), "Kind(12)"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// annotatorItems turns a test script into items: control characters by
// name, "frame", "gap" (nil: call Reset) or a record.
func annotatorItem(t *testing.T, s string) *Item {
	switch s {
	case "gap":
		return nil
	case "ENQ":
		return &Item{Kind: KindENQ}
	case "EOT":
		return &Item{Kind: KindEOT}
	case "ACK":
		return &Item{Kind: KindACK}
	case "NAK":
		return &Item{Kind: KindNAK}
	case "frame":
		return &Item{Kind: KindFrame}
	}
	r, err := ParseRecord([]byte(s), DefaultDelimiters)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return &Item{Kind: KindRecord, Record: r}
}

func TestAnnotator(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string // what each comment annotates
	}{
		{"the last record before the comment", []string{hdr, "P|1|PRACT1", "O|1|S42", "C|1|L|Fasting|G"}, []string{"order 1"}},
		{"comments do not move it", []string{hdr, "R|3|^^^GLU|5.5", "C|1|I|a|G", "C|2|I|b|G"}, []string{"result 3", "result 3"}},
		{"a header", []string{hdr, "C|1|I|a|G"}, []string{"header -1"}},
		{"every type", []string{"P|2", "C|1", "Q|1|^S42", "C|1", "M|4|HISTOGRAM", "C|1", "S|5|ENZ", "C|1"},
			[]string{"patient 2", "query 1", "manufacturer 4", "scientific 5"}},
		{"a record without a sequence number", []string{"R||^^^GLU", "C|1", "R| x |^^^GLU", "C|2"}, []string{"result -1", "result -1"}},
		{"cleared at ENQ", []string{"R|1", "ENQ", "C|1"}, []string{"none"}},
		{"cleared at EOT", []string{"R|1", "EOT", "C|1"}, []string{"none"}},
		{"cleared at a terminator", []string{"R|1", "L|1|N", "C|1"}, []string{"none"}},
		{"cleared at a gap", []string{"R|1", "gap", "C|1"}, []string{"none"}},
		{"frames and replies keep it", []string{"R|1", "frame", "ACK", "NAK", "C|1"}, []string{"result 1"}},
		{"an unknown record type keeps it", []string{"R|1", "X|1", "C|1"}, []string{"result 1"}},
		{"nothing at the start", []string{"C|1"}, []string{"none"}},
		{"a new transfer", []string{"ENQ", hdr, "P|1", "C|1", "L|1|N", "EOT", "ENQ", "C|1|I|orphan|G", "L|1|Q", "EOT"},
			[]string{"patient 1", "none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Annotator
			var got []string
			for _, s := range tt.in {
				it := annotatorItem(t, strings.TrimSuffix(s, "\r"))
				if it == nil {
					a.Reset()
					continue
				}
				typ, seq := a.Observe(*it)
				switch {
				case it.Kind == KindRecord && it.Record.Type == TypeComment && typ == 0:
					if seq != -1 {
						t.Errorf("%q: annotates nothing with seq %d", s, seq)
					}
					got = append(got, "none")
				case it.Kind == KindRecord && it.Record.Type == TypeComment:
					got = append(got, fmt.Sprintf("%s %d", typ, seq))
				case typ != 0 || seq != -1:
					t.Errorf("%q: Observe = %v, %d, want 0, -1", s, typ, seq)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// pcapPayloads returns the TCP payloads of a little-endian microsecond pcap
// of Ethernet frames carrying IPv4, with their times and source ports.
func pcapPayloads(t *testing.T, path string) (payloads [][]byte, times []time.Time, ports []uint16) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if len(b) < 24 || le.Uint32(b) != 0xa1b2c3d4 || le.Uint32(b[20:]) != 1 {
		t.Fatalf("%s: not a little-endian Ethernet pcap", path)
	}
	for b = b[24:]; len(b) >= 16; {
		sec, usec, n := le.Uint32(b), le.Uint32(b[4:]), int(le.Uint32(b[8:]))
		pkt := b[16 : 16+n]
		b = b[16+n:]
		if len(pkt) < 14+20 || binary.BigEndian.Uint16(pkt[12:]) != 0x0800 {
			continue
		}
		ip := pkt[14:]
		ihl, total := int(ip[0]&15)*4, int(binary.BigEndian.Uint16(ip[2:]))
		if ip[9] != 6 || total > len(ip) {
			continue
		}
		tcp := ip[ihl:total]
		if data := tcp[int(tcp[12]>>4)*4:]; len(data) > 0 {
			payloads = append(payloads, data)
			times = append(times, time.Unix(int64(sec), int64(usec)*1000))
			ports = append(ports, binary.BigEndian.Uint16(tcp))
		}
	}
	return payloads, times, ports
}

// TestLinkLoopbackCapture follows the capture of TestLoopbackE1381 (an
// analyser and a LIS going through contention, a busy receiver,
// intermediate frames, a corrupted frame, a receiver interrupt and a
// transfer each way) with a Decoder per direction, a Link and an Annotator
// per direction.
func TestLinkLoopbackCapture(t *testing.T) {
	payloads, times, ports := pcapPayloads(t, filepath.Join("testdata", "e1381-loopback.pcap"))
	var (
		dec  [2]Decoder
		ann  [2]Annotator
		link Link
		got  []string
	)
	name := [2]string{"analyser", "lis"}
	for i, p := range payloads {
		dir := 0
		if ports[i] == 41394 { // the LIS's port
			dir = 1
		}
		d := &dec[dir]
		d.Feed(p)
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if typ, seq := ann[dir].Observe(it); it.Kind == KindRecord && it.Record.Type == TypeComment {
				got = append(got, fmt.Sprintf("%s: comment %d annotates %s %d", name[dir], it.Record.Seq(), typ, seq))
			}
			switch ev := link.Observe(dir, it.Kind, times[i]); ev.Kind {
			case LinkContention:
				got = append(got, name[dir]+": contention")
			case LinkTimeout:
				got = append(got, fmt.Sprintf("%s: timeout awaiting %s", name[dir], ev.Awaiting))
			}
		}
	}
	want := []string{
		"analyser: contention",
		"analyser: comment 1 annotates result 2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
