package ul

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/medtap/medtap/dicom"
)

// evilRQs returns n A-ASSOCIATE-RQ PDUs back to back, with AE titles no
// real peer sent: what a hostile client hides in the body of a PDU.
func evilRQs(n int) []byte {
	rq := sampleRQ()
	var out []byte
	for i := range n {
		rq.CallingAE = fmt.Appendf(nil, "EVIL%04d", i)
		out = AppendAssociate(out, rq)
	}
	return out
}

// oversizedPData is a P-DATA-TF of more than limit bytes whose body (after
// a plausible first PDV header) is full of A-ASSOCIATE-RQ PDUs.
func oversizedPData(limit int) []byte {
	body := evilRQs(limit/400 + 1)
	pdv := append([]byte{0, 0, 0, 0, 1, byte(ControlCommand)}, body...)
	n := uint32(len(pdv) - 4)
	pdv[0], pdv[1], pdv[2], pdv[3] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return append(AppendPDUHeader(nil, TypePDataTF, uint32(len(pdv))), pdv...)
}

// oversizedRQ is a genuine A-ASSOCIATE-RQ made longer than limit by an
// unknown item that holds A-ASSOCIATE-RQ PDUs.
func oversizedRQ(limit int) []byte {
	rq := AppendAssociate(nil, sampleRQ())
	junk := evilRQs(limit/400 + 1)
	for len(junk) > 0 {
		n := min(len(junk), 0xffff)
		rq = append(rq, 0x77, 0, byte(n>>8), byte(n))
		rq = append(rq, junk[:n]...)
		junk = junk[n:]
	}
	n := uint32(len(rq) - HeaderLen)
	rq[2], rq[3], rq[4], rq[5] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return rq
}

func echoSegs() []seg {
	noDS := us(tagDataSetType, dataSetTypeNone)
	return []seg{
		{0, AppendMessagePart(nil, 1, true, cmdSet(CEchoRQ, 1, all(str(tagAffectedSOPClass, dicom.UI, uidVerification), noDS)), 0)},
		{1, AppendMessagePart(nil, 1, true, cmdSet(CEchoRSP, 1, all(str(tagAffectedSOPClass, dicom.UI, uidVerification), noDS, us(tagStatus, 0))), 0)},
		{0, AppendRelease(nil, TypeReleaseRQ)},
		{1, AppendRelease(nil, TypeReleaseRP)},
	}
}

// TestDecoderSkipsOversizedPDU checks that a P-DATA-TF over MaxPDULength
// that follows a decoded PDU is skipped whole, so that none of the
// A-ASSOCIATE-RQ PDUs in its body is decoded, and that the PDUs after it
// are.
func TestDecoderSkipsOversizedPDU(t *testing.T) {
	const limit = 1 << 16
	rq := AppendAssociate(nil, sampleRQ())
	big := oversizedPData(limit)
	after := AppendPData(nil, 1, ControlCommand|ControlLast, []byte("echo"))
	s := append(append(append(append([]byte{}, rq...), big...), after...), AppendRelease(nil, TypeReleaseRQ)...)
	want := []string{
		fmt.Sprintf("A-ASSOCIATE-RQ@0 %x", rq[HeaderLen:]),
		fmt.Sprintf("error %d %v", len(rq)+2, ErrPDULength),
		fmt.Sprintf("P-DATA-TF@%d len 10", len(rq)+len(big)),
		fmt.Sprintf("PDV ctx 1 ctl 3 len 4 %x", "echo"),
		fmt.Sprintf("A-RELEASE-RQ@%d 00000000", len(rq)+len(big)+len(after)),
	}
	for _, size := range []int{1, 7, 1000, len(s)} {
		got := trace(&Decoder{MaxPDULength: limit}, chunk(s, size))
		if d := diff(want, got); d != "" {
			t.Errorf("chunks of %d: %s", size, d)
		}
	}
}

