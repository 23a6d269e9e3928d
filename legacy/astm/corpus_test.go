package astm

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCorpusGolden decodes every corpus file as a stream and compares the
// frames and records with testdata/<name>.golden. It also checks that any
// chunking gives the same items and that the records, stripped of their
// framing, parse the same with a Parser.
func TestCorpusGolden(t *testing.T) {
	for name, data := range corpusFiles(t) {
		t.Run(name, func(t *testing.T) {
			d := new(Decoder)
			whole := decodeAll(d, data, nil)
			got := strings.Join(whole, "\n") + "\n"
			checkGolden(t, name, got)
			for _, chunks := range [][]int{{1}, {2}, {3, 7}, {240}, {5, 1, 64}} {
				if c := decodeAll(d, data, chunks); strings.Join(c, "\n") != strings.Join(whole, "\n") {
					t.Errorf("chunks %v: %s", chunks, diffLines(strings.Join(whole, "\n"), strings.Join(c, "\n")))
				}
			}

			// Unframed: the records joined by CR.
			var text []byte
			var recs []string
			d.Reset()
			d.Feed(data)
			for {
				it, err := d.Next()
				if err == ErrNeedMore {
					break
				}
				if it.Kind == KindRecord {
					text = append(append(text, it.Record.Data...), '\r')
					recs = append(recs, summarize(it.Record))
				}
			}
			var p Parser
			p.Start(text)
			var parsed []string
			for {
				r, err := p.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("unframed: %v", err)
				}
				parsed = append(parsed, summarize(r))
			}
			if strings.Join(parsed, "\n") != strings.Join(recs, "\n") {
				t.Errorf("unframed records differ: %s", diffLines(strings.Join(recs, "\n"), strings.Join(parsed, "\n")))
			}
		})
	}
}

// TestCorpusNotASTM checks that the mini VIDAS file, which is not ASTM, is
// reported as such and yields no record.
func TestCorpusNotASTM(t *testing.T) {
	data, ok := corpusFiles(t)["senaite-mini_vidas"]
	if !ok {
		t.Skip("senaite-mini_vidas.txt absent")
	}
	d := new(Decoder)
	d.Feed(data)
	var sawErr bool
	for {
		it, err := d.Next()
		if err == ErrNeedMore {
			break
		}
		if it.Kind == KindRecord || it.Kind == KindFrame {
			t.Errorf("mini VIDAS decoded as %s", describeItem(it, err))
		}
		if errors.Is(err, ErrFrame) {
			sawErr = true
		}
	}
	if !sawErr {
		t.Error("no ErrFrame for the mini VIDAS file")
	}
	var p Parser
	p.Start(bytes.TrimPrefix(data, []byte{STX}))
	if _, err := p.Next(); !errors.Is(err, ErrNotRecord) {
		t.Errorf("Parser on mini VIDAS: %v, want ErrNotRecord", err)
	}
}
