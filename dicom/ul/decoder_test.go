package ul

import (
	"bytes"
	"errors"
	"testing"
)

func TestDecoderChunking(t *testing.T) {
	s := sampleStream()
	want := trace(new(Decoder), [][]byte{s})
	if len(want) != 13 {
		t.Fatalf("whole stream gave %d items, want 13:\n%q", len(want), want)
	}
	for _, sizes := range [][]int{{1}, {2}, {5}, {6}, {7}, {3, 11, 64}, {1000}, {100, 1, 1, 7}} {
		got := trace(new(Decoder), chunk(s, sizes...))
		if d := diff(want, got); d != "" {
			t.Errorf("chunks %v: %s", sizes, d)
		}
	}
}

func TestAssociateRoundTrip(t *testing.T) {
	for _, a := range []*Associate{sampleRQ(), sampleAC()} {
		pdu := AppendAssociate(nil, a)
		var got Associate
		if err := got.Parse(Type(pdu[0]), pdu[HeaderLen:]); err != nil {
			t.Fatal(err)
		}
		// Parse twice into the same value: reuse must give the same result.
		if err := got.Parse(Type(pdu[0]), pdu[HeaderLen:]); err != nil {
			t.Fatal(err)
		}
		again := AppendAssociate(nil, &got)
		if !bytes.Equal(pdu, again) {
			t.Errorf("%v: round trip differs\n%x\n%x", a.Type, pdu, again)
		}
		if len(got.Unknown) != 0 {
			t.Errorf("%v: unknown items %v", a.Type, got.Unknown)
		}
	}
	var a Associate
	pdu := AppendAssociate(nil, sampleRQ())
	if err := a.Parse(TypeAssociateRQ, pdu[HeaderLen:]); err != nil {
		t.Fatal(err)
	}
	if string(a.CallingAE) != "CT01" || string(a.CalledAE) != "ARCHIVE" || len(a.Contexts) != 3 ||
		len(a.Contexts[1].TransferSyntaxes) != 2 || string(a.Contexts[1].TransferSyntaxes[1]) != uidImplicitLE ||
		a.UserInfo.MaxLength != 16384 || string(a.UserInfo.Identity.Secondary) != "secret" {
		t.Errorf("parsed %+v", a)
	}
	if rel := a.UserInfo.CommonExtended[0].RelatedClasses(nil); len(rel) != 1 || string(rel[0]) != "1.2" {
		t.Errorf("related classes %q", rel)
	}
}

func TestAssociateUnknownItems(t *testing.T) {
	pdu := AppendAssociate(nil, sampleRQ())
	// Append an unknown top-level item and fix the PDU length.
	pdu = append(pdu, 0x77, 0, 0, 3, 'a', 'b', 'c')
	n := len(pdu) - HeaderLen
	pdu[2], pdu[3], pdu[4], pdu[5] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	var a Associate
	if err := a.Parse(TypeAssociateRQ, pdu[HeaderLen:]); err != nil {
		t.Fatal(err)
	}
	if len(a.Unknown) != 1 || a.Unknown[0].Type != 0x77 || string(a.Unknown[0].Data) != "abc" || a.Unknown[0].Offset != int64(len(pdu)-7) {
		t.Errorf("unknown %+v", a.Unknown)
	}
}

