package astm

import (
	"bytes"
	"github.com/medtap/medtap/internal/testutil"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds returns small real and synthetic inputs.
func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		sampleMessage()[:600],
		framedSample()[:700],
		[]byte("H|@^\\|||Dev^2.0\rR|1|^^^A^B@^^^C|1.0|g||H\r\nL|1|N\n"),
		stream(ctl(ENQ), frame(1, "R|1|^^^GL", false), frame(2, "U|5&X41&|mmol", false), frame(3, "/L\rL|1\r", true), ctl(EOT)),
		stream(ctl(ENQ), badFrame(1, "L|1|N\r", true), frame(1, "L|1|N\r", true), []byte("junk\x02Z"), ctl(EOT)),
		[]byte("H|\\^&\rM|1|HISTOGRAM^RBC|0^250|1&X2C&2\rM|2\r" +
			"S|1|ENZ^kinetic|C311^SN42|R1^lot7|SI|QC1|SERUM^vein||TUBE|S-9|GLU|5.5|mmol/L|20240101080000|20240101090000|CENTRIFUGE|E11.9|19700101|F|2106-3|x\r" +
			"C|1|I|text^more|G\rL|1|Q\r"),
		stream(ctl(ENQ), frame(1, "M|1|MATRIX|LMNE|", false), frame(2, "64^64|0,1,2\r", true), frame(3, "S|2|||||||||||K|4.1\rL|1|F\r", true), ctl(EOT)),
	}
	if root := testutil.CorpusRoot(); root != "" {
		names, _ := filepath.Glob(filepath.Join(root, "astm", "*.txt"))
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				seeds = append(seeds, b[:min(len(b), 2048)])
			}
		}
	}
	return seeds
}

// FuzzRecords parses arbitrary bytes as unframed records: no panic, progress,
// fields that join back into the record, and summaries of every type.
func FuzzRecords(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Parser
		p.Start(data)
		var fieldsBuf, parts [][]byte
		var unesc []byte
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatal("parser makes no progress")
			}
			r, err := p.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if r.Data != nil {
					t.Fatal("record returned with an error")
				}
				continue
			}
			if len(r.Data) == 0 || bytes.ContainsAny(r.Data, "\r\n") {
				t.Fatalf("bad record view %q", r.Data)
			}
			fieldsBuf = r.AppendFields(fieldsBuf[:0])
			if !bytes.Equal(bytes.Join(fieldsBuf, []byte{r.Delims.Field}), r.Data) {
				t.Fatalf("fields do not join back into %q", r.Data)
			}
			for n, fl := range fieldsBuf {
				if !bytes.Equal(r.Field(n+1), fl) {
					t.Fatalf("Field(%d) = %q, AppendFields gave %q", n+1, r.Field(n+1), fl)
				}
				parts = r.Delims.AppendComponents(parts[:0], fl)
				if !bytes.Equal(bytes.Join(parts, []byte{r.Delims.Component}), fl) {
					t.Fatal("components do not join back")
				}
				unesc, _ = r.Delims.AppendUnescape(unesc[:0], fl)
				if len(unesc) > len(fl) {
					t.Fatalf("unescaping %q grew it to %q", fl, unesc)
				}
			}
			summarize(r)
			if q, err := ParseRecord(r.Data, r.Delims); err != nil || q.Type != r.Type {
				t.Fatalf("ParseRecord disagrees: %v", err)
			}
		}
	})
}

// FuzzFrames feeds arbitrary bytes to a Decoder whole and in chunks: the
// items must be the same, every accepted frame's checksum must be right, the
// decoder must make progress, hold no more than its limits and report what
// is left at the end in a few calls.
func FuzzFrames(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, uint64(i*7919+1))
	}
	d1, d2 := &Decoder{MaxFrame: 300, MaxRecord: 500}, &Decoder{MaxFrame: 300, MaxRecord: 500}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		whole := decodeAll(d1, data, nil)
		var chunks []int
		for s := seed; s != 0 && len(chunks) < 16; s >>= 4 {
			chunks = append(chunks, int(s&15)+1)
		}
		if len(chunks) == 0 {
			chunks = []int{1}
		}
		if got := decodeAll(d2, data, chunks); strings.Join(got, "\n") != strings.Join(whole, "\n") {
			t.Fatalf("chunks %v change the items: %s", chunks, diffLines(strings.Join(whole, "\n"), strings.Join(got, "\n")))
		}
		// Checksums are never accepted wrongly.
		d1.Reset()
		d1.Feed(data)
		for {
			it, err := d1.Next()
			if err == ErrNeedMore {
				break
			}
			if it.Kind == KindFrame && err == nil {
				fr := it.Frame
				sum := byte('0' + fr.Number)
				for _, c := range fr.Text {
					sum += c
				}
				if fr.Final {
					sum += ETX
				} else {
					sum += ETB
				}
				if sum != fr.Checksum || fr.Checksum != fr.Sum {
					t.Fatalf("frame accepted with checksum %02X, computed %02X", fr.Checksum, sum)
				}
				if len(fr.Text) > 300 {
					t.Fatalf("frame of %d bytes exceeds the limit", len(fr.Text))
				}
			}
			if it.Kind == KindRecord && len(it.Record.Data) > 500 {
				t.Fatalf("record of %d bytes exceeds the limit", len(it.Record.Data))
			}
			if n := d1.Buffered(); n > 300+500 {
				t.Fatalf("%d bytes buffered, more than MaxFrame + MaxRecord", n)
			}
		}
		// What is left at the end is reported in a few calls, then nothing.
		d1.Flush()
		for i := 0; ; i++ {
			it, err := d1.Next()
			if err == ErrNeedMore {
				break
			}
			if i == 3 {
				t.Fatal("Flush reports more than three items")
			}
			if it.Kind == KindRecord && (err != nil || len(it.Record.Data) > 500) {
				t.Fatalf("flushed record %q, %v", it.Record.Data, err)
			}
		}
		if d1.Buffered() != 0 {
			t.Fatalf("%d bytes buffered after the flush", d1.Buffered())
		}
	})
}
