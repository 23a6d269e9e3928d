package ntlmssp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func addSeeds(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*.spnego"))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if tok, err := Unwrap(b); err == nil {
			f.Add(tok)
		}
	}
	f.Add(negotiateMsg(win7Flags|FlagOEMDomainSupplied, win7, "RADIOLOGY", "CT-WS07"))
	f.Add(challengeMsg(win7ChallengeFlags, srv, "RADIOLOGY", win7Info))
	f.Add(authMsg(win7Flags, win7, 24, 24, "RADIOLOGY", "jsmith", "CT-WS07"))
}

// checkErr fails unless err is nil or an *Error wrapping one of the
// sentinels with an offset inside the input.
func checkErr(t *testing.T, err error, n int) {
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(n) {
		t.Fatalf("error %v has no offset within the %d bytes", err, n)
	}
	for _, s := range []error{ErrSignature, ErrType, ErrTruncated, ErrField, ErrAVPair, ErrDER, ErrNoNTLMSSP} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error %v wraps no sentinel", err)
}

// within reports whether v is empty or a sub-slice of b.
func within(v, b []byte) bool {
	if len(v) == 0 {
		return true
	}
	for i := 0; i+len(v) <= len(b); i++ {
		if &b[i] == &v[0] {
			return true
		}
	}
	return false
}

func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		checkErr(t, err, len(b))
		if err != nil {
			return
		}
		for _, v := range [][]byte{m.Domain.Raw, m.User.Raw, m.Workstation.Raw, m.TargetName.Raw, m.TargetInfo} {
			if !within(v, b) {
				t.Fatal("a view is not inside the input")
			}
		}
		it := m.AVPairs()
		n := 0
		for it.Next() {
			n++
			_ = it.Text().AppendTo(nil)
		}
		checkErr(t, it.Err(), len(m.TargetInfo))
		if n > len(m.TargetInfo)/4 {
			t.Fatalf("%d AV pairs in %d bytes", n, len(m.TargetInfo))
		}
		if _, err := m.Target(); fmt.Sprint(err) != fmt.Sprint(it.Err()) {
			t.Fatalf("Target: %v, iterator: %v", err, it.Err())
		}
		// The same bytes elsewhere parse the same.
		m2, err := Parse(bytes.Clone(b))
		if err != nil || m2.Type != m.Type || m2.Version != m.Version || m2.Response != m.Response ||
			m2.User.String() != m.User.String() {
			t.Fatalf("a copy parses differently: %v", err)
		}
		_ = m.Version.AppendOS(nil)
	})
}

func FuzzUnwrap(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := Unwrap(b)
		checkErr(t, err, len(b))
		if err != nil {
			return
		}
		if !within(tok, b) || !bytes.HasPrefix(tok, []byte(Signature)) {
			t.Fatalf("token %x is not an NTLMSSP message inside the input", tok)
		}
	})
}
