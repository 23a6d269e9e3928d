package nbns

import (
	"errors"
	"testing"
)

// FuzzParser parses arbitrary messages with every accessor and checks
// that the parser never panics, ends, and reports errors with offsets
// inside the message; that a decoded name re-encodes to the label it came
// from; and that Sniff says yes to whatever parses with an NB or NBSTAT
// first question or record.
func FuzzParser(f *testing.F) {
	for _, m := range captureMessages(f) {
		f.Add(m)
	}
	f.Add(message(1, 0, [4]int{1, 0, 0, 0}, []byte{0xC0, 12}, u16(0x20), u16(1)))
	f.Add(message(1, FlagResponse, [4]int{0, 0xFFFF, 0, 0}, rr(name("*", 0), TypeNBSTAT, 0, []byte{0xFF})))
	f.Fuzz(func(t *testing.T, msg []byte) {
		var p Parser
		_, err := p.Start(msg)
		buf := make([]byte, 0, 512)
		entries := 0
		for p.Next() {
			entries++
			var n Name
			var r Resource
			if p.Section() == 0 {
				q := p.Question()
				n = q.Name
				if msg[q.Offset] == 32 {
					var reenc []byte
					for _, c := range n.Raw {
						reenc = append(reenc, 'A'+c>>4, 'A'+c&0xF)
					}
					if string(reenc) != string(msg[q.Offset+1:q.Offset+33]) {
						t.Fatalf("name %q does not re-encode to its label", n.Raw)
					}
				}
			} else {
				r = p.Resource()
				n = r.Name
				nb := r.NB()
				for nb.Next() {
					nb.Entry()
				}
				checkErr(t, msg, nb.Err())
				s, err := r.NodeStatus()
				checkErr(t, msg, err)
				if err == nil {
					c := 0
					for tb := s.Names(); tb.Next(); c++ {
						e := tb.Entry()
						buf = e.Name.AppendTo(buf[:0])
					}
					if c != s.Len() {
						t.Fatalf("name table of %d names yields %d", s.Len(), c)
					}
					s.UnitID()
				}
				_, err = r.WACK()
				checkErr(t, msg, err)
			}
			buf = n.AppendTo(buf[:0])
			if len(buf) > 15*4+4+1+4*255 {
				t.Fatalf("name of %d bytes", len(buf))
			}
			n.Suffix().Meaning(true)
		}
		if err == nil {
			err = p.Err()
		}
		checkErr(t, msg, err)
		if entries > 0 && entries > (len(msg)-12)/5 {
			t.Fatalf("%d entries in %d bytes", entries, len(msg))
		}
		switch Flags(p.Header().Flags).Opcode() {
		case OpQuery, OpRegistration, OpRelease, OpWACK, OpRefresh, OpRefreshAlt, OpMultihomedRegistration:
			if entries > 0 && !Sniff(msg) {
				t.Fatal("Sniff refuses a message that parses")
			}
		}
	})
}

func checkErr(t *testing.T, msg []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.Offset < 0 || e.Offset > int64(len(msg)) {
		t.Fatalf("error offset %d outside the message of %d bytes", e.Offset, len(msg))
	}
}
