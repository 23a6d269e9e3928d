package flow

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/testutil"
)

// TestMaxMessageBytes checks that Config.MaxMessageBytes reaches the
// protocol decoders: a message larger than the cap, split across packets,
// is reported as an error instead of being buffered.
func TestMaxMessageBytes(t *testing.T) {
	msg := "\x0bMSH|^~\\&|ADT|HOSP|LAB|HOSP|20260101120000||ADT^A01|MSG1|P|2.5\rPID|1||123||DOE^JANE\rNTE|1||" +
		strings.Repeat("x", 4000) + "\r\x1c\r"
	run := func(limit int) (messages, errs int) {
		e := NewEngine(Config{MaxMessageBytes: limit, Protocols: []string{"hl7"}}, SinkFunc(func(ev *Event) {
			switch ev.Kind {
			case "message":
				messages++
			case "error":
				errs++
			}
		}))
		c := netip.MustParseAddrPort("10.0.0.1:40000")
		s := netip.MustParseAddrPort("10.0.0.2:2575")
		e.Packet(t0, LinkRaw, rawTCP(c, s, 0, FlagSYN, nil))
		for off := 0; off < len(msg); off += 1000 {
			end := min(off+1000, len(msg))
			e.Packet(t0, LinkRaw, rawTCP(c, s, 1+uint32(off), FlagACK, []byte(msg[off:end])))
		}
		e.Flush()
		return
	}
	if m, errs := run(0); m != 1 || errs != 0 {
		t.Fatalf("default limit: %d messages, %d errors", m, errs)
	}
	if m, errs := run(2048); m != 0 || errs == 0 {
		t.Fatalf("2 KiB limit: %d messages, %d errors", m, errs)
	}

	// The sample's largest A-ASSOCIATE-RQ is about 4 KiB.
	sample := filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "sample.pcapng")
	count := func(limit int) uint64 {
		e := NewEngine(Config{MaxMessageBytes: limit}, nil)
		if err := e.RunFile(sample); err != nil {
			t.Fatal(err)
		}
		return e.Stats().ProtoErrors["dicom"]
	}
	if n := count(0); n != 0 {
		t.Fatalf("default limit: %d dicom errors", n)
	}
	if n := count(1024); n == 0 {
		t.Fatal("1 KiB limit: no dicom error")
	}
}
