package astm_test

import (
	"fmt"
	"io"

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

	d := astm.NewDecoder()
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
