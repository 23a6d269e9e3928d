package hl7_test

import (
	"fmt"
	"time"

	"github.com/medtap/medtap/hl7"
)

func Example() {
	data := []byte("MSH|^~\\&|LAB|GHH|EHR|GHH|20240102030405||ORU^R01^ORU_R01|MSG42|P|2.5.1\r" +
		"PID|1||555-44-4444^^^MRN~99^^^SSN||EVERYWOMAN^EVE^E\r" +
		"OBX|1|ST|GLU^Glucose||182 mg/dl \\T\\ fasting|||H\r")
	var m hl7.Message
	if err := m.Parse(data); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Type(), m.ControlID(), m.Version())
	for _, path := range []string{"PID-3(2)-1", "PID-5-2", "OBX-3-2"} {
		v, _ := m.Get(path)
		fmt.Printf("%s = %s\n", path, v)
	}
	v, _ := m.Get("OBX-5")
	fmt.Printf("OBX-5 unescaped = %s\n", v.AppendUnescaped(nil))
	// Output:
	// ORU^R01^ORU_R01 MSG42 2.5.1
	// PID-3(2)-1 = 99
	// PID-5-2 = EVE
	// OBX-3-2 = Glucose
	// OBX-5 unescaped = 182 mg/dl & fasting
}

func ExampleSegment_Fields() {
	var m hl7.Message
	m.Parse([]byte("MSH|^~\\&|A\rPID|1||ID1~ID2^X\r"))
	pid, _ := m.SegmentByName("PID", 1)
	c := pid.Fields()
	for c.Next() {
		r := c.Value().Reps()
		for r.Next() {
			fmt.Printf("PID-%d(%d) = %q\n", c.Index(), r.Index(), r.Value())
		}
	}
	// Output:
	// PID-1(1) = "1"
	// PID-2(1) = ""
	// PID-3(1) = "ID1"
	// PID-3(2) = "ID2^X"
}

func ExampleAppendACK() {
	var m hl7.Message
	m.Parse([]byte("MSH|^~\\&|ADT|HOSP|LAB|HOSP|20240101||ADT^A01|CTRL1|P|2.5\rPID|1\r"))
	// AppendACK stamps the current time and makes a new control ID for
	// the ACK's MSH-10; AppendACKAt takes both, for reproducible output.
	ack := hl7.AppendACKAt(nil, &m, hl7.AA, "", time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC), "ACK1")
	fmt.Printf("%q\n", ack)
	// Output:
	// "MSH|^~\\&|LAB|HOSP|ADT|HOSP|20240101120000||ACK^A01^ACK|ACK1|P|2.5\rMSA|AA|CTRL1\r"
}

func ExampleBatch() {
	data := []byte("BHS|^~\\&\rMSH|^~\\&|A||||||ADT^A01|1|P|2.5\rMSH|^~\\&|A||||||ADT^A02|2|P|2.5\rBTS|3\r")
	var b hl7.Batch
	b.Reset(data)
	for b.Next() {
		fmt.Println(b.Message().ControlID())
	}
	fmt.Println(b.Err())
	// Output:
	// 1
	// 2
	// hl7: BTS-1 message count does not match the batch at offset 73 (segment "BTS")
}

func ExampleMessage_Ack() {
	var m hl7.Message
	m.Parse([]byte("MSH|^~\\&|LAB|HOSP|ADT|HOSP|20240101120000||ACK^A01^ACK|A7|P|2.5\rMSA|AE|CTRL1|disk \\F\\ full\r"))
	a, ok := m.Ack()
	fmt.Println(m.IsAck(), ok)
	fmt.Printf("%s %s %q\n", a.Code, a.ControlID, a.Text)
	code := a.Result()
	fmt.Println(code, code.Accepted(), code.Errored(), code.Rejected())
	fmt.Printf("%s\n", a.AppendText(nil))
	// Output:
	// true true
	// AE CTRL1 "disk \\F\\ full"
	// AE false true false
	// disk | full
}

func ExampleSniff() {
	for _, s := range []string{"MSH|^~\\&|LAB|HOSP\r", "\r\nBHS|^~\\&\r", "PID|1\r", "MSHX"} {
		fmt.Println(hl7.Sniff([]byte(s)))
	}
	// Output:
	// true
	// true
	// false
	// false
}
