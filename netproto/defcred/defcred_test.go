package defcred

import (
	"fmt"
	"testing"
)

func TestIsDefault(t *testing.T) {
	for _, tt := range []struct {
		user, password string
		want           bool
	}{
		{"orthanc", "orthanc", true},
		{"root", "calvin", true},
		{"gemsservice", "", true},
		{"insite", "2getin", true},
		{"orthanc", "Orthanc", false},
		{"root", "", false},
		{"", "", false},
		{"admin", "admin", true},
		{"admin", "admin\x00", false},
	} {
		if got := IsDefault([]byte(tt.user), []byte(tt.password)); got != tt.want {
			t.Errorf("IsDefault(%q, %q) = %v", tt.user, tt.password, got)
		}
	}
	n := 0
	for e := range Entries() {
		n++
		if e.Source == "" || e.Product == "" {
			t.Errorf("entry %q without a source or product", e.User)
		}
		if !IsDefault([]byte(e.User), []byte(e.Password)) {
			t.Errorf("entry %q not found", e.User)
		}
	}
	if n < 40 {
		t.Errorf("%d entries", n)
	}
}

func TestIsDefaultAllocs(t *testing.T) {
	u, p := []byte("orthanc"), []byte("orthanc")
	if a := testing.AllocsPerRun(100, func() { IsDefault(u, p) }); a != 0 {
		t.Errorf("IsDefault allocates %v times", a)
	}
}

func ExampleIsDefault() {
	fmt.Println(IsDefault([]byte("root"), []byte("calvin")), IsDefault([]byte("root"), []byte("s3cret")))
	// Output: true false
}

func BenchmarkIsDefault(b *testing.B) {
	u, p := []byte("administrator"), []byte("PlatinumOne")
	b.ReportAllocs()
	for b.Loop() {
		IsDefault(u, p)
	}
}
