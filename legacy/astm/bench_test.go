package astm

import (
	"io"
	"strconv"
	"testing"
)

// sampleMessage builds a typical result message: header, patient, order,
// 40 results with comments, terminator (about 3 KB).
func sampleMessage() []byte {
	b := []byte("H|\\^&|||XN-550^00-24^22723^^^^BD634545||||||||E1394-97\r" +
		"P|1|||37182|^Jim^Brown||19870626|M|||||^DR.1\r" +
		"O|1||^^                    27^M|^^^^WBC\\^^^^RBC\\^^^^HGB|||||||N||||||||||||||F\r")
	for i := 1; i <= 40; i++ {
		b = append(b, "R|"...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, "|^^^^WBC^1|8.13|10*3/uL||N||F||||20240627135407\r"...)
		if i%10 == 0 {
			b = append(b, "C|1|I|CONTROL_FAILED^^PLT_ABOVE_TOLERANCE|I\r"...)
		}
	}
	return append(b, "L|1|N\r"...)
}

// parseAll parses every record of msg and takes the summary of each, the
// work a passive decoder does per message.
func parseAll(p *Parser, msg []byte) int {
	p.Start(msg)
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
		case TypeHeader:
			h, _ := r.Header()
			n += len(h.SenderName())
		case TypePatient:
			pt, _ := r.Patient()
			n += pt.Seq
		case TypeOrder:
			o, _ := r.Order()
			n += len(o.TestID)
		case TypeResult:
			res, _ := r.Result()
			n += len(res.Value) + len(res.TestCode())
		case TypeComment:
			c, _ := r.Comment()
			n += len(c.Text)
		case TypeTerminator:
			l, _ := r.Terminator()
			n += len(l.Code)
		}
	}
}

// decodeStream feeds a framed stream to d in chunks and counts the records.
func decodeStream(d *Decoder, stream []byte, chunk int) int {
	d.Reset()
	n := 0
	for len(stream) > 0 {
		c := min(chunk, len(stream))
		d.Feed(stream[:c])
		stream = stream[c:]
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if it.Kind == KindRecord {
				n++
			}
		}
	}
	return n
}

// framedSample is sampleMessage as an E1381 transfer, one record per frame
// (long ones split into 240-byte intermediate frames).
func framedSample() []byte {
	var p Parser
	msg := sampleMessage()
	p.Start(msg)
	w := []byte{ENQ}
	fn := 1
	for {
		r, err := p.Next()
		if err != nil {
			break
		}
		rec := append(append([]byte(nil), r.Data...), CR)
		w, fn = AppendFrames(w, fn, rec, 0)
	}
	return append(w, EOT)
}

func BenchmarkParser(b *testing.B) {
	msg := sampleMessage()
	var p Parser
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		parseAll(&p, msg)
	}
}

func BenchmarkDecoder(b *testing.B) {
	stream := framedSample()
	d := new(Decoder)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		decodeStream(d, stream, 1460)
	}
}

// scanAll walks the records of msg without summarising them.
func scanAll(p *Parser, msg []byte) int {
	p.Start(msg)
	n := 0
	for {
		r, err := p.Next()
		if err == io.EOF {
			return n
		}
		n += len(r.Data)
	}
}

func BenchmarkParserRecords(b *testing.B) {
	msg := sampleMessage()
	var p Parser
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		scanAll(&p, msg)
	}
}
