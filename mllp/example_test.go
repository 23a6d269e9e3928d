package mllp_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

func ExampleReader() {
	stream := "noise\x0bMSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\r\x1c\r\x0bMSH|^~\\&|A|B|C|D|1||ADT^A08|2|P|2.5\r\x1c\r"
	r := mllp.NewReader(strings.NewReader(stream))
	for {
		payload, err := r.ReadFrame()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		var m hl7.Message
		m.Parse(payload)
		fmt.Println(m.Type(), m.ControlID())
	}
	fmt.Println("skipped", r.Skipped())
	// Output:
	// ADT^A01 1
	// ADT^A08 2
	// skipped 5
}

func ExampleStreamDecoder() {
	var d mllp.StreamDecoder // ready to use; MaxFrameSize 0 is the default
	next := func() {
		for {
			f, err := d.Next()
			if err == mllp.ErrNeedMore {
				return
			}
			if err != nil {
				fmt.Println("error:", err)
				continue
			}
			fmt.Printf("frame at %d: %q\n", f.Offset, f.Payload)
		}
	}
	// A capture that starts mid-frame, then loses 10 bytes.
	d.Feed([]byte("tail of a frame\x1c\r\x0bMSH|first"))
	next()
	d.Feed([]byte("\x1c\r\x0bMSH|sec"))
	next()
	d.Gap(10)
	d.Feed([]byte("lost\x1c\r\x0bMSH|third\x1c\r\x0bMSH|cut"))
	next()
	d.Flush() // the end of the stream
	next()
	// Output:
	// frame at 17: "MSH|first"
	// error: mllp: frame cut short (stream ended, bytes lost or new start block) at offset 29
	// frame at 53: "MSH|third"
	// error: mllp: frame cut short (stream ended, bytes lost or new start block) at offset 65
}

func ExampleSniff() {
	for _, s := range []string{
		"\x0bMSH|^~\\&|LAB|GHH|EHR|GHH|20240101||ORU^R01|1|P|2.5\r",
		"OBX|1|ST|||done\r\x1c\r\x0bMSH|^~\\&|LAB|GHH\r", // a capture starting mid-frame
		"\x0b\x06\x1c\r", // a commit acknowledgement
		"GET / HTTP/1.1\r\n",
	} {
		fmt.Println(mllp.Sniff([]byte(s)))
	}
	// Output:
	// true
	// true
	// true
	// false
}

func ExampleServer() {
	s := &mllp.Server{Handler: mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		// Store req.Payload durably here: the ACK is sent when this returns.
		if req.Message.Type().Comp(1).Equal("ORU") {
			return nil, nil // the server answers AA
		}
		return nil, fmt.Errorf("unsupported message type %s: %w", req.Message.Type(), mllp.ErrReject)
	})}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	go s.Serve(l)
	defer s.Shutdown(context.Background())

	c := &mllp.Client{Addr: l.Addr().String(), Timeout: 5 * time.Second}
	defer c.Close()
	for _, typ := range []string{"ORU^R01", "ADT^A01"} {
		msg := "MSH|^~\\&|LAB|GHH|EHR|GHH|20240101||" + typ + "|M-" + typ[:3] + "|P|2.5\rPID|1\r"
		_, err := c.Send(context.Background(), []byte(msg))
		fmt.Println(typ, err)
	}
	// Output:
	// ORU^R01 <nil>
	// ADT^A01 mllp: message not accepted: AR: unsupported message type ADT^A01: mllp: message rejected
}