func TestAssociateMalformed(t *testing.T) {
	pdu := AppendAssociate(nil, sampleRQ())
	body := pdu[HeaderLen:]
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"short fixed part", body[:60], ErrTruncated},
		{"item cut", body[:70], ErrTruncated},
		{"item overruns", append(append([]byte{}, body[:68]...), 0x10, 0, 0xff, 0xff, '1'), ErrItemLength},
		{"bad max length", append(append([]byte{}, body[:68]...), 0x50, 0, 0, 5, 0x51, 0, 0, 1, 9), ErrPDUBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Associate
			err := a.Parse(TypeAssociateRQ, tt.body)
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDecoderErrors(t *testing.T) {
	release := AppendRelease(nil, TypeReleaseRQ)
	tests := []struct {
		name   string
		stream []byte
		want   error
		off    int64
	}{
		{"bad type", append([]byte{0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0}, release...), ErrPDUType, 0},
		{"too long", append([]byte{0x04, 0, 0x7f, 0, 0, 0}, release...), ErrPDULength, 2},
		{"pdv overruns pdu", append([]byte{0x04, 0, 0, 0, 0, 8, 0, 0, 0, 9, 1, 3, 0, 0}, release...), ErrPDVLength, 6},
		{"pdv length 1", append([]byte{0x04, 0, 0, 0, 0, 8, 0, 0, 0, 1, 1, 3, 0, 0}, release...), ErrPDVLength, 6},
		{"pdu shorter than pdv header", append([]byte{0x04, 0, 0, 0, 0, 3, 0, 0, 0}, release...), ErrPDVLength, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{1, 3, len(tt.stream)} {
				out := trace(new(Decoder), chunk(tt.stream, size))
				if len(out) < 2 {
					t.Fatalf("size %d: %q", size, out)
				}
				if want := "error " + itoa(tt.off) + " " + tt.want.Error(); out[0] != want && !(len(out) > 1 && out[1] == want) {
					t.Errorf("size %d: %q, want %q", size, out, want)
				}
				if last := out[len(out)-1]; last != "A-RELEASE-RQ@"+itoa(int64(len(tt.stream)-10))+" 00000000" {
					t.Errorf("size %d: did not resynchronise: %q", size, out)
				}
			}
		})
	}
}

func itoa(n int64) string { return string(appendInt(nil, n)) }

func appendInt(b []byte, n int64) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

func TestDecoderGap(t *testing.T) {
	var d Decoder
	s := AppendPData(nil, 1, 0, bytes.Repeat([]byte{7}, 100))
	s = AppendRelease(s, TypeReleaseRQ)
	d.Feed(s[:50])
	var n int
	for {
		_, err := d.Next()
		if err == ErrNeedMore {
			break
		}
		n++
	}
	d.Gap(20)
	d.Feed(s[70:])
	var got []Item
	for {
		it, err := d.Next()
		if err == ErrNeedMore {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it)
	}
	if len(got) != 2 || !got[0].AfterGap || !got[0].Last || len(got[0].Body) != 112-70 || got[1].Type != TypeReleaseRQ || got[1].Offset != 112 {
		t.Errorf("after gap: %+v", got)
	}
	// An unknown gap resynchronises at the next PDU.
	d.Reset()
	d.Feed(s[:50])
	for _, err := d.Next(); err != ErrNeedMore; _, err = d.Next() {
	}
	d.Gap(-1)
	d.Feed(s[60:])
	it, err := d.Next()
	if err != nil || it.Type != TypeReleaseRQ {
		t.Errorf("after unknown gap: %+v %v", it, err)
	}
}

func TestNegotiatedLength(t *testing.T) {
	d := Decoder{Negotiated: 50}
	d.Feed(AppendPData(nil, 1, 3, make([]byte, 60)))
	it, err := d.Next()
	if !errors.Is(err, ErrNegotiated) || it.Kind != KindPData {
		t.Fatalf("got %+v %v", it, err)
	}
	it, err = d.Next()
	if err != nil || it.Kind != KindPDV || len(it.Body) != 60 {
		t.Fatalf("got %+v %v", it, err)
	}
}

func TestMaxAssociateLength(t *testing.T) {
	rq := AppendAssociate(nil, sampleRQ())
	s := append(append([]byte{}, rq...), AppendRelease(nil, TypeReleaseRQ)...)
	out := trace(&Decoder{MaxAssociateLength: 100}, chunk(s, 7))
	if len(out) != 2 || out[0] != "error 2 "+ErrPDULength.Error() || out[1] != "A-RELEASE-RQ@"+itoa(int64(len(rq)))+" 00000000" {
		t.Errorf("%q", out)
	}
}

// TestDecoderBuffered checks that an A-ASSOCIATE-RQ split across chunks
// counts while the decoder collects it, and no longer once it is returned.
func TestDecoderBuffered(t *testing.T) {
	rq := AppendAssociate(nil, sampleRQ())
	var d Decoder
	d.Feed(rq[:100])
	if _, err := d.Next(); err != ErrNeedMore {
		t.Fatalf("first half: %v", err)
	}
	if got, want := d.Buffered(), 100-HeaderLen; got != want {
		t.Errorf("after half the PDU: Buffered %d, want %d", got, want)
	}
	d.Feed(rq[100:])
	if it, err := d.Next(); err != nil || it.Type != TypeAssociateRQ {
		t.Fatalf("second half: %+v %v", it, err)
	}
	if _, err := d.Next(); err != ErrNeedMore {
		t.Fatalf("end: %v", err)
	}
	if got := d.Buffered(); got != 0 {
		t.Errorf("after the PDU: Buffered %d, want 0", got)
	}
}