// TestAssociationHostileOversized feeds associations in which a PDU too
// long to decode hides A-ASSOCIATE-RQ PDUs: no associate-rq event may come
// from them, and the traffic after them must be decoded.
func TestAssociationHostileOversized(t *testing.T) {
	const limit = 1 << 16
	echo := []string{
		"dimse dir=0 C-ECHO-RQ id=1/0 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop=1.2.840.10008.1.1 inst=",
		"dimse dir=1 C-ECHO-RSP id=0/1 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop=1.2.840.10008.1.1 inst= status=0x0000(success)",
		"release-rq dir=0",
		"release-rp dir=1",
	}
	noContext := []string{
		"dimse dir=0 C-ECHO-RQ id=1/0 ctx=1 as= ts= sop=1.2.840.10008.1.1 inst=",
		"dimse dir=1 C-ECHO-RSP id=0/1 ctx=1 as= ts= sop=1.2.840.10008.1.1 inst= status=0x0000(success)",
		"release-rq dir=0",
		"release-rp dir=1",
	}
	rqEvent := `associate-rq dir=0 CT01->ARCHIVE ctx=3 impl=1.2.276.0.7230010.3.0.3.6.7 ver=OFFIS_DCMTK_367 max=16384 roles=1 ext=1/1 unknown=0 identity=username-password/"admin"/6-byte-secret/""`
	acEvent := `associate-ac dir=1 CT01->ARCHIVE ctx=3 impl=1.2.826.0.1.3680043.2.1143.107.104.103.115 ver=ORTHANC_1_12 max=32768 roles=0 ext=0/0 unknown=0 identity=unknown/""/0-byte-secret/"ok"`
	rq, ac := AppendAssociate(nil, sampleRQ()), AppendAssociate(nil, sampleAC())
	bigRQ := oversizedRQ(limit)
	junk := bytes.Repeat([]byte{0xEE}, 37)
	tests := []struct {
		name string
		segs []seg
		want []string
	}{{
		// After the association was negotiated, a P-DATA-TF too long: its
		// length is trusted and it is skipped whole.
		name: "p-data",
		segs: append([]seg{{0, rq}, {1, ac}, {0, oversizedPData(limit)}}, echoSegs()...),
		want: append([]string{rqEvent, acEvent, fmt.Sprintf("error %v at offset %d", ErrPDULength, len(rq)+2)}, echo...),
	}, {
		// An A-ASSOCIATE-RQ too long, first in its stream: the fields
		// after its header show that it is one, and it is skipped whole.
		name: "associate-rq",
		segs: append([]seg{{0, bigRQ}, {1, ac}}, echoSegs()...),
		// The contexts' abstract syntaxes were in the request.
		want: append([]string{"error " + ErrPDULength.Error() + " at offset 2", acEvent,
			"dimse dir=0 C-ECHO-RQ id=1/0 ctx=1 as= ts=1.2.840.10008.1.2 sop=1.2.840.10008.1.1 inst=",
			"dimse dir=1 C-ECHO-RSP id=0/1 ctx=1 as= ts=1.2.840.10008.1.2 sop=1.2.840.10008.1.1 inst= status=0x0000(success)"},
			echo[2:]...),
	}, {
		// A capture that starts inside the association: resynchronising,
		// the decoder may find P-DATA-TF but no A-ASSOCIATE-RQ.
		name: "mid-stream",
		segs: append([]seg{{0, append(append(junk, evilRQs(20)...), echoSegs()[0].data...)}}, echoSegs()[1:]...),
		want: append([]string{"error " + ErrPDUType.Error() + " at offset 0"}, noContext...),
	}, {
		// The same after bytes that are not a PDU in an established
		// association.
		name: "garbage",
		segs: append([]seg{{0, rq}, {1, ac}, {0, evilRQs(20)[100:]}}, echoSegs()...),
		want: append([]string{rqEvent, acEvent, "error " + ErrPDUType.Error() + fmt.Sprintf(" at offset %d", len(rq))}, echo...),
	}}
	for _, tt := range tests {
		for _, size := range []int{1, 5, 1000, 1 << 20} {
			a := &Association{MaxPDULength: limit, MaxAssociateLength: limit}
			got := runAssociation(a, tt.segs, size)
			if d := diff(tt.want, got); d != "" {
				t.Errorf("%s, chunks of %d: %s\ngot:\n%s", tt.name, size, d, strings.Join(got, "\n"))
			}
		}
	}
}

