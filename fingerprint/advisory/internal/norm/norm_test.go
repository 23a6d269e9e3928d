package norm

import (
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in         string
		keepParens bool
		want       string
	}{
		{"IntelliVue MX40 Patient Worn Monitor (WLAN only)", true, "intellivue mx40 patient worn monitor wlan only"},
		{"IntelliVue MX40 Patient Worn Monitor (WLAN only)", false, "intellivue mx40 patient worn monitor"},
		{"8870 N'Vision removable Application Card", true, "8870 nvision removable application card"},
		{"Dräger", false, "drager"},
		{"Innokas YhtymÃ¤ Oy", false, "innokas yhtyma oy"}, // the snapshot's mojibake folds like the real name
		{"Innokas Yhtymä Oy", false, "innokas yhtyma oy"},
		{"  Medtronic ", false, "medtronic"},
		{"Johnson & Johnson", false, "johnson johnson"},
		{"Straße Æther Łódź", false, "strasse aether lodz"},
		{"a((b)c)d", false, "a d"},
		{"a)b", false, "a b"},
		{"日本 GE", false, "ge"},
		{"", true, ""},
	}
	for _, tt := range tests {
		var buf [MaxKey]byte
		if got := string(Words(buf[:0], tt.in, tt.keepParens)); got != tt.want {
			t.Errorf("Words(%q, %v) = %q, want %q", tt.in, tt.keepParens, got, tt.want)
		}
	}
	// A full buffer cuts at a word boundary.
	var small [10]byte
	if got := string(Words(small[:0], "alpha beta gamma", true)); got != "alpha beta" {
		t.Errorf("cut: %q", got)
	}
	if got := string(Words(small[:0], "abcdefghijklmnop", true)); got != "abcdefghij" {
		t.Errorf("cut one word: %q", got)
	}
}

func TestVendorKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GE Healthcare", "gehealthcare"},
		{"GE", "gehealthcare"},
		{"General Electric (GE)", "gehealthcare"},
		{"G.E. Medical Systems", "gehealthcare"},
		{"Philips", "philips"},
		{"Phillips", "philips"},
		{"Koninklijke Philips N.V.", "philips"},
		{"Siemens Healthineers", "siemens"},
		{"SIEMENS", "siemens"},
		{"Becton, Dickinson and Company (BD)", "bd"},
		{"SOOIL Developments Co, Ltd.", "sooildevelopments"},
		{"Hamilton Medical AG", "hamiltonmedical"},
		{"Natus Medical, Inc. (Natus)", "natusmedical"},
		{"Hill-Rom", "baxter"},
		{"Welch Allyn", "baxter"},
		{"Draeger", "drager"},
		{"Dräger", "drager"},
		{"Medtronic ", "medtronic"},
		{"Inc.", "inc"}, // the first word stays
		{"N. V.", "nv"},
	}
	for _, tt := range tests {
		var buf [MaxKey]byte
		if got := string(VendorKey(buf[:0], tt.in)); got != tt.want {
			t.Errorf("VendorKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAliasesSorted(t *testing.T) {
	for i, a := range aliases {
		if i > 0 && aliases[i-1].alias >= a.alias {
			t.Errorf("aliases not sorted at %q", a.alias)
		}
		if _, ok := Canonical([]byte(a.canon)); ok {
			t.Errorf("%q maps to %q, itself an alias", a.alias, a.canon)
		}
		if c, ok := Canonical([]byte(a.alias)); !ok || c != a.canon {
			t.Errorf("Canonical(%q) = %q, %v", a.alias, c, ok)
		}
		var buf [MaxKey]byte
		if k := string(Join(buf[:0], VendorWords(make([]byte, 0, MaxKey), a.alias))); k != a.alias {
			t.Errorf("alias %q is not a key (%q)", a.alias, k)
		}
	}
}

func TestPrefixMatch(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"intellivue mx40", "intellivue mx40 patient worn monitor wlan only", true},
		{"intellivue mx40", "intellivue mx400 mx850", false},
		{"intellivue mx 40", "intellivue mx40", true},
		{"optima ct", "optima ct540", true},
		{"optima ct5", "optima ct540", false},
		{"alaris", "alaris pc unit", true},
		{"alar", "alaris pc unit", false},
		{"ap", "apex", false},
		{"ap", "ap 3", true},
		{"", "x", false},
		{"x", "", false},
		{"a b", "ab", true},
	}
	for _, tt := range tests {
		if got := PrefixMatch(tt.a, tt.b); got != tt.want {
			t.Errorf("PrefixMatch(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := PrefixMatch(tt.b, tt.a); got != tt.want {
			t.Errorf("PrefixMatch(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestStripVendor(t *testing.T) {
	tests := []struct {
		name    string
		vendors []string
		want    string
	}{
		{"ge aespire", []string{"gehealthcare"}, "aespire"},
		{"ge healthcare aespire", []string{"gehealthcare"}, "aespire"},
		{"welch allyn connex spot monitor csm", []string{"baxter"}, "connex spot monitor csm"},
		{"bd pyxis medstation es", []string{"bd"}, "pyxis medstation es"},
		{"philips", []string{"philips"}, "philips"},
		{"baxter spectrum", []string{"baxter"}, "spectrum"},
		{"spectrum", []string{"baxter"}, "spectrum"},
		{"siemens spect systems", []string{"philips", "siemens"}, "spect systems"},
		{"cms8000 contec icu", []string{"contechealth"}, "cms8000 contec icu"},
	}
	for _, tt := range tests {
		if got := string(StripVendor([]byte(tt.name), tt.vendors...)); got != tt.want {
			t.Errorf("StripVendor(%q, %q) = %q, want %q", tt.name, tt.vendors, got, tt.want)
		}
	}
}

func TestAllocs(t *testing.T) {
	name := []byte("welch allyn connex spot monitor csm")
	allocs := testing.AllocsPerRun(100, func() {
		var buf, key [MaxKey]byte
		Words(buf[:0], "IntelliVue MX40 Patient Worn Monitor (WLAN only) Dräger", true)
		VendorKey(key[:0], "Becton, Dickinson and Company (BD)")
		VendorKey(key[:0], "Koninklijke Philips N.V.")
		StripVendor(name, "baxter")
		PrefixMatch("intellivue mx40", "intellivue mx40 patient")
	})
	if allocs != 0 {
		t.Errorf("%v allocs, want 0", allocs)
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"IntelliVue MX40 (WLAN only)", "Innokas YhtymÃ¤ Oy", "N'Vision", "a((b)c)d", "GE Healthcare Inc."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf [32]byte
		for _, keep := range []bool{true, false} {
			w := Words(buf[:0], s, keep)
			if len(w) > len(buf) {
				t.Fatalf("grew past the buffer: %q", w)
			}
			ws := string(w)
			if strings.HasPrefix(ws, " ") || strings.HasSuffix(ws, " ") || strings.Contains(ws, "  ") {
				t.Fatalf("Words(%q) = %q: stray spaces", s, ws)
			}
			for i := 0; i < len(ws); i++ {
				if c := ws[i]; !(c == ' ' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
					t.Fatalf("Words(%q) = %q: byte %q", s, ws, c)
				}
			}
			var again [32]byte
			if w2 := string(Words(again[:0], ws, keep)); w2 != ws {
				t.Fatalf("Words not idempotent: %q → %q → %q", s, ws, w2)
			}
			if !PrefixMatch(ws, ws) && ws != "" {
				t.Fatalf("PrefixMatch(%q, itself) false", ws)
			}
		}
		var k [MaxKey]byte
		key := VendorKey(k[:0], s)
		if strings.Contains(string(key), " ") {
			t.Fatalf("VendorKey(%q) = %q", s, key)
		}
	})
}
