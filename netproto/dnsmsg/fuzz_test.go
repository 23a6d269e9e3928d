package dnsmsg

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// FuzzParser parses arbitrary messages with every accessor and checks
// that the parser never panics, always makes progress, reports errors
// with offsets inside the message, never writes a name longer than its
// escaped maximum, and agrees with golang.org/x/net/dns/dnsmessage on every
// name and address of the messages both accept.
func FuzzParser(f *testing.F) {
	for _, m := range captureMessages(f) {
		f.Add(m)
	}
	f.Add(announcement())
	for _, tt := range sniffTests {
		f.Add(tt.in)
	}
	// Hostile seeds: a pointer loop, a forward pointer, huge counts, a
	// chain of pointers, a name of 255 bytes.
	f.Add([]byte{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1})
	f.Add([]byte{0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1, 1, 'b', 0xC0, 19, 0, 1, 0, 1})
	f.Add([]byte{0, 0, 0x84, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0})
	f.Fuzz(func(t *testing.T, msg []byte) {
		var p Parser
		_, err := p.Start(msg)
		entries, last := 0, HeaderLen
		buf := make([]byte, 0, 4*MaxNameLen)
		checkName := func(n Name) {
			buf = n.AppendTo(buf[:0])
			if len(buf) > 4*MaxNameLen {
				t.Fatalf("name of %d bytes", len(buf))
			}
		}
		for p.Next() {
			entries++
			if p.Offset() <= last {
				t.Fatalf("entry %d: no progress (%d after %d)", entries, p.Offset(), last)
			}
			last = p.Offset()
			if p.Section() == SectionQuestion {
				checkName(p.Question().Name)
				continue
			}
			r := p.Resource()
			checkName(r.Name)
			r.Name.Service()
			checkErr(t, msg, rdataErr(&r, checkName))
		}
		if err == nil {
			err = p.Err()
		}
		checkErr(t, msg, err)
		if entries > 0 && entries > (len(msg)-HeaderLen)/5 {
			t.Fatalf("%d entries in %d bytes", entries, len(msg))
		}
		if err == nil {
			compareDNSMessage(t, msg)
		}
		Sniff(msg)
	})
}

