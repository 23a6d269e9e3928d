package bench

import (
	"bytes"
	"github.com/medtap/medtap/internal/testutil"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/medtap/medtap/legacy/astm"
)

// astmMessages returns about 64 KiB of unframed E1394 records: result
// messages in the shape a Sysmex XN sends (header, patient, order, 40
// results with a comment every 10, terminator), repeated.
func astmMessages() []byte {
	var msg []byte
	msg = append(msg, "H|\\^&|||XN-550^00-24^22723^^^^BD634545||||||||E1394-97\r"+
		"P|1|||37182|^Jim^Brown||19870626|M|||||^DR.1\r"+
		"O|1||^^                    27^M|^^^^WBC\\^^^^RBC\\^^^^HGB|||||||N||||||||||||||F\r"...)
	for i := 1; i <= 40; i++ {
		msg = append(msg, "R|"...)
		msg = strconv.AppendInt(msg, int64(i), 10)
		msg = append(msg, "|^^^^WBC^1|8.13|10*3/uL||N||F||||20240627135407\r"...)
		if i%10 == 0 {
			msg = append(msg, "C|1|I|CONTROL_FAILED^^PLT_ABOVE_TOLERANCE|I\r"...)
		}
	}
	msg = append(msg, "L|1|N\r"...)
	return bytes.Repeat(msg, (64<<10)/len(msg)+1)
}

// astmFramed turns unframed records into an E1381 transfer per message:
// ENQ, one frame per record (240-byte intermediate frames for long ones), EOT.
func astmFramed(records []byte) []byte {
	var p astm.Parser
	p.Start(records)
	var out []byte
	fn := 1
	var rec []byte
	for {
		r, err := p.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			continue
		}
		if r.Type == astm.TypeHeader {
			out = append(out, astm.ENQ)
			fn = 1
		}
		rec = append(append(rec[:0], r.Data...), '\r')
		out, fn = astm.AppendFrames(out, fn, rec, 0)
		if r.Type == astm.TypeTerminator {
			out = append(out, astm.EOT)
		}
	}
}

// astmScan walks the records without looking inside them.
func astmScan(p *astm.Parser, data []byte) int {
	p.Start(data)
	n := 0
	for {
		r, err := p.Next()
		if err == io.EOF {
			return n
		}
		n += len(r.Data)
	}
}

// astmSummarise walks the records and takes the typed summary of each.
func astmSummarise(p *astm.Parser, data []byte) int {
	p.Start(data)
	n := 0
	for {
		r, err := p.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			continue
		}
		switch r.Type {
		case astm.TypeHeader:
			h, _ := r.Header()
			n += len(h.SenderName())
		case astm.TypePatient:
			pt, _ := r.Patient()
			n += pt.Seq
		case astm.TypeOrder:
			o, _ := r.Order()
			n += len(o.TestID)
		case astm.TypeResult:
			res, _ := r.Result()
			n += len(res.Value) + len(res.TestCode())
		case astm.TypeComment:
			c, _ := r.Comment()
			n += len(c.Text)
		case astm.TypeTerminator:
			l, _ := r.Terminator()
			n += len(l.Code)
		}
	}
}

// astmDecode feeds a framed stream to d in TCP-sized chunks.
func astmDecode(d *astm.Decoder, stream []byte) int {
	d.Reset()
	n := 0
	for len(stream) > 0 {
		c := min(1460, len(stream))
		d.Feed(stream[:c])
		stream = stream[c:]
		for {
			it, err := d.Next()
			if err == astm.ErrNeedMore {
				break
			}
			if it.Kind == astm.KindRecord {
				n += len(it.Record.Data)
			}
		}
	}
	return n
}

// astmCorpus returns the framed senaite analyser files joined, or nil.
func astmCorpus(tb testing.TB) []byte {
	root := testutil.CorpusRoot()
	if root == "" {
		return nil
	}
	var all []byte
	for _, n := range []string{"cobas_c311", "genexpert", "sysmex_xn550", "yumizen_h500"} {
		b, err := os.ReadFile(filepath.Join(root, "astm", "senaite-"+n+".txt"))
		if err != nil {
			return nil
		}
		all = append(all, b...)
	}
	return all
}

// BenchmarkASTM measures E1394 record parsing (records alone, and with the
// typed summary of every record) and E1381 stream decoding, beside the
// machine's limit for scanning the same bytes (bytes.IndexByte for a byte
// that is not there). No other Go library parses ASTM to compare with.
func BenchmarkASTM(b *testing.B) {
	msgs := astmMessages()
	framed := astmFramed(msgs)
	var p astm.Parser
	d := new(astm.Decoder)
	run := func(name string, data []byte, f func() int) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				f()
			}
		})
	}
	run("limit-indexbyte", msgs, func() int { return bytes.IndexByte(msgs, 0x1c) })
	run("records", msgs, func() int { return astmScan(&p, msgs) })
	run("records+summaries", msgs, func() int { return astmSummarise(&p, msgs) })
	run("e1381-decode", framed, func() int { return astmDecode(d, framed) })
	if corpus := astmCorpus(b); corpus != nil {
		run("e1381-decode-senaite", corpus, func() int { return astmDecode(d, corpus) })
	}
}
