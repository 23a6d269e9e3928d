package hl7_test

import (
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/hl7"
)

func TestAckCode(t *testing.T) {
	tests := []struct {
		code                                hl7.AckCode
		name                                string
		accepted, errored, rejected, commit bool
	}{
		{hl7.AA, "AA", true, false, false, false},
		{hl7.AE, "AE", false, true, false, false},
		{hl7.AR, "AR", false, false, true, false},
		{hl7.CA, "CA", true, false, false, true},
		{hl7.CE, "CE", false, true, false, true},
		{hl7.CR, "CR", false, false, true, true},
		{0, "AckCode(0)", false, false, false, false},
		{7, "AckCode(7)", false, false, false, false},
	}
	for _, tt := range tests {
		c := tt.code
		if c.String() != tt.name || c.Accepted() != tt.accepted || c.Errored() != tt.errored ||
			c.Rejected() != tt.rejected || c.Commit() != tt.commit {
			t.Errorf("%d: %s accepted=%v errored=%v rejected=%v commit=%v", uint8(c), c, c.Accepted(), c.Errored(), c.Rejected(), c.Commit())
		}
	}
}

func TestAck(t *testing.T) {
	tests := []struct {
		name                  string
		in                    string
		isAck, hasMSA         bool
		code, ctrl, raw, text string
		result                hl7.AckCode
	}{
		{"AA", "MSH|^~\\&|A|B|C|D|1||ACK^A01^ACK|9|P|2.5\rMSA|AA|MSG1\r", true, true, "AA", "MSG1", "", "", hl7.AA},
		{"MCF", "MSH|^~\\&|A|B|C|D|1||MCF|9|P|2.1\rMSA|CA|MSG1\r", true, true, "CA", "MSG1", "", "", hl7.CA},
		{"AE with text", "MSH|^~\\&|A|B|C|D|1||ACK|9|P|2.3\rMSA|AE|M2|disk \\F\\ full\r", true, true, "AE", "M2", "disk \\F\\ full", "disk | full", hl7.AE},
		{"AR with ERR-8", "MSH|^~\\&|A|B|C|D|1||ACK|9|P|2.5\rMSA|AR|M3\rERR|||207|E||||no \\T\\ way\r", true, true, "AR", "M3", "", "no & way", hl7.AR},
		{"MSA-3 empty once unescaped", "MSH|^~\\&|A|B|C|D|1||ACK|9|P|2.5\rMSA|AE|M8|\\H\\\rERR|||207|E||||from ERR\r", true, true, "AE", "M8", "\\H\\", "from ERR", hl7.AE},
		{"unknown code", "MSH|^~\\&|A|B|C|D|1||ACK|9|P|2.5\rMSA|aa|M4\r", true, true, "aa", "M4", "", "", 0},
		{"no MSA", "MSH|^~\\&|A|B|C|D|1||ACK|9|P|2.5\r", true, false, "", "", "", "", 0},
		{"response with MSA", "MSH|^~\\&|A|B|C|D|1||ORR^O02|9|P|2.5\rMSA|AA|M5\rPID|1\r", false, true, "AA", "M5", "", "", hl7.AA},
		{"plain message", "MSH|^~\\&|A|B|C|D|1||ADT^A01|9|P|2.5\rPID|1\r", false, false, "", "", "", "", 0},
		{"second MSA ignored", "MSH|^~\\&|A|B|C|D|1||ACK|9|P|2.5\rMSA|CR|M6\rMSA|AA|M7\r", true, true, "CR", "M6", "", "", hl7.CR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parse(t, tt.in)
			a, ok := m.Ack()
			if m.IsAck() != tt.isAck || ok != tt.hasMSA {
				t.Fatalf("IsAck = %v, Ack ok = %v; want %v, %v", m.IsAck(), ok, tt.isAck, tt.hasMSA)
			}
			if string(a.Code) != tt.code || string(a.ControlID) != tt.ctrl || string(a.Text) != tt.raw || a.Result() != tt.result {
				t.Errorf("Ack = %q %q %q %v", a.Code, a.ControlID, a.Text, a.Result())
			}
			if got := string(a.AppendText(nil)); got != tt.text {
				t.Errorf("AppendText = %q, want %q", got, tt.text)
			}
		})
	}
	var zero hl7.Message
	if a, ok := zero.Ack(); ok || zero.IsAck() || a.Result() != 0 || a.AppendText(nil) != nil {
		t.Errorf("zero Message: %v %+v", ok, a)
	}
}

// TestAckRoundTrip checks that every code AppendACK writes reads back.
func TestAckRoundTrip(t *testing.T) {
	m := parse(t, adtA01)
	for c := hl7.AA; c <= hl7.CR; c++ {
		ack := parse(t, string(hl7.AppendACK(nil, m, c, "why")))
		a, ok := ack.Ack()
		if !ok || !ack.IsAck() || a.Result() != c || string(a.ControlID) != "MSG00001" {
			t.Errorf("%v: %v %q %q", c, ok, a.Code, a.ControlID)
		}
		if c.Accepted() {
			continue
		}
		if got := string(a.AppendText(nil)); got != "why" {
			t.Errorf("%v: text %q", c, got)
		}
	}
}

// TestAckControlID: the ACK's MSH-10 is a control ID of its own, new for
// each ACK; MSA-2 names the message acknowledged.
func TestAckControlID(t *testing.T) {
	m := parse(t, adtA01)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		ack := parse(t, string(hl7.AppendACK(nil, m, hl7.AA, "")))
		id := ack.ControlID().String()
		a, _ := ack.Ack()
		if string(a.ControlID) != "MSG00001" || id == "MSG00001" || len(id) != 20 || seen[id] {
			t.Fatalf("ACK %d: MSH-10 %q (seen %v), MSA-2 %q", i, id, seen[id], a.ControlID)
		}
		seen[id] = true
	}
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	id := string(hl7.AppendControlID(nil, at))
	if len(id) != 20 || id[:14] != "20240102030405" || strings.Trim(id[14:], "0123456789") != "" {
		t.Errorf("AppendControlID = %q", id)
	}
	if id2 := string(hl7.AppendControlID(nil, at)); id2 == id {
		t.Errorf("two control IDs %q", id)
	}
}
