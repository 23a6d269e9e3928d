package ul

import (
	"encoding/binary"
	"path/filepath"
	"testing"
)

// sniffRef is the reference for Sniff, written independently of the
// package's header helpers.
func sniffRef(data []byte) bool {
	if len(data) < 10 || data[1] != 0 {
		return false
	}
	n := binary.BigEndian.Uint32(data[2:])
	switch data[0] {
	case 1, 2:
		return n >= 68 && n <= 1<<20 && binary.BigEndian.Uint16(data[6:]) == 1
	case 4:
		if len(data) < 12 {
			return false
		}
		m := binary.BigEndian.Uint32(data[6:])
		return n >= 6 && n <= 16<<20 && m >= 2 && m <= n-4 && data[10]&1 == 1 && data[11] <= 3
	}
	return false
}

func TestSniff(t *testing.T) {
	rq := AppendAssociate(nil, &Associate{Type: TypeAssociateRQ, ProtocolVersion: 1, CalledAE: b("A"), CallingAE: b("B")})
	ac := AppendAssociate(nil, sampleAC())
	v2 := AppendAssociate(nil, &Associate{Type: TypeAssociateRQ, ProtocolVersion: 2})
	huge := append([]byte(nil), rq[:10]...)
	huge[2] = 0x10 // 256 MiB
	big := append([]byte(nil), rq[:10]...)
	big[2], big[3], big[4], big[5] = 0, 0x10, 0, 0 // exactly 1 MiB
	reserved := append([]byte(nil), rq...)
	reserved[1] = 1
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"associate-rq", rq, true},
		{"associate-rq first 10 bytes", rq[:10], true},
		{"associate-rq first 9 bytes", rq[:9], false},
		{"associate-ac", ac, true},
		{"associate-rq of 1 MiB", big, true},
		{"associate-rq of 256 MiB", huge, false},
		{"protocol version 2", v2, false},
		{"reserved byte set", reserved, false},
		{"too short for an associate-rq", []byte("\x01\x00\x00\x00\x00\x10\x00\x01abcd"), false},
		// 01 00 00 00 00 44 00 01: the shortest A-ASSOCIATE-RQ length.
		{"associate-rq of 68 bytes", []byte("\x01\x00\x00\x00\x00\x44\x00\x01\x00\x00"), true},
		{"http", []byte("GET / HTTP/1.1\r\n"), false},
		{"tls client hello", []byte("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), false},
		{"empty", nil, false},
		{"release-rq", AppendRelease(nil, TypeReleaseRQ), false},
		{"abort", AppendAbort(nil, Abort{Source: AbortServiceProvider}), false},
		{"reject", AppendReject(nil, Reject{Result: RejectedPermanent, Source: RejectServiceUser, Reason: ReasonCalledAETitleNotRecognized}), false},
		{"p-data command", AppendPData(nil, 1, 3, b("command")), true},
		{"p-data dataset", AppendPData(nil, 5, 0, b("dataset")), true},
		{"p-data empty pdv", AppendPData(nil, 1, 3, nil), true},
		{"p-data first 11 bytes", AppendPData(nil, 1, 3, b("command"))[:11], false},
		{"p-data first 12 bytes", AppendPData(nil, 1, 3, b("command"))[:12], true},
		{"p-data even context id", AppendPData(nil, 2, 3, b("command")), false},
		{"p-data control bits", AppendPData(nil, 1, 9, b("command")), false},
		// 04 00 00000010 00000020 01 03: a PDV longer than its PDU.
		{"p-data pdv longer than pdu", []byte("\x04\x00\x00\x00\x00\x10\x00\x00\x00\x20\x01\x03"), false},
		// 04 00 00000010 00000001 01 03: a PDV item too short for its header.
		{"p-data pdv length 1", []byte("\x04\x00\x00\x00\x00\x10\x00\x00\x00\x01\x01\x03"), false},
		// 04 00 01000001 ...: a P-DATA-TF over DefaultMaxPDULength.
		{"p-data over the pdu limit", []byte("\x04\x00\x01\x00\x00\x01\x00\x00\x00\x02\x01\x03"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff(tt.in); got != tt.want {
				t.Errorf("Sniff(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if ref := sniffRef(tt.in); ref != tt.want {
				t.Errorf("reference(%q) = %v, want %v", tt.in, ref, tt.want)
			}
		})
	}
}

// TestSniffCaptures checks that the first bytes the requestor sends on
// every connection of the real-peer captures are recognised.
func TestSniffCaptures(t *testing.T) {
	n := 0
	files, _ := filepath.Glob("testdata/*.pcap")
	for _, file := range files {
		if filepath.Base(file) == "tls.pcap" {
			continue // DICOM over TLS
		}
		for _, c := range captureConns(t, file) {
			for _, s := range c.segs {
				if s.dir == FromRequestor {
					if !Sniff(s.data) {
						t.Errorf("%s: Sniff(%.24x) = false", c.name, s.data)
					}
					n++
					break
				}
			}
		}
	}
	if n == 0 {
		t.Skip("no captures")
	}
}

// FuzzSniff checks Sniff against the reference, that it looks at the first
// twelve bytes only, and that the decoder takes what Sniff accepts: the
// first PDU header (and for a P-DATA-TF the first PDV header) decodes
// without an error.
func FuzzSniff(f *testing.F) {
	f.Add(AppendAssociate(nil, sampleRQ()))
	f.Add(AppendAssociate(nil, sampleAC()))
	f.Add(AppendPData(nil, 1, ControlCommand|ControlLast, b("command")))
	f.Add(AppendRelease(nil, TypeReleaseRQ))
	f.Add([]byte("\x04\x00\x00\x00\x00\x10\x00\x00\x00\x20\x01\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := Sniff(data)
		if ref := sniffRef(data); got != ref {
			t.Fatalf("Sniff(%x) = %v, reference %v", data, got, ref)
		}
		if len(data) > 12 && Sniff(data[:12]) != got {
			t.Fatalf("Sniff(%x) depends on bytes after the twelfth", data)
		}
		if !got {
			return
		}
		d := Decoder{MaxAssociateLength: sniffMaxAssociate}
		d.Feed(data)
		it, err := d.Next()
		if err == nil && it.Kind == KindPData {
			_, err = d.Next() // the first PDV
		}
		if err != nil && err != ErrNeedMore {
			t.Fatalf("Sniff accepts %x, the decoder reports %v", data, err)
		}
	})
}

func TestSniffReply(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"abort from the provider", AppendAbort(nil, Abort{Source: 2, Reason: 2}), true},
		{"abort from the user", AppendAbort(nil, Abort{Source: 0}), true},
		{"reject", AppendReject(nil, Reject{Result: 1, Source: 1, Reason: 7}), true},
		{"associate-ac", AppendAssociate(nil, &Associate{Type: TypeAssociateAC, ProtocolVersion: 1, CalledAE: []byte("A"), CallingAE: []byte("B")}), true},
		{"abort, bad source", []byte{7, 0, 0, 0, 0, 4, 0, 0, 1, 0}, false},
		{"reject, bad result", []byte{3, 0, 0, 0, 0, 4, 0, 3, 1, 1}, false},
		{"abort with trailing bytes", append(AppendAbort(nil, Abort{Source: 2}), 0), false},
		{"release-rp", AppendRelease(nil, TypeReleaseRP), false},
		{"an RDP answer", []byte{3, 0, 0, 0x13, 0x0e, 0xd0, 0, 0, 0x12, 0x34}, false},
	} {
		if got := SniffReply(tt.in); got != tt.want {
			t.Errorf("%s: SniffReply(% x) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}