// TestResyncAllow checks which PDU types each direction may resynchronise
// on, in each phase of the association.
func TestResyncAllow(t *testing.T) {
	const (
		rq  = 1 << TypeAssociateRQ
		acj = 1<<TypeAssociateAC | 1<<TypeAssociateRJ
		dt  = 1<<TypePDataTF | 1<<TypeReleaseRQ | 1<<TypeReleaseRP
		ab  = 1 << TypeAbort
	)
	tests := []struct {
		phase            phase
		blind            bool
		requestor, accep uint8
	}{
		{phaseNone, false, rq | ab, ab},
		{phaseNone, true, dt | ab, dt | ab},
		{phaseRequested, false, ab, acj | ab},
		{phaseRequested, true, dt | ab, acj | dt | ab},
		{phaseEstablished, false, dt | ab, dt | ab},
		{phaseEstablished, true, dt | ab, dt | ab},
		{phaseEnded, false, ab, ab},
		{phaseEnded, true, ab, ab},
	}
	for _, tt := range tests {
		a := Association{phase: tt.phase, blind: tt.blind}
		if r, c := a.allow(FromRequestor), a.allow(FromAcceptor); r != tt.requestor || c != tt.accep {
			t.Errorf("phase %d blind %v: %08b %08b, want %08b %08b", tt.phase, tt.blind, r, c, tt.requestor, tt.accep)
		}
	}
}

// TestPlausibleAt checks what resynchronisation accepts as a PDU header,
// and that a candidate cut short is undecided until the bytes that decide
// it are at hand.
func TestPlausibleAt(t *testing.T) {
	rq, ac := AppendAssociate(nil, sampleRQ()), AppendAssociate(nil, sampleAC())
	mod := func(b []byte, i int, v byte) []byte {
		c := append([]byte{}, b...)
		c[i] = v
		return c
	}
	tests := []struct {
		name string
		w    []byte
		ok   bool
	}{
		{"rq", rq, true},
		{"ac", ac, true},
		{"rj", AppendReject(nil, Reject{Result: 1, Source: 1, Reason: 7}), true},
		{"release-rq", AppendRelease(nil, TypeReleaseRQ), true},
		{"release-rp", AppendRelease(nil, TypeReleaseRP), true},
		{"abort", AppendAbort(nil, Abort{Source: 2, Reason: 6}), true},
		{"p-data", AppendPData(nil, 1, 3, []byte("abc")), true},
		{"bad type", mod(rq, 0, 9), false},
		{"reserved", mod(rq, 1, 1), false},
		{"version", mod(rq, 7, 2), false},
		{"version high byte", mod(rq, 6, 1), false},
		{"rq reserved", mod(rq, 8, 1), false},
		{"control char in AE", mod(rq, 12, 1), false},
		{"ac zero AE", mod(ac, 12, 0), true},
		{"rq zero AE", mod(rq, 12, 0), false},
		{"reserved 32", mod(rq, 50, 1), false},
		{"no application context", mod(rq, 74, 0x20), false},
		{"application context too long", mod(rq, 76, 1), false},
		{"rq too short", AppendPDUHeader(nil, TypeAssociateRQ, 60), false},
		{"rq over limit", mod(rq, 2, 1), false},
		{"rj source", mod(AppendReject(nil, Reject{Result: 1, Source: 1, Reason: 7}), 8, 4), false},
		{"release reserved", mod(AppendRelease(nil, TypeReleaseRQ), 9, 1), false},
		{"abort reason", mod(AppendAbort(nil, Abort{Source: 2, Reason: 6}), 9, 7), false},
		{"abort length", mod(AppendAbort(nil, Abort{Source: 2, Reason: 6}), 5, 5), false},
		{"pdv context even", mod(AppendPData(nil, 1, 3, []byte("abc")), 10, 2), false},
	}
	for _, tt := range tests {
		need := len(tt.w)
		for n := 0; n <= len(tt.w); n++ {
			ok, decided := plausibleAt(tt.w[:n], 0, DefaultMaxPDULength, DefaultMaxAssociateLength)
			if decided {
				if ok != tt.ok {
					t.Errorf("%s: %v with %d bytes, want %v", tt.name, ok, n, tt.ok)
				}
				need = n
				break
			}
		}
		if need > resyncWindow || need == len(tt.w) && need > resyncWindow {
			t.Errorf("%s: decided after %d bytes", tt.name, need)
		}
		// Once decided, more bytes do not change the answer.
		for n := need; n <= len(tt.w); n++ {
			if ok, decided := plausibleAt(tt.w[:n], 0, DefaultMaxPDULength, DefaultMaxAssociateLength); !decided || ok != tt.ok {
				t.Errorf("%s: %v %v with %d bytes", tt.name, ok, decided, n)
			}
		}
		// A type the state does not allow is refused at once.
		if ok, decided := plausibleAt(tt.w[:1], 1<<TypeAbort, DefaultMaxPDULength, DefaultMaxAssociateLength); tt.w[0] != byte(TypeAbort) && (ok || !decided) {
			t.Errorf("%s: %v %v when only A-ABORT is allowed", tt.name, ok, decided)
		}
	}
}