func rdataErr(r *Resource, checkName func(Name)) error {
	switch r.Type {
	case TypeA:
		_, err := r.A()
		return err
	case TypeAAAA:
		_, err := r.AAAA()
		return err
	case TypePTR, TypeCNAME, TypeNS:
		n, err := r.Target()
		checkName(n)
		return err
	case TypeSRV:
		s, err := r.SRV()
		checkName(s.Target)
		return err
	case TypeHINFO:
		_, _, err := r.HINFO()
		return err
	case TypeTXT:
		t := r.TXT()
		for t.Next() {
			t.Pair()
		}
		t.AppendModel(nil)
		return t.Err()
	case TypeNSEC:
		n, err := r.NSEC()
		checkName(n.Next)
		for ts := n.Types(); ts.Next(); {
			if !n.Has(ts.Type()) {
				panic("NSEC lists a type Has denies")
			}
		}
		return err
	}
	return nil
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

// compareDNSMessage checks a message this package parsed whole against
// dnsmessage: when dnsmessage parses it too, every name whose labels need
// no escaping, and every A, AAAA, PTR and SRV record, must be the same.
// (dnsmessage accepts forward compression pointers, which this package
// refuses, and refuses dots inside labels, which DNS-SD instance names
// may hold, so neither accepting more is a disagreement.)
func compareDNSMessage(t *testing.T, msg []byte) {
	var ref dnsmessage.Parser
	if _, err := ref.Start(msg); err != nil {
		return
	}
	var p Parser
	p.Start(msg)
	same := func(what string, ours Name, theirs dnsmessage.Name) {
		got := ours.String()
		if got != "." {
			got += "."
		}
		if bytes.ContainsAny([]byte(theirs.String()), "\\") || bytes.ContainsFunc([]byte(theirs.String()), func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return
		}
		if got != theirs.String() {
			t.Fatalf("%s: name %q, dnsmessage %q", what, got, theirs.String())
		}
	}
	qs, err := ref.AllQuestions()
	if err != nil {
		return
	}
	for _, q := range qs {
		if !p.Next() {
			t.Fatal("fewer questions than dnsmessage")
		}
		mq := p.Question()
		same("question", mq.Name, q.Name)
		if uint16(mq.Type) != uint16(q.Type) || uint16(mq.Class)|b2u(mq.UnicastResponse)<<15 != uint16(q.Class) {
			t.Fatalf("question type/class %v/%v, dnsmessage %v/%v", mq.Type, mq.Class, q.Type, q.Class)
		}
	}
	for {
		h, sec, err := nextRef(&ref)
		if err != nil {
			return // the end, or something dnsmessage refuses
		}
		if !p.Next() {
			t.Fatal("fewer records than dnsmessage")
		}
		r := p.Resource()
		same("owner", r.Name, h.Name)
		if uint16(r.Type) != uint16(h.Type) || r.TTL != h.TTL || int(h.Length) != len(r.Data) {
			t.Fatalf("record header %v ttl %d len %d, dnsmessage %v ttl %d len %d", r.Type, r.TTL, len(r.Data), h.Type, h.TTL, h.Length)
		}
		if (h.Type == dnsmessage.TypeA && h.Length != 4) || (h.Type == dnsmessage.TypeAAAA && h.Length != 16) {
			return // dnsmessage reads 4 or 16 bytes whatever the length says
		}
		switch h.Type {
		case dnsmessage.TypeA:
			body, err := ref.AResource()
			a, err2 := r.A()
			if (err == nil) != (err2 == nil) || err == nil && a != netip.AddrFrom4(body.A) {
				t.Fatalf("A %v %v, dnsmessage %v %v", a, err2, body.A, err)
			}
			if err != nil {
				return
			}
		case dnsmessage.TypeAAAA:
			body, err := ref.AAAAResource()
			a, err2 := r.AAAA()
			if (err == nil) != (err2 == nil) || err == nil && a != netip.AddrFrom16(body.AAAA) {
				t.Fatalf("AAAA %v %v, dnsmessage %v %v", a, err2, body.AAAA, err)
			}
			if err != nil {
				return
			}
		case dnsmessage.TypePTR:
			body, err := ref.PTRResource()
			n, err2 := r.Target()
			if err != nil {
				return
			}
			if err2 == nil {
				same("PTR", n, body.PTR)
			}
		case dnsmessage.TypeSRV:
			body, err := ref.SRVResource()
			s, err2 := r.SRV()
			if err != nil {
				return
			}
			if err2 == nil {
				same("SRV", s.Target, body.Target)
				if s.Port != body.Port || s.Priority != body.Priority || s.Weight != body.Weight {
					t.Fatalf("SRV %+v, dnsmessage %+v", s, body)
				}
			}
		case dnsmessage.TypeTXT:
			body, err := ref.TXTResource()
			var got []string
			it := r.TXT()
			for it.Next() {
				got = append(got, string(it.Bytes()))
			}
			if err != nil {
				return
			}
			if it.Err() == nil && len(got) != len(body.TXT) {
				t.Fatalf("TXT %q, dnsmessage %q", got, body.TXT)
			}
			for i := range got {
				if i < len(body.TXT) && got[i] != body.TXT[i] {
					t.Fatalf("TXT %q, dnsmessage %q", got, body.TXT)
				}
			}
		default:
			skip := []func() error{ref.SkipAnswer, ref.SkipAuthority, ref.SkipAdditional}[sec]
			if err := skip(); err != nil {
				return
			}
		}
	}
}

// nextRef returns the header of dnsmessage's next record, whatever its
// section, and that section (0 answer, 1 authority, 2 additional).
func nextRef(p *dnsmessage.Parser) (dnsmessage.ResourceHeader, int, error) {
	for sec, f := range []func() (dnsmessage.ResourceHeader, error){p.AnswerHeader, p.AuthorityHeader, p.AdditionalHeader} {
		h, err := f()
		if err != dnsmessage.ErrSectionDone {
			return h, sec, err
		}
	}
	return dnsmessage.ResourceHeader{}, 0, dnsmessage.ErrSectionDone
}

func b2u(b bool) uint16 {
	if b {
		return 1
	}
	return 0
}
