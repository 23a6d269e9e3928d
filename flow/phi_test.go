package flow

import (
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/pkttest"
)

func TestPHI(t *testing.T) {
	key := []byte("a key from configuration")
	h := NewPHI(PHIHash, key)
	for _, tt := range []struct {
		p    *PHI
		in   string
		want string
	}{
		{NewPHI(PHIKeep, nil), "DOE^JANE", `"DOE^JANE"`},
		{NewPHI(PHIDrop, nil), "DOE^JANE", `null`},
		{h, "", `""`},
		{h, "*", `"*"`},
		{h, " ?* ", `" ?* "`},
		{NewPHI(PHIDrop, nil), "*", `"*"`},
	} {
		if got := string(tt.p.AppendValue(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("%v %q: %s, want %s", tt.p.Policy(), tt.in, got, tt.want)
		}
	}
	a := string(h.AppendValue(nil, []byte("4MR1")))
	if !strings.HasPrefix(a, `"h:`) || len(a) != 2+2+16 || strings.Contains(a, "4MR1") {
		t.Errorf("hash %s", a)
	}
	if b := string(h.AppendValue(nil, []byte(" 4MR1 "))); b != a {
		t.Errorf("padding changes the hash: %s, %s", a, b)
	}
	if b := string(NewPHI(PHIHash, key).AppendValue(nil, []byte("4MR1"))); b != a {
		t.Errorf("the same key gives %s, then %s", a, b)
	}
	if b := string(NewPHI(PHIHash, nil).AppendValue(nil, []byte("4MR1"))); b == a {
		t.Errorf("a random key gives the configured key's hash")
	}
	if b := string(h.AppendValue(nil, []byte("4MR2"))); b == a {
		t.Errorf("two values, one hash %s", a)
	}
	if got := string(h.Append([]byte("{"), "patient_id", []byte("4MR1"))); got != `{,"patient_id":`+a {
		t.Errorf("Append: %s", got)
	}
	var nilPHI *PHI
	if got := string(nilPHI.AppendValue(nil, []byte("4MR1"))); !strings.HasPrefix(got, `"h:`) {
		t.Errorf("a nil PHI writes %s, want a hash", got)
	}
	for _, s := range []string{"hash", "keep", "drop"} {
		if p, err := ParsePHIPolicy(s); err != nil || p.String() != s {
			t.Errorf("ParsePHIPolicy(%q) = %v, %v", s, p, err)
		}
	}
	if _, err := ParsePHIPolicy("none"); err == nil {
		t.Error("ParsePHIPolicy(none): no error")
	}
	if pkttest.RaceEnabled {
		return
	}
	buf := make([]byte, 0, 64)
	v := []byte("DOE^JANE")
	if n := testing.AllocsPerRun(100, func() { buf = h.AppendValue(buf[:0], v) }); n != 0 {
		t.Errorf("hashing allocates %.1f times", n)
	}
}
