//go:build !race

package ul

import "testing"

func TestDecodePDUsAllocs(t *testing.T) {
	s := sampleStream()
	var d Decoder
	var a Associate
	decodeAll(&d, &a, s, 7) // warm up the buffers
	if n := testing.AllocsPerRun(50, func() { decodeAll(&d, &a, s, 7) }); n != 0 {
		t.Errorf("decoding allocates %v times per stream, want 0", n)
	}
}

func TestAssociationAllocs(t *testing.T) {
	segs := sampleAssociation()
	var a Association
	a.MaxDatasetHeader = 1024
	feedAssociation(&a, segs, 1460)
	if n := testing.AllocsPerRun(50, func() { feedAssociation(&a, segs, 1460) }); n != 0 {
		t.Errorf("following an association allocates %v times, want 0", n)
	}
}

func TestSniffAllocs(t *testing.T) {
	in := [][]byte{AppendAssociate(nil, sampleRQ()), AppendPData(nil, 1, 3, []byte("command")), []byte("GET / HTTP/1.1\r\n")}
	if n := testing.AllocsPerRun(100, func() {
		for _, b := range in {
			Sniff(b)
		}
	}); n != 0 {
		t.Errorf("Sniff allocates %v times, want 0", n)
	}
}

// TestCodeStringAllocs checks that naming a known code allocates nothing.
func TestCodeStringAllocs(t *testing.T) {
	r := Reject{Result: RejectedPermanent, Source: RejectServiceUser, Reason: ReasonCalledAETitleNotRecognized}
	ab := Abort{Source: AbortServiceProvider, Reason: AbortUnexpectedPDU}
	var n int
	if allocs := testing.AllocsPerRun(100, func() {
		n += len(r.Result.String()) + len(r.Source.String()) + len(r.ReasonString())
		n += len(ab.Source.String()) + len(ab.ReasonString()) + len(ResultAcceptance.String()) + len(IdentityJWT.String())
		n += len(RoleSupported.String()) + len(PriorityHigh.String()) + len(Status(0xA700).String()) + len(ItemUserIdentityAC.String())
		n += len((ControlCommand | ControlLast).String()) + len(KindPDV.String()) + len(CStoreRQ.String())
	}); allocs != 0 {
		t.Errorf("naming codes allocates %v times, want 0", allocs)
	}
}