func TestDecoderFlush(t *testing.T) {
	release := AppendRelease(nil, TypeReleaseRQ) // 10 bytes before the PDU cut short
	rq := AppendAssociate(nil, sampleRQ())
	pdata := AppendPData(nil, 1, 0, bytes.Repeat([]byte{7}, 100))
	two := AppendPData(nil, 1, 0, []byte("first"))
	two = append(two, 0, 0, 0, 2, 1, byte(ControlLast))
	two[5] += 6
	tests := []struct {
		name   string
		stream []byte
		cut    bool // an ErrTruncated at offset 10
	}{
		{"whole PDUs", append(release, release...), false},
		{"inside a PDU header", append(release, rq[:3]...), true},
		{"inside an A-ASSOCIATE-RQ", append(release, rq[:100]...), true},
		{"inside a PDV", append(release, pdata[:50]...), true},
		{"inside a PDV header", append(release, pdata[:9]...), true},
		{"between two PDVs", append(release, two[:len(two)-6]...), true},
		{"garbage", append(release, 0x09, 1, 2, 3, 4, 5, 6, 7), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{1, 7, len(tt.stream)} {
				var d Decoder
				out := trace(&d, chunk(tt.stream, size))
				d.Flush()
				var errs []string
				for {
					_, err := d.Next()
					if err == ErrNeedMore {
						break
					}
					errs = append(errs, err.Error())
					if len(errs) > 1 {
						t.Fatalf("size %d: more than one error after Flush: %q", size, errs)
					}
				}
				want := 0
				if tt.cut {
					want = 1
					if e := (&Error{Offset: 10, Err: ErrTruncated}).Error(); len(errs) != 1 || errs[0] != e {
						t.Errorf("size %d: after Flush %q, want %q", size, errs, e)
					}
				}
				if len(errs) != want {
					t.Errorf("size %d: after Flush %q (decoded %q)", size, errs, out)
				}
				if _, err := d.Next(); err != ErrNeedMore {
					t.Errorf("size %d: second Next after Flush: %v", size, err)
				}
			}
		})
	}
}

// TestDecoderFeedUndrained checks that feeding before Next has returned
// ErrNeedMore, even while the decoder replays bytes it read ahead to
// resynchronise, drops the bytes not yet consumed and never reads them
// later.
func TestDecoderFeedUndrained(t *testing.T) {
	// A bad PDU type, then a P-DATA-TF whose PDV header the first Feed
	// cuts: the decoder keeps the P-DATA-TF header and what it has of the
	// PDV header until it can accept them, then replays them.
	s := append([]byte{0x09, 0, 0, 0, 0, 0}, AppendPData(nil, 1, 3, []byte("value"))...)
	const cut = 6 + HeaderLen + pdvHeaderLen - 1
	var d Decoder
	d.Feed(s[:cut])
	if _, err := d.Next(); !errors.Is(err, ErrPDUType) {
		t.Fatalf("first: %v", err)
	}
	if _, err := d.Next(); err != ErrNeedMore {
		t.Fatalf("first: %v", err)
	}
	d.Feed(s[cut:])
	if it, err := d.Next(); err != nil || it.Kind != KindPData {
		t.Fatalf("second: %+v %v", it, err)
	}
	// The decoder still replays the PDV header; the rest of it and
	// "value" are left unread.
	next := AppendRelease(nil, TypeReleaseRQ)
	d.Feed(next)
	for {
		it, err := d.Next()
		if err == ErrNeedMore {
			break
		}
		if bytes.Contains(it.Body, []byte("val")) {
			t.Errorf("stale bytes read after Feed: %+v", it)
		}
	}
	if got, want := d.Offset(), int64(cut+len(next)); got != want {
		t.Errorf("offset %d after draining, want %d", got, want)
	}
}
