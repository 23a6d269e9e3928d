package astm_test

import (
	"fmt"
	"io"
	"time"

	"github.com/medtap/medtap/legacy/astm"
)

func ExampleParser() {
	msg := []byte("H|\\^&|||c311^1|||||host||P|1\r" +
		"P|1\r" +
		"O|1|S-0042||^^^685/|R\r" +
		"R|1|^^^685/|22.4|U/l||A||F\r" +
		"L|1|N\r")
	var p astm.Parser
	p.Start(msg)
	for {
		rec, err := p.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		switch rec.Type {
		case astm.TypeHeader:
			h, _ := rec.Header()
			fmt.Printf("header from %s, delimiters %s\n", h.SenderName(), h.Delims)
		case astm.TypeResult:
			r, _ := rec.Result()
			fmt.Printf("result %d: %s = %s %s flags %s\n", r.Seq, r.TestCode(), r.Value, r.Units, r.Flags)
		default:
			fmt.Printf("%s record\n", rec.Type)
		}
	}
	// Output:
	// header from c311, delimiters |\^&
	// patient record
	// order record
	// result 1: 685/ = 22.4 U/l flags A
	// terminator record
}

func ExampleDecoder() {
	// An analyser's side of a transfer: ENQ, a header, a result split over
	// two frames, and EOT.
	var wire []byte
	wire = append(wire, astm.ENQ)
	wire, next := astm.AppendFrames(wire, 1, []byte("H|\\^&|||XN-550\r"), 0)
	wire, _ = astm.AppendFrames(wire, next, []byte("R|1|^^^^WBC^1|8.13|10*3/uL||N||F\r"), 20)
	wire = append(wire, astm.EOT)

	var d astm.Decoder // the zero value is ready; set d.MaxRecord to change the limit
	// Feed the stream in two arbitrary chunks, as TCP might deliver it.
	for _, chunk := range [][]byte{wire[:30], wire[30:]} {
		d.Feed(chunk)
		for {
			it, err := d.Next()
			if err == astm.ErrNeedMore {
				break
			}
			if err != nil {
				fmt.Println("error:", err)
			}
			switch it.Kind {
			case astm.KindFrame:
				fmt.Printf("frame %d final=%v %d bytes\n", it.Frame.Number, it.Frame.Final, len(it.Frame.Text))
			case astm.KindRecord:
				fmt.Printf("record %s\n", it.Record.Data)
			default:
				fmt.Println(it.Kind)
			}
		}
	}
	// Output:
	// ENQ
	// frame 1 final=true 15 bytes
	// record H|\^&|||XN-550
	// frame 2 final=false 20 bytes
	// frame 3 final=true 13 bytes
	// record R|1|^^^^WBC^1|8.13|10*3/uL||N||F
	// EOT
}

func ExampleDelimiters_AppendUnescape() {
	value := []byte("PNG&R&20240628&R&WDF.PNG")
	out, err := astm.DefaultDelimiters.AppendUnescape(nil, value)
	fmt.Println(string(out), err)
	// Output: PNG\20240628\WDF.PNG <nil>
}

func ExampleSniff() {
	for _, first := range []string{"\x05", "\x021H|\\^&|||c311\r", "H|\\^&|||XN-550\r", "MSH|^~\\&|"} {
		fmt.Println(astm.Sniff([]byte(first)))
	}
	// Output:
	// true
	// true
	// true
	// false
}

func ExampleLink() {
	// What a passive observer saw of a connection, segment by segment: the
	// analyser's ENQ, the LIS's ACK 16 s later (past the analyser's 15 s
	// timer), then a header, a result and a comment, each acknowledged.
	const analyser, lis = 0, 1
	type segment struct {
		dir  int
		at   time.Duration
		data []byte
	}
	segs := []segment{{analyser, 0, []byte{astm.ENQ}}, {lis, 16 * time.Second, []byte{astm.ACK}}}
	for i, r := range []string{"H|\\^&|||c311\r", "R|1|^^^GLU|5.5|mmol/L\r", "C|1|I|haemolysed|G\r"} {
		segs = append(segs, segment{analyser, 17 * time.Second, astm.AppendFrame(nil, i+1, []byte(r), true)},
			segment{lis, 17 * time.Second, []byte{astm.ACK}})
	}

	var (
		dec  [2]astm.Decoder   // one per direction
		ann  [2]astm.Annotator // one per direction
		link astm.Link         // one per connection
		t0   = time.Date(2024, 6, 27, 13, 54, 0, 0, time.UTC)
	)
	for _, s := range segs {
		d := &dec[s.dir]
		d.Feed(s.data)
		for {
			it, err := d.Next()
			if err == astm.ErrNeedMore {
				break
			}
			if typ, seq := ann[s.dir].Observe(it); it.Kind == astm.KindRecord && it.Record.Type == astm.TypeComment {
				fmt.Printf("comment annotates %s %d\n", typ, seq)
			}
			if ev := link.Observe(s.dir, it.Kind, t0.Add(s.at)); ev.Kind == astm.LinkTimeout {
				fmt.Printf("%s awaiting %s after %v\n", ev.Kind, ev.Awaiting, ev.Waited)
			}
		}
	}
	// Output:
	// timeout awaiting reply after 16s
	// comment annotates result 1
}
